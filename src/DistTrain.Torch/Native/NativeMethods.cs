using System.Runtime.InteropServices;

namespace DistTrain.Torch.Native;

/// <summary>
/// Every entry point of the native C ABI, mirroring src/DistTrain.Native/include/disttrain_native.h
/// section by section. Callers check failures through <see cref="NativeError"/>.
/// </summary>
internal static unsafe partial class NativeMethods
{
    private const string Lib = "disttrain_native";

    // ---- runtime ---------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial IntPtr dt_last_error();
    [LibraryImport(Lib)] internal static partial IntPtr dt_libtorch_version();
    [LibraryImport(Lib)] internal static partial int dt_cuda_is_available();
    [LibraryImport(Lib)] internal static partial int dt_cuda_device_count();
    [LibraryImport(Lib)] internal static partial void dt_manual_seed(long seed);
    [LibraryImport(Lib)] internal static partial void dt_set_num_threads(int threads);
    [LibraryImport(Lib)] internal static partial int dt_get_num_threads();
    [LibraryImport(Lib)] internal static partial void dt_set_num_interop_threads(int threads);
    [LibraryImport(Lib)] internal static partial int dt_get_num_interop_threads();
    [LibraryImport(Lib)] internal static partial int dt_malloc_tuning();

    // ---- tensor: lifetime, properties, data in and out -------------------------------------
    [LibraryImport(Lib)] internal static partial void dt_tensor_free(IntPtr t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_dim(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_sizes(TensorHandle t, long* sizes, int capacity);
    [LibraryImport(Lib)] internal static partial int dt_tensor_strides(TensorHandle t, long* strides, int capacity);
    [LibraryImport(Lib)] internal static partial long dt_tensor_numel(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_dtype(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_device(TensorHandle t, out int deviceType, out int deviceIndex);
    [LibraryImport(Lib)] internal static partial int dt_tensor_is_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_defined(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_is_set_to(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_from_data(void* data, long nbytes, long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial int dt_tensor_copy_to_host(TensorHandle t, void* dst, long nbytes);
    [LibraryImport(Lib)] internal static partial int dt_tensor_item(TensorHandle t, out NativeScalar value);
    [LibraryImport(Lib)] internal static partial IntPtr dt_tensor_to_string(TensorHandle t);

    // ---- tensor: creation ------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial TensorHandle dt_empty(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_zeros(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_ones(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_full(long* sizes, int ndim, NativeScalar value, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_rand(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_randn(long* sizes, int ndim, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_randint(long low, long high, long* sizes, int ndim, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_arange(NativeScalar start, NativeScalar end, NativeScalar step, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);

    // ---- tensor: conversion ----------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_to(TensorHandle t, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool copy);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_clone(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_contiguous(TensorHandle t);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_alias(TensorHandle t);

    // ---- tensor: arithmetic ----------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial TensorHandle dt_add(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_add_scalar(TensorHandle a, NativeScalar b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_sub(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_sub_scalar(TensorHandle a, NativeScalar b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_mul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_mul_scalar(TensorHandle a, NativeScalar b);
    [LibraryImport(Lib)] internal static partial int dt_mul_scalar_out(TensorHandle @out, TensorHandle a, NativeScalar b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_div(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_div_scalar(TensorHandle a, NativeScalar b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_neg(TensorHandle a);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_matmul(TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_sum(TensorHandle a);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_mean(TensorHandle a);

    // ---- autograd --------------------------------------------------------------------------
    [LibraryImport(Lib)] internal static partial int dt_tensor_requires_grad(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_tensor_set_requires_grad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial int dt_tensor_grad(TensorHandle t, out TensorHandle grad);
    [LibraryImport(Lib)] internal static partial int dt_tensor_set_grad(TensorHandle t, TensorHandle grad);
    [LibraryImport(Lib)] internal static partial int dt_tensor_backward(TensorHandle t, TensorHandle gradient, [MarshalAs(UnmanagedType.U1)] bool retainGraph, [MarshalAs(UnmanagedType.U1)] bool createGraph);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_tensor_detach(TensorHandle t);
    [LibraryImport(Lib)] internal static partial int dt_grad_mode_is_enabled();
    [LibraryImport(Lib)] internal static partial void dt_grad_mode_set_enabled([MarshalAs(UnmanagedType.U1)] bool enabled);

    // ---- tensor: shape, indexing, reductions, comparison, element-wise math, in-place -------
    // Families share a signature and take an operation code (see TensorOps.cs for the codes).
    [LibraryImport(Lib)] internal static partial TensorHandle dt_unary(TensorHandle a, int op);
    [LibraryImport(Lib)] internal static partial int dt_unary_(TensorHandle a, int op);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_binary(TensorHandle a, TensorHandle b, int op);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_binary_scalar(TensorHandle a, NativeScalar b, int op);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_scalar_binary(NativeScalar a, TensorHandle b, int op);
    [LibraryImport(Lib)] internal static partial int dt_binary_(TensorHandle a, TensorHandle b, int op);
    [LibraryImport(Lib)] internal static partial int dt_binary_scalar_(TensorHandle a, NativeScalar b, int op);
    [LibraryImport(Lib)] internal static partial int dt_add_(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial int dt_sub_(TensorHandle a, TensorHandle b, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_addmm(TensorHandle input, TensorHandle m1, TensorHandle m2, NativeScalar beta, NativeScalar alpha);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_where(TensorHandle condition, TensorHandle a, TensorHandle b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_where_scalar(TensorHandle condition, TensorHandle a, NativeScalar b);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_clamp(TensorHandle a, NativeScalar min, NativeScalar max, int has);
    [LibraryImport(Lib)] internal static partial int dt_clamp_(TensorHandle a, NativeScalar min, NativeScalar max, int has);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_clamp_tensor(TensorHandle a, TensorHandle min, TensorHandle max);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_reduce(TensorHandle a, int op, long* dims, int ndims, [MarshalAs(UnmanagedType.U1)] bool keepdim, double arg);
    [LibraryImport(Lib)] internal static partial int dt_max_dim(TensorHandle a, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, out TensorHandle values, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial int dt_min_dim(TensorHandle a, long dim, [MarshalAs(UnmanagedType.U1)] bool keepdim, out TensorHandle values, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial int dt_topk(TensorHandle a, long k, long dim, [MarshalAs(UnmanagedType.U1)] bool largest, [MarshalAs(UnmanagedType.U1)] bool sorted, out TensorHandle values, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial int dt_sort(TensorHandle a, long dim, [MarshalAs(UnmanagedType.U1)] bool descending, out TensorHandle values, out TensorHandle indices);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_argmax(TensorHandle a, long dim, [MarshalAs(UnmanagedType.U1)] bool hasDim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_argmin(TensorHandle a, long dim, [MarshalAs(UnmanagedType.U1)] bool hasDim, [MarshalAs(UnmanagedType.U1)] bool keepdim);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_dim_op(TensorHandle a, int op, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_shape_op(TensorHandle a, int op, long* sizes, int n);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_transpose(TensorHandle a, long dim0, long dim1);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_flatten(TensorHandle a, long startDim, long endDim);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_unflatten(TensorHandle a, long dim, long* sizes, int n);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_narrow(TensorHandle a, long dim, long start, long length);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_select(TensorHandle a, long dim, long index);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_cat(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_stack(IntPtr* tensors, int n, long dim);
    [LibraryImport(Lib)] internal static partial int dt_split(TensorHandle a, int op, long* args, int nargs, long dim, IntPtr* outTensors, int capacity);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_index(TensorHandle a, int* kinds, long* ints, IntPtr* tensors, int n);
    [LibraryImport(Lib)] internal static partial int dt_index_put_(TensorHandle a, int* kinds, long* ints, IntPtr* tensors, int n, TensorHandle value);
    [LibraryImport(Lib)] internal static partial int dt_index_put_scalar_(TensorHandle a, int* kinds, long* ints, IntPtr* tensors, int n, NativeScalar value);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_index_select(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_gather(TensorHandle a, long dim, TensorHandle index);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_scatter(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int dt_scatter_(TensorHandle a, long dim, TensorHandle index, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int dt_scatter_scalar_(TensorHandle a, long dim, TensorHandle index, NativeScalar value);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_masked_fill(TensorHandle a, TensorHandle mask, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int dt_masked_fill_(TensorHandle a, TensorHandle mask, NativeScalar value);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_like(TensorHandle a, int op, NativeScalar fill, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_linspace(NativeScalar start, NativeScalar end, long steps, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_eye(long n, long m, int dtype, int deviceType, int deviceIndex, [MarshalAs(UnmanagedType.U1)] bool requiresGrad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_randperm(long n, int dtype, int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial int dt_random_(TensorHandle a, int op, double arg0, double arg1);
    [LibraryImport(Lib)] internal static partial int dt_fill_(TensorHandle a, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int dt_copy_(TensorHandle a, TensorHandle src);
    [LibraryImport(Lib)] internal static partial long dt_initial_seed();
    // end of tensor ops

    // ---- autograd: gradient hooks ----------------------------------------------------------
    [LibraryImport(Lib)] internal static partial void dt_autograd_set_callbacks(delegate* unmanaged<long, byte*, int, int> invoke, delegate* unmanaged<long, void> release);
    [LibraryImport(Lib)] internal static partial IntPtr dt_tensor_register_post_accumulate_grad_hook(TensorHandle t, long id);
    [LibraryImport(Lib)] internal static partial int dt_hook_remove(IntPtr hook);
    [LibraryImport(Lib)] internal static partial int dt_autograd_queue_callback(long id);
    // end of gradient hooks

    // ---- nn: functional layers, activations, losses, initialisation ------------------------
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_linear(TensorHandle input, TensorHandle weight, TensorHandle bias);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_conv2d(TensorHandle input, TensorHandle weight, TensorHandle bias, long* stride, long* padding, long* dilation, long groups);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_max_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, long* dilation, [MarshalAs(UnmanagedType.U1)] bool ceilMode);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_avg_pool2d(TensorHandle input, long* kernel, long* stride, long* padding, [MarshalAs(UnmanagedType.U1)] bool ceilMode, [MarshalAs(UnmanagedType.U1)] bool countIncludePad);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_adaptive_avg_pool2d(TensorHandle input, long* outputSize);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_batch_norm(TensorHandle input, TensorHandle runningMean, TensorHandle runningVar, TensorHandle weight, TensorHandle bias, TensorHandle numBatchesTracked, [MarshalAs(UnmanagedType.U1)] bool training, double momentum, double eps);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_dropout(TensorHandle input, double p, [MarshalAs(UnmanagedType.U1)] bool training);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_embedding(TensorHandle weight, TensorHandle indices, long paddingIdx);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_leaky_relu(TensorHandle input, double negativeSlope);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_gelu(TensorHandle input, [MarshalAs(UnmanagedType.U1)] bool tanhApproximation);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_mse_loss(TensorHandle input, TensorHandle target, int reduction);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_l1_loss(TensorHandle input, TensorHandle target, int reduction);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex, double labelSmoothing);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_nll_loss(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction, long ignoreIndex);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_binary_cross_entropy(TensorHandle input, TensorHandle target, TensorHandle weight, int reduction);
    [LibraryImport(Lib)] internal static partial TensorHandle dt_nn_binary_cross_entropy_with_logits(TensorHandle input, TensorHandle target, TensorHandle weight, TensorHandle posWeight, int reduction);
    [LibraryImport(Lib)] internal static partial int dt_nn_init_fill_row_(TensorHandle t, long row, NativeScalar value);
    [LibraryImport(Lib)] internal static partial int dt_nn_set_data(TensorHandle t, TensorHandle data);
    [LibraryImport(Lib)] internal static partial int dt_nn_copy_(TensorHandle dst, TensorHandle src);
    [LibraryImport(Lib)] internal static partial int dt_nn_zero_grad(TensorHandle t, [MarshalAs(UnmanagedType.U1)] bool setToNone);
    // end of nn

    // ---- optim: fused optimizer steps, gradient clipping -----------------------------------
    [LibraryImport(Lib)] internal static partial Optim.OptimizerHandle dt_optim_new(int kind);
    [LibraryImport(Lib)] internal static partial void dt_optim_free(IntPtr o);
    [LibraryImport(Lib)] internal static partial int dt_optim_add_group(Optim.OptimizerHandle o, IntPtr* parameters, int count, double* options, int noptions);
    [LibraryImport(Lib)] internal static partial int dt_optim_set_options(Optim.OptimizerHandle o, int group, double* options, int noptions);
    [LibraryImport(Lib)] internal static partial int dt_optim_step(Optim.OptimizerHandle o);
    [LibraryImport(Lib)] internal static partial int dt_optim_zero_grad(Optim.OptimizerHandle o, [MarshalAs(UnmanagedType.U1)] bool setToNone);
    [LibraryImport(Lib)] internal static partial int dt_optim_get_state(Optim.OptimizerHandle o, int param, int slot, out TensorHandle value);
    [LibraryImport(Lib)] internal static partial int dt_optim_set_state(Optim.OptimizerHandle o, int param, int slot, TensorHandle value);
    [LibraryImport(Lib)] internal static partial int dt_clip_grad_norm(IntPtr* parameters, int count, double maxNorm, double normType, out double totalNorm);
    // end of optim

    // ---- distributed: c10d store bridge, process groups, collectives -----------------------
    [LibraryImport(Lib)] internal static partial void dt_store_set_callbacks(void* callbacks);
    [LibraryImport(Lib)] internal static partial void dt_store_result_set(void* result, byte* data, long length);
    [LibraryImport(Lib)] internal static partial IntPtr dt_store_managed_create(long id, long timeoutMs);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr dt_store_tcp_create(string host, int port, int worldSize, [MarshalAs(UnmanagedType.U1)] bool isServer, long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_store_tcp_port(IntPtr store);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr dt_store_prefix_create(string prefix, IntPtr store);
    [LibraryImport(Lib)] internal static partial IntPtr dt_store_alias(IntPtr store);
    [LibraryImport(Lib)] internal static partial void dt_store_free(IntPtr store);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_set(IntPtr store, string key, byte* value, long length);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_get(IntPtr store, string key, out IntPtr data, out long length);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_add(IntPtr store, string key, long delta, out long value);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_compare_set(IntPtr store, string key, byte* expected, long expectedLength, byte* desired, long desiredLength, out IntPtr data, out long length);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_delete_key(IntPtr store, string key, out int existed);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_check(IntPtr store, string[] keys, int count, out int allExist);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial int dt_store_wait(IntPtr store, string[] keys, int count, long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_store_num_keys(IntPtr store, out long count);
    [LibraryImport(Lib)] internal static partial int dt_store_get_timeout(IntPtr store, out long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_store_set_timeout(IntPtr store, long timeoutMs);
    [LibraryImport(Lib)] internal static partial void dt_buffer_free(IntPtr data);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] internal static partial IntPtr dt_process_group_gloo_create(IntPtr store, int rank, int size, long timeoutMs, string? networkInterface, string? hostname, int threads, int localAllReduce);
    [LibraryImport(Lib)] internal static partial IntPtr dt_process_group_nccl_create(IntPtr store, int rank, int size, long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_nccl_is_available();
    [LibraryImport(Lib)] internal static partial int dt_distributed_set_device(int deviceType, int deviceIndex);
    [LibraryImport(Lib)] internal static partial int dt_process_group_rank(IntPtr pg);
    [LibraryImport(Lib)] internal static partial int dt_process_group_size(IntPtr pg);
    [LibraryImport(Lib)] internal static partial int dt_process_group_backend(IntPtr pg);
    [LibraryImport(Lib)] internal static partial int dt_process_group_local_all_reduce(IntPtr pg);
    [LibraryImport(Lib)] internal static partial IntPtr dt_process_group_local_all_reduce_status(IntPtr pg);
    [LibraryImport(Lib)] internal static partial void dt_process_group_free(IntPtr pg);
    [LibraryImport(Lib)] internal static partial IntPtr dt_all_reduce(IntPtr pg, TensorHandle tensor, int op, long timeoutMs);
    [LibraryImport(Lib)] internal static partial IntPtr dt_broadcast(IntPtr pg, TensorHandle tensor, int root, long timeoutMs);
    [LibraryImport(Lib)] internal static partial IntPtr dt_all_gather(IntPtr pg, IntPtr* outputs, int count, TensorHandle input, long timeoutMs);
    [LibraryImport(Lib)] internal static partial IntPtr dt_reduce_scatter(IntPtr pg, TensorHandle output, IntPtr* inputs, int count, int op, long timeoutMs);
    [LibraryImport(Lib)] internal static partial IntPtr dt_barrier(IntPtr pg, long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_work_wait(IntPtr work, long timeoutMs);
    [LibraryImport(Lib)] internal static partial int dt_work_is_completed(IntPtr work);
    [LibraryImport(Lib)] internal static partial void dt_work_free(IntPtr work);
    // end of distributed
}
