/*
 * DistTrain.Native — the whole C ABI over libtorch, in one header.
 * The C# side mirrors it in src/DistTrain.Torch/Native/NativeMethods.cs.
 *
 * Contract
 * - No C++ exception crosses this boundary. Every entry point catches, stores the message
 *   (libtorch's own text, without the C++ backtrace) in a thread-local slot and reports failure:
 *   a NULL handle for functions returning a handle, a non-zero int for the others.
 *   dt_last_error() then returns the message for the calling thread.
 * - A dt_tensor is an owned, heap-allocated at::Tensor. Every handle returned by a function here
 *   is new and must be released with dt_tensor_free exactly once.
 * - Shapes are (const int64_t* sizes, int32_t ndim). Scalar types use c10::ScalarType's numbering.
 * - Device types: 0 = CPU, 1 = CUDA (c10::DeviceType numbering); index -1 = current.
 */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_API __attribute__((visibility("default")))

typedef void* dt_tensor;

/* A number of either kind, as at::Scalar holds it: kind 0 = integer (i), 1 = floating (d), 2 = bool (i). */
typedef struct dt_scalar {
  int64_t i;
  double d;
  int32_t kind;
} dt_scalar;

/* ---- runtime ------------------------------------------------------------------------------ */
DT_API const char* dt_last_error(void);
DT_API const char* dt_libtorch_version(void);
DT_API int32_t dt_cuda_is_available(void);
DT_API int32_t dt_cuda_device_count(void);
DT_API void dt_manual_seed(int64_t seed);
DT_API void dt_set_num_threads(int32_t threads);
DT_API int32_t dt_get_num_threads(void);
DT_API void dt_set_num_interop_threads(int32_t threads);
DT_API int32_t dt_get_num_interop_threads(void);
/* What the library changed in glibc malloc when it loaded (runtime_malloc.cpp): bit 0 = mmap threshold,
   bit 1 = trim threshold; 0 when DISTTRAIN_MALLOC_TUNING=0, the user set them, or not glibc. */
DT_API int32_t dt_malloc_tuning(void);

/* ---- tensor: lifetime, properties, data in and out ------------------------------------------ */
DT_API void dt_tensor_free(dt_tensor t);
DT_API int32_t dt_tensor_dim(dt_tensor t);
DT_API int32_t dt_tensor_sizes(dt_tensor t, int64_t* sizes, int32_t capacity);
DT_API int32_t dt_tensor_strides(dt_tensor t, int64_t* strides, int32_t capacity);
DT_API int64_t dt_tensor_numel(dt_tensor t);
DT_API int32_t dt_tensor_dtype(dt_tensor t);
DT_API int32_t dt_tensor_device(dt_tensor t, int32_t* device_type, int32_t* device_index);
DT_API int32_t dt_tensor_is_contiguous(dt_tensor t);
DT_API int32_t dt_tensor_defined(dt_tensor t);
/* 1 when both are the same view of the same memory (storage, offset, sizes and strides). */
DT_API int32_t dt_tensor_is_set_to(dt_tensor a, dt_tensor b);
/* Copies `nbytes` of host data (laid out contiguously in `dtype`) into a new tensor on `device`. */
DT_API dt_tensor dt_tensor_from_data(const void* data, int64_t nbytes, const int64_t* sizes, int32_t ndim,
                                     int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
/* Copies the tensor's elements, in row-major order, into `dst` (exactly numel * element size bytes). */
DT_API int32_t dt_tensor_copy_to_host(dt_tensor t, void* dst, int64_t nbytes);
DT_API int32_t dt_tensor_item(dt_tensor t, dt_scalar* out);
DT_API const char* dt_tensor_to_string(dt_tensor t); /* valid until the next call on this thread */

/* ---- tensor: creation --------------------------------------------------------------------- */
DT_API dt_tensor dt_empty(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_zeros(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_ones(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_full(const int64_t* sizes, int32_t ndim, dt_scalar value, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_rand(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_randn(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_randint(int64_t low, int64_t high, const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t device_type, int32_t device_index);
DT_API dt_tensor dt_arange(dt_scalar start, dt_scalar end, dt_scalar step, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);

/* ---- tensor: conversion ------------------------------------------------------------------- */
/* dtype -1 keeps the dtype; device_type -1 keeps the device. */
DT_API dt_tensor dt_tensor_to(dt_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, bool copy);
DT_API dt_tensor dt_tensor_clone(dt_tensor t);
DT_API dt_tensor dt_tensor_contiguous(dt_tensor t);
DT_API dt_tensor dt_tensor_alias(dt_tensor t); /* a second handle to the same tensor */

/* ---- tensor: arithmetic (binary ops take a tensor or a scalar right-hand side) ------------- */
DT_API dt_tensor dt_add(dt_tensor a, dt_tensor b, dt_scalar alpha);
DT_API dt_tensor dt_add_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha);
DT_API dt_tensor dt_sub(dt_tensor a, dt_tensor b, dt_scalar alpha);
DT_API dt_tensor dt_sub_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha);
DT_API dt_tensor dt_mul(dt_tensor a, dt_tensor b);
DT_API dt_tensor dt_mul_scalar(dt_tensor a, dt_scalar b);
/* out = a * b in one pass; out must have a's shape (it may be a view). */
DT_API int32_t dt_mul_scalar_out(dt_tensor out, dt_tensor a, dt_scalar b);
DT_API dt_tensor dt_div(dt_tensor a, dt_tensor b);
DT_API dt_tensor dt_div_scalar(dt_tensor a, dt_scalar b);
DT_API dt_tensor dt_neg(dt_tensor a);
DT_API dt_tensor dt_matmul(dt_tensor a, dt_tensor b);
DT_API dt_tensor dt_sum(dt_tensor a);
DT_API dt_tensor dt_mean(dt_tensor a);

/* ---- autograd ----------------------------------------------------------------------------- */
DT_API int32_t dt_tensor_requires_grad(dt_tensor t);
DT_API int32_t dt_tensor_set_requires_grad(dt_tensor t, bool requires_grad);
/* *grad is set to a new handle, or to NULL when the tensor has no gradient. */
DT_API int32_t dt_tensor_grad(dt_tensor t, dt_tensor* grad);
DT_API int32_t dt_tensor_set_grad(dt_tensor t, dt_tensor grad); /* grad NULL clears it */
/* gradient may be NULL for a scalar output. */
DT_API int32_t dt_tensor_backward(dt_tensor t, dt_tensor gradient, bool retain_graph, bool create_graph);
DT_API dt_tensor dt_tensor_detach(dt_tensor t);
DT_API int32_t dt_grad_mode_is_enabled(void);
DT_API void dt_grad_mode_set_enabled(bool enabled);

/* ---- tensor: shape, indexing, reductions, comparison, element-wise math, in-place ---------- */
/* Operations are grouped in families that share a signature; an `op` code picks the member. Codes
 * are stable: append, never renumber. In-place variants (trailing underscore) modify their first
 * argument and return a status. */

/* Unary: one tensor in, one out, no arguments. Element-wise codes 0..39 also work in place; the others
 * (tests, T, squeeze, nonzero, flatten) only out of place. */
enum {
  DT_UNARY_EXP = 0, DT_UNARY_LOG = 1, DT_UNARY_LOG1P = 2, DT_UNARY_SQRT = 3, DT_UNARY_RSQRT = 4, DT_UNARY_ABS = 5,
  DT_UNARY_SIGN = 6, DT_UNARY_SIN = 7, DT_UNARY_COS = 8, DT_UNARY_TANH = 9, DT_UNARY_SIGMOID = 10, DT_UNARY_RELU = 11,
  DT_UNARY_FLOOR = 12, DT_UNARY_CEIL = 13, DT_UNARY_ROUND = 14, DT_UNARY_RECIPROCAL = 15, DT_UNARY_SQUARE = 16,
  DT_UNARY_NEG = 17, DT_UNARY_LOGICAL_NOT = 18, DT_UNARY_BITWISE_NOT = 19, DT_UNARY_EXPM1 = 20, DT_UNARY_TRUNC = 21,
  DT_UNARY_LOG2 = 22, DT_UNARY_LOG10 = 23, DT_UNARY_TAN = 24, DT_UNARY_ERF = 25, DT_UNARY_ZERO = 26 /* in place: zero_ */,
  DT_UNARY_ISNAN = 40, DT_UNARY_ISINF = 41, DT_UNARY_ISFINITE = 42, DT_UNARY_T = 43, DT_UNARY_SQUEEZE_ALL = 44,
  DT_UNARY_NONZERO = 45, DT_UNARY_FLATTEN_ALL = 46,
};
DT_API dt_tensor dt_unary(dt_tensor a, int32_t op);
DT_API int32_t dt_unary_(dt_tensor a, int32_t op);

/* Binary: element-wise codes 0..29 broadcast and accept a scalar on either side (a scalar takes part in
 * type promotion as Python's numbers do) and, except MAXIMUM and MINIMUM, work in place; the others
 * (matrix products, EXPAND_AS) take two tensors. */
enum {
  DT_BINARY_ADD = 0, DT_BINARY_SUB = 1, DT_BINARY_MUL = 2, DT_BINARY_DIV = 3, DT_BINARY_REMAINDER = 4,
  DT_BINARY_POW = 5, DT_BINARY_FLOOR_DIVIDE = 6, DT_BINARY_FMOD = 7, DT_BINARY_EQ = 8, DT_BINARY_NE = 9,
  DT_BINARY_LT = 10, DT_BINARY_LE = 11, DT_BINARY_GT = 12, DT_BINARY_GE = 13, DT_BINARY_LOGICAL_AND = 14,
  DT_BINARY_LOGICAL_OR = 15, DT_BINARY_LOGICAL_XOR = 16, DT_BINARY_BITWISE_AND = 17, DT_BINARY_BITWISE_OR = 18,
  DT_BINARY_BITWISE_XOR = 19, DT_BINARY_MAXIMUM = 20, DT_BINARY_MINIMUM = 21, DT_BINARY_ATAN2 = 22,
  DT_BINARY_MM = 30, DT_BINARY_BMM = 31, DT_BINARY_DOT = 32, DT_BINARY_OUTER = 33, DT_BINARY_EXPAND_AS = 34,
};
DT_API dt_tensor dt_binary(dt_tensor a, dt_tensor b, int32_t op);
DT_API dt_tensor dt_binary_scalar(dt_tensor a, dt_scalar b, int32_t op);
DT_API dt_tensor dt_scalar_binary(dt_scalar a, dt_tensor b, int32_t op); /* the scalar on the left: 2 - t, 2 ** t */
DT_API int32_t dt_binary_(dt_tensor a, dt_tensor b, int32_t op);
DT_API int32_t dt_binary_scalar_(dt_tensor a, dt_scalar b, int32_t op);
DT_API int32_t dt_add_(dt_tensor a, dt_tensor b, dt_scalar alpha);
DT_API int32_t dt_sub_(dt_tensor a, dt_tensor b, dt_scalar alpha);
/* input * beta + alpha * (m1 @ m2) */
DT_API dt_tensor dt_addmm(dt_tensor input, dt_tensor m1, dt_tensor m2, dt_scalar beta, dt_scalar alpha);

/* where, clamp (has: bit 0 = min given, bit 1 = max given; NULL tensor bounds are absent) */
DT_API dt_tensor dt_where(dt_tensor condition, dt_tensor a, dt_tensor b);
DT_API dt_tensor dt_where_scalar(dt_tensor condition, dt_tensor a, dt_scalar b);
DT_API dt_tensor dt_clamp(dt_tensor a, dt_scalar min, dt_scalar max, int32_t has);
DT_API int32_t dt_clamp_(dt_tensor a, dt_scalar min, dt_scalar max, int32_t has);
DT_API dt_tensor dt_clamp_tensor(dt_tensor a, dt_tensor min, dt_tensor max);

/* Reductions over `dims` (ndims < 0: the whole tensor, keepdim ignored). `arg` is the correction
 * (1 = unbiased) for STD/VAR and p for NORM. PROD, ALL and ANY reduce one dimension at a time. */
enum {
  DT_REDUCE_SUM = 0, DT_REDUCE_MEAN = 1, DT_REDUCE_PROD = 2, DT_REDUCE_AMAX = 3, DT_REDUCE_AMIN = 4,
  DT_REDUCE_STD = 5, DT_REDUCE_VAR = 6, DT_REDUCE_NORM = 7, DT_REDUCE_ALL = 8, DT_REDUCE_ANY = 9,
  DT_REDUCE_LOGSUMEXP = 10, DT_REDUCE_COUNT_NONZERO = 11,
};
DT_API dt_tensor dt_reduce(dt_tensor a, int32_t op, const int64_t* dims, int32_t ndims, bool keepdim, double arg);
/* Values and their indices along `dim`. */
DT_API int32_t dt_max_dim(dt_tensor a, int64_t dim, bool keepdim, dt_tensor* values, dt_tensor* indices);
DT_API int32_t dt_min_dim(dt_tensor a, int64_t dim, bool keepdim, dt_tensor* values, dt_tensor* indices);
DT_API int32_t dt_topk(dt_tensor a, int64_t k, int64_t dim, bool largest, bool sorted, dt_tensor* values, dt_tensor* indices);
DT_API int32_t dt_sort(dt_tensor a, int64_t dim, bool descending, dt_tensor* values, dt_tensor* indices);
/* has_dim false: the index into the flattened tensor. */
DT_API dt_tensor dt_argmax(dt_tensor a, int64_t dim, bool has_dim, bool keepdim);
DT_API dt_tensor dt_argmin(dt_tensor a, int64_t dim, bool has_dim, bool keepdim);

/* One tensor and one dimension. */
enum {
  DT_DIM_SOFTMAX = 0, DT_DIM_LOG_SOFTMAX = 1, DT_DIM_CUMSUM = 2, DT_DIM_CUMPROD = 3, DT_DIM_SQUEEZE = 4,
  DT_DIM_UNSQUEEZE = 5,
};
DT_API dt_tensor dt_dim_op(dt_tensor a, int32_t op, int64_t dim);

/* One tensor and a list of sizes or dimensions. */
enum {
  DT_SHAPE_RESHAPE = 0, DT_SHAPE_VIEW = 1, DT_SHAPE_PERMUTE = 2, DT_SHAPE_EXPAND = 3, DT_SHAPE_REPEAT = 4,
  DT_SHAPE_FLIP = 5,
};
DT_API dt_tensor dt_shape_op(dt_tensor a, int32_t op, const int64_t* sizes, int32_t n);
DT_API dt_tensor dt_transpose(dt_tensor a, int64_t dim0, int64_t dim1);
DT_API dt_tensor dt_flatten(dt_tensor a, int64_t start_dim, int64_t end_dim);
DT_API dt_tensor dt_unflatten(dt_tensor a, int64_t dim, const int64_t* sizes, int32_t n);
DT_API dt_tensor dt_narrow(dt_tensor a, int64_t dim, int64_t start, int64_t length);
DT_API dt_tensor dt_select(dt_tensor a, int64_t dim, int64_t index);
DT_API dt_tensor dt_cat(const dt_tensor* tensors, int32_t n, int64_t dim);
DT_API dt_tensor dt_stack(const dt_tensor* tensors, int32_t n, int64_t dim);
/* Splits along `dim` into new handles written to `out`; returns their number, or -1 on failure
 * (also when there are more than `capacity`). DT_SPLIT_SIZE: args[0] elements per piece; SPLIT_SIZES:
 * args are the sizes; DT_SPLIT_CHUNK: args[0] pieces at most; DT_SPLIT_UNBIND: every index, no args. */
enum { DT_SPLIT_SIZE = 0, DT_SPLIT_SIZES = 1, DT_SPLIT_CHUNK = 2, DT_SPLIT_UNBIND = 3 };
DT_API int32_t dt_split(dt_tensor a, int32_t op, const int64_t* args, int32_t nargs, int64_t dim, dt_tensor* out, int32_t capacity);

/* Indexing as Python's t[...]: entry i has kind kinds[i], integers ints[3i..3i+2] and tensors[i].
 * INT: ints[3i]; SLICE: start, stop, step, each INT64_MIN for "absent"; TENSOR: tensors[i] (long
 * indices or a bool mask); BOOL: ints[3i] != 0. */
enum {
  DT_INDEX_INT = 0, DT_INDEX_SLICE = 1, DT_INDEX_ELLIPSIS = 2, DT_INDEX_NONE = 3, DT_INDEX_TENSOR = 4,
  DT_INDEX_BOOL = 5,
};
DT_API dt_tensor dt_index(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n);
DT_API int32_t dt_index_put_(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n, dt_tensor value);
DT_API int32_t dt_index_put_scalar_(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n, dt_scalar value);
DT_API dt_tensor dt_index_select(dt_tensor a, int64_t dim, dt_tensor index);
DT_API dt_tensor dt_gather(dt_tensor a, int64_t dim, dt_tensor index);
DT_API dt_tensor dt_scatter(dt_tensor a, int64_t dim, dt_tensor index, dt_tensor src);
DT_API int32_t dt_scatter_(dt_tensor a, int64_t dim, dt_tensor index, dt_tensor src);
DT_API int32_t dt_scatter_scalar_(dt_tensor a, int64_t dim, dt_tensor index, dt_scalar value);
DT_API dt_tensor dt_masked_fill(dt_tensor a, dt_tensor mask, dt_scalar value);
DT_API int32_t dt_masked_fill_(dt_tensor a, dt_tensor mask, dt_scalar value);

/* Creation from another tensor's shape (dtype -1 and device_type -1 keep the other's), ranges, eye. */
enum {
  DT_CREATE_EMPTY = 0, DT_CREATE_ZEROS = 1, DT_CREATE_ONES = 2, DT_CREATE_FULL = 3, DT_CREATE_RAND = 4,
  DT_CREATE_RANDN = 5,
};
DT_API dt_tensor dt_like(dt_tensor a, int32_t op, dt_scalar fill, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_linspace(dt_scalar start, dt_scalar end, int64_t steps, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_eye(int64_t n, int64_t m, int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad);
DT_API dt_tensor dt_randperm(int64_t n, int32_t dtype, int32_t device_type, int32_t device_index);

/* Filling in place. UNIFORM: [a, b); NORMAL: mean a, std b; BERNOULLI: probability a. */
enum { DT_RANDOM_UNIFORM = 0, DT_RANDOM_NORMAL = 1, DT_RANDOM_BERNOULLI = 2 };
DT_API int32_t dt_random_(dt_tensor a, int32_t op, double arg0, double arg1);
DT_API int32_t dt_fill_(dt_tensor a, dt_scalar value);
DT_API int32_t dt_copy_(dt_tensor a, dt_tensor src);
DT_API int64_t dt_initial_seed(void);
/* end of tensor ops */

/* ---- autograd: gradient hooks ------------------------------------------------------------- */
/*
 * Native code calls back into the managed side through two function pointers installed once:
 * - invoke(id, error, capacity) runs the managed callback registered under `id`; it returns 0, or
 *   non-zero after writing a NUL-terminated UTF-8 message (at most `capacity` bytes) into `error`.
 *   A failure becomes a C++ exception inside backward, so backward fails with that message.
 * - release(id) tells the managed side that the native owner of `id` is gone (hook removed, queued
 *   callback run or dropped), so it can free what `id` stands for. Called exactly once per id.
 */
typedef int32_t (*dt_callback_invoke_fn)(int64_t id, char* error, int32_t capacity);
typedef void (*dt_callback_release_fn)(int64_t id);
DT_API void dt_autograd_set_callbacks(dt_callback_invoke_fn invoke, dt_callback_release_fn release);

typedef void* dt_hook;
/* Adds a post-hook to the grad accumulator of leaf `t` (which must require grad): it runs invoke(id)
 * once per backward, after t.grad has been written (accumulated). The returned handle keeps the
 * accumulator alive; dt_hook_remove removes the hook and frees the handle (NULL on failure). */
DT_API dt_hook dt_tensor_register_post_accumulate_grad_hook(dt_tensor t, int64_t id);
DT_API int32_t dt_hook_remove(dt_hook hook);
/* Queues invoke(id) to run once after every gradient of the current backward has been written.
 * Valid only while a backward is running (from a hook); fails otherwise. */
DT_API int32_t dt_autograd_queue_callback(int64_t id);
/* release(id) follows only when these calls succeed; on failure the caller keeps and frees its id. */
/* end of gradient hooks */

/* ---- nn: functional layers, activations, losses, initialisation ----------------------------- */
/* Optional tensors are NULL. Pairs of sizes are int64_t[2] (height, width).
 * Reductions use at::Reduction's numbering: 0 = none, 1 = mean, 2 = sum. */
DT_API dt_tensor dt_nn_linear(dt_tensor input, dt_tensor weight, dt_tensor bias);
DT_API dt_tensor dt_nn_conv2d(dt_tensor input, dt_tensor weight, dt_tensor bias, const int64_t* stride,
                              const int64_t* padding, const int64_t* dilation, int64_t groups);
DT_API dt_tensor dt_nn_max_pool2d(dt_tensor input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, const int64_t* dilation, bool ceil_mode);
DT_API dt_tensor dt_nn_avg_pool2d(dt_tensor input, const int64_t* kernel, const int64_t* stride,
                                  const int64_t* padding, bool ceil_mode, bool count_include_pad);
DT_API dt_tensor dt_nn_adaptive_avg_pool2d(dt_tensor input, const int64_t* output_size);
/* When training and num_batches_tracked is given, it is incremented first; momentum < 0 then means
 * a cumulative moving average (factor 1 / num_batches_tracked), as PyTorch's momentum=None. */
DT_API dt_tensor dt_nn_batch_norm(dt_tensor input, dt_tensor running_mean, dt_tensor running_var, dt_tensor weight,
                                  dt_tensor bias, dt_tensor num_batches_tracked, bool training, double momentum, double eps);
DT_API dt_tensor dt_nn_dropout(dt_tensor input, double p, bool training);
DT_API dt_tensor dt_nn_embedding(dt_tensor weight, dt_tensor indices, int64_t padding_idx);

DT_API dt_tensor dt_nn_leaky_relu(dt_tensor input, double negative_slope);
DT_API dt_tensor dt_nn_gelu(dt_tensor input, bool tanh_approximation);

DT_API dt_tensor dt_nn_mse_loss(dt_tensor input, dt_tensor target, int32_t reduction);
DT_API dt_tensor dt_nn_l1_loss(dt_tensor input, dt_tensor target, int32_t reduction);
DT_API dt_tensor dt_nn_cross_entropy(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction,
                                     int64_t ignore_index, double label_smoothing);
DT_API dt_tensor dt_nn_nll_loss(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction, int64_t ignore_index);
DT_API dt_tensor dt_nn_binary_cross_entropy(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction);
DT_API dt_tensor dt_nn_binary_cross_entropy_with_logits(dt_tensor input, dt_tensor target, dt_tensor weight,
                                                        dt_tensor pos_weight, int32_t reduction);

/* Initialisation: in place, outside autograd, with libtorch's default generator. */
DT_API int32_t dt_nn_init_fill_row_(dt_tensor t, int64_t row, dt_scalar value); /* t[row] = value */

/* Module support. set_data swaps the tensor's data (device, dtype) keeping its identity and
 * autograd leaf status (PyTorch's param.data = ...); copy_ copies outside autograd, checking shapes;
 * zero_grad clears t.grad (set_to_none) or zeroes it in place. */
DT_API int32_t dt_nn_set_data(dt_tensor t, dt_tensor data);
DT_API int32_t dt_nn_copy_(dt_tensor dst, dt_tensor src);
DT_API int32_t dt_nn_zero_grad(dt_tensor t, bool set_to_none);
/* end of nn */

/* ---- optim: fused optimizer steps, gradient clipping ---------------------------------------- */
/*
 * An optimizer handle holds its parameters (as further references to the same tensors) and their
 * state natively, so that one call steps every parameter with PyTorch 1.13's single-tensor rules.
 * kind: 0 = SGD, 1 = Adam, 2 = AdamW.
 * options, in this order (bools as 0/1):
 *   SGD:        lr, momentum, dampening, weight_decay, nesterov, maximize
 *   Adam/AdamW: lr, beta1, beta2, eps, weight_decay, amsgrad, maximize
 * State slots per parameter:
 *   SGD:        0 = momentum_buffer
 *   Adam/AdamW: 0 = step (a 0-dim float32 tensor), 1 = exp_avg, 2 = exp_avg_sq, 3 = max_exp_avg_sq
 * Parameters are numbered across groups in the order they were added.
 */
typedef void* dt_optimizer;
DT_API dt_optimizer dt_optim_new(int32_t kind);
DT_API void dt_optim_free(dt_optimizer o);
DT_API int32_t dt_optim_add_group(dt_optimizer o, const dt_tensor* params, int32_t count, const double* options, int32_t noptions);
DT_API int32_t dt_optim_set_options(dt_optimizer o, int32_t group, const double* options, int32_t noptions);
/* Steps every parameter that has a gradient, under no-grad. */
DT_API int32_t dt_optim_step(dt_optimizer o);
DT_API int32_t dt_optim_zero_grad(dt_optimizer o, bool set_to_none);
/* *value is set to a new handle to the state tensor (shared storage; step: a new tensor), or NULL when absent. */
DT_API int32_t dt_optim_get_state(dt_optimizer o, int32_t param, int32_t slot, dt_tensor* value);
/* Stores a copy of value (cast to the parameter's dtype and device); NULL clears the slot. */
DT_API int32_t dt_optim_set_state(dt_optimizer o, int32_t param, int32_t slot, dt_tensor value);
/* Scales the gradients of params so that their joint norm of order norm_type (inf allowed) is at most max_norm,
   as torch.nn.utils.clip_grad_norm_ does; *total_norm receives the norm before clipping. */
DT_API int32_t dt_clip_grad_norm(const dt_tensor* params, int32_t count, double max_norm, double norm_type, double* total_norm);
/* end of optim */

/* ---- distributed: c10d store bridge, process groups, collectives ---------------------------- */
/*
 * Stores. A dt_store is a reference to a c10d::Store (c10::intrusive_ptr); free each handle with
 * dt_store_free. A managed store is a c10d::Store whose every call is answered by the managed side
 * through the callbacks below (installed once), for the store registered under `id`.
 * - Every callback returns 0, or non-zero after writing a NUL-terminated UTF-8 message (at most
 *   `capacity` bytes) into `error`; the native side then throws a C++ error with that message, so a
 *   failing store makes c10d (and process-group construction) fail with it.
 * - Keys are UTF-8 (pointer, length), not NUL-terminated. Timeouts are in milliseconds.
 * - get and compare_set hand their value back with dt_store_result_set(result, data, length).
 * - release(id) is called exactly once, when the last native reference to the store is gone.
 * Callbacks run on whatever thread c10d uses (the caller's, or Gloo's own threads).
 */
typedef void* dt_store;
typedef void* dt_process_group;
typedef void* dt_work;

typedef struct dt_store_callbacks {
  int32_t (*set)(int64_t id, const char* key, int32_t key_length, const uint8_t* value, int64_t value_length,
                 char* error, int32_t capacity);
  int32_t (*get)(int64_t id, const char* key, int32_t key_length, int64_t timeout_ms, void* result,
                 char* error, int32_t capacity);
  int32_t (*add)(int64_t id, const char* key, int32_t key_length, int64_t delta, int64_t* value,
                 char* error, int32_t capacity);
  int32_t (*compare_set)(int64_t id, const char* key, int32_t key_length, const uint8_t* expected,
                         int64_t expected_length, const uint8_t* desired, int64_t desired_length, void* result,
                         char* error, int32_t capacity);
  int32_t (*delete_key)(int64_t id, const char* key, int32_t key_length, int32_t* existed, char* error,
                        int32_t capacity);
  int32_t (*check)(int64_t id, const char* const* keys, const int32_t* key_lengths, int32_t count,
                   int32_t* all_exist, char* error, int32_t capacity);
  int32_t (*wait)(int64_t id, const char* const* keys, const int32_t* key_lengths, int32_t count,
                  int64_t timeout_ms, char* error, int32_t capacity);
  int32_t (*num_keys)(int64_t id, int64_t* count, char* error, int32_t capacity);
  void (*release)(int64_t id);
} dt_store_callbacks;

DT_API void dt_store_set_callbacks(const dt_store_callbacks* callbacks);
DT_API void dt_store_result_set(void* result, const uint8_t* data, int64_t length);
/* A c10d::Store backed by managed store `id`; release(id) follows only when this succeeds. */
DT_API dt_store dt_store_managed_create(int64_t id, int64_t timeout_ms);
/* c10d's TCPStore: the server (is_server) listens on `port` (0: a free one, see dt_store_tcp_port). */
DT_API dt_store dt_store_tcp_create(const char* host, int32_t port, int32_t world_size, bool is_server,
                                    int64_t timeout_ms);
DT_API int32_t dt_store_tcp_port(dt_store store);
/* c10d's PrefixStore: every key of `store` prefixed with `prefix` + "/". */
DT_API dt_store dt_store_prefix_create(const char* prefix, dt_store store);
DT_API dt_store dt_store_alias(dt_store store); /* a second handle to the same store */
DT_API void dt_store_free(dt_store store);

/* c10d's Store API on any store (the calls c10d itself makes). Values come back in a malloc'd
 * buffer (*data, *length) that the caller frees with dt_buffer_free; *data is NULL when empty. */
DT_API int32_t dt_store_set(dt_store store, const char* key, const uint8_t* value, int64_t length);
DT_API int32_t dt_store_get(dt_store store, const char* key, uint8_t** data, int64_t* length);
DT_API int32_t dt_store_add(dt_store store, const char* key, int64_t delta, int64_t* value);
DT_API int32_t dt_store_compare_set(dt_store store, const char* key, const uint8_t* expected, int64_t expected_length,
                                    const uint8_t* desired, int64_t desired_length, uint8_t** data, int64_t* length);
DT_API int32_t dt_store_delete_key(dt_store store, const char* key, int32_t* existed);
DT_API int32_t dt_store_check(dt_store store, const char* const* keys, int32_t count, int32_t* all_exist);
/* timeout_ms < 0: the store's own timeout. */
DT_API int32_t dt_store_wait(dt_store store, const char* const* keys, int32_t count, int64_t timeout_ms);
DT_API int32_t dt_store_num_keys(dt_store store, int64_t* count);
DT_API int32_t dt_store_get_timeout(dt_store store, int64_t* timeout_ms);
DT_API int32_t dt_store_set_timeout(dt_store store, int64_t timeout_ms);
DT_API void dt_buffer_free(void* data);

/*
 * Process groups. Backends: 0 = Gloo (CPU tensors), 1 = NCCL (CUDA tensors; fails in builds of
 * libtorch without NCCL). `timeout_ms` is the default timeout of every collective.
 * Gloo's device: `interface` (a network interface name) when given, else `hostname` (an address
 * or name of this host) when given, else the host name's address (loopback if it does not resolve).
 * `local_all_reduce` non-zero: when every rank maps one shared-memory segment (all on this host),
 * sums and averages of CPU float/double/int/long tensors go through it instead of Gloo.
 * Every rank takes part in that check (through the store); zero on any rank turns it off for all.
 */
DT_API dt_process_group dt_process_group_gloo_create(dt_store store, int32_t rank, int32_t size, int64_t timeout_ms,
                                                     const char* interface, const char* hostname, int32_t threads,
                                                     int32_t local_all_reduce);
DT_API dt_process_group dt_process_group_nccl_create(dt_store store, int32_t rank, int32_t size, int64_t timeout_ms);
DT_API int32_t dt_nccl_is_available(void);
/* Makes device (type, index) the current one of its type on this thread and new ones (a rank's GPU). */
DT_API int32_t dt_distributed_set_device(int32_t device_type, int32_t device_index);
DT_API int32_t dt_process_group_rank(dt_process_group pg);
DT_API int32_t dt_process_group_size(dt_process_group pg);
DT_API int32_t dt_process_group_backend(dt_process_group pg);
/* 1 when this group's sums go through the shared-memory all-reduce, 0 when through the backend. */
DT_API int32_t dt_process_group_local_all_reduce(dt_process_group pg);
/* Why the shared-memory all-reduce is not used (which rank could not take part, and why), or that it is;
 * valid while the group lives. Empty for NCCL groups. */
DT_API const char* dt_process_group_local_all_reduce_status(dt_process_group pg);
DT_API void dt_process_group_free(dt_process_group pg);

/*
 * Collectives. Each starts the operation and returns a work handle (NULL on failure to start);
 * free it with dt_work_free. Reduce ops: 0 = sum, 1 = avg, 2 = product, 3 = min, 4 = max.
 * timeout_ms < 0 uses the group's default. Gloo has no avg: it is a sum divided by the size when the
 * work completes; Gloo in libtorch 1.13 has no reduce_scatter: it is an all-reduce of the inputs
 * followed by a copy of this rank's part.
 */
DT_API dt_work dt_all_reduce(dt_process_group pg, dt_tensor tensor, int32_t op, int64_t timeout_ms);
DT_API dt_work dt_broadcast(dt_process_group pg, dt_tensor tensor, int32_t root, int64_t timeout_ms);
/* outputs: `count` (= size) tensors shaped like input. */
DT_API dt_work dt_all_gather(dt_process_group pg, const dt_tensor* outputs, int32_t count, dt_tensor input,
                             int64_t timeout_ms);
/* inputs: `count` (= size) tensors shaped like output; output receives the reduction of inputs[rank]. */
DT_API dt_work dt_reduce_scatter(dt_process_group pg, dt_tensor output, const dt_tensor* inputs, int32_t count,
                                 int32_t op, int64_t timeout_ms);
DT_API dt_work dt_barrier(dt_process_group pg, int64_t timeout_ms);
/* Waits at most timeout_ms (< 0: until the collective's own timeout fires), then finishes the work
 * (avg division, reduce_scatter copy). Returns 0 when done; 1 when the wait timed out (the work
 * is still pending); -1 on failure (dt_last_error: the backend's message). */
DT_API int32_t dt_work_wait(dt_work work, int64_t timeout_ms);
DT_API int32_t dt_work_is_completed(dt_work work);
DT_API void dt_work_free(dt_work work);
/* end of distributed */

#ifdef __cplusplus
}
#endif
