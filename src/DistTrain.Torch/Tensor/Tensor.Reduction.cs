using DistTrain.Torch.Native;

namespace DistTrain.Torch;

public static partial class torch
{
    // Reductions over the whole tensor (a 0-D result) or over dimensions (negative dims count from
    // the end; keepdim leaves the reduced dimensions in place with size 1).
    public partial class Tensor
    {
        private unsafe Tensor Reduce(ReduceOp op, ReadOnlySpan<long> dims, bool keepdim, double arg = 0)
        {
            fixed (long* p = dims) return new Tensor(NativeMethods.dt_reduce(Handle, (int)op, p, dims.Length, keepdim, arg));
        }

        private unsafe Tensor ReduceAll(ReduceOp op, double arg = 0) => new(NativeMethods.dt_reduce(Handle, (int)op, null, -1, false, arg));

        private unsafe Tensor Reduce(ReduceOp op, long dim, bool keepdim, double arg = 0) =>
            new(NativeMethods.dt_reduce(Handle, (int)op, &dim, 1, keepdim, arg));

        /// <summary>Sum of all elements.</summary>
        public Tensor sum() => new(NativeMethods.dt_sum(Handle));
        /// <summary>Sum over <paramref name="dim"/>.</summary>
        public Tensor sum(long dim, bool keepdim = false) => Reduce(ReduceOp.Sum, dim, keepdim);
        /// <summary>Sum over several dimensions.</summary>
        public Tensor sum(ReadOnlySpan<long> dims, bool keepdim = false) => Reduce(ReduceOp.Sum, dims, keepdim);
        /// <summary>Mean of all elements.</summary>
        public Tensor mean() => new(NativeMethods.dt_mean(Handle));
        /// <summary>Mean over <paramref name="dim"/>.</summary>
        public Tensor mean(long dim, bool keepdim = false) => Reduce(ReduceOp.Mean, dim, keepdim);
        /// <summary>Mean over several dimensions.</summary>
        public Tensor mean(ReadOnlySpan<long> dims, bool keepdim = false) => Reduce(ReduceOp.Mean, dims, keepdim);
        /// <summary>Product of all elements.</summary>
        public Tensor prod() => ReduceAll(ReduceOp.Prod);
        /// <summary>Product over <paramref name="dim"/>.</summary>
        public Tensor prod(long dim, bool keepdim = false) => Reduce(ReduceOp.Prod, dim, keepdim);
        /// <summary>Standard deviation of all elements (Bessel-corrected when <paramref name="unbiased"/>).</summary>
        public Tensor std(bool unbiased = true) => ReduceAll(ReduceOp.Std, unbiased ? 1 : 0);
        /// <summary>Standard deviation over <paramref name="dim"/>.</summary>
        public Tensor std(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Std, dim, keepdim, unbiased ? 1 : 0);
        /// <summary>Standard deviation over several dimensions.</summary>
        public Tensor std(ReadOnlySpan<long> dims, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Std, dims, keepdim, unbiased ? 1 : 0);
        /// <summary>Variance of all elements (Bessel-corrected when <paramref name="unbiased"/>).</summary>
        public Tensor var(bool unbiased = true) => ReduceAll(ReduceOp.Var, unbiased ? 1 : 0);
        /// <summary>Variance over <paramref name="dim"/>.</summary>
        public Tensor var(long dim, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Var, dim, keepdim, unbiased ? 1 : 0);
        /// <summary>Variance over several dimensions.</summary>
        public Tensor var(ReadOnlySpan<long> dims, bool unbiased = true, bool keepdim = false) => Reduce(ReduceOp.Var, dims, keepdim, unbiased ? 1 : 0);
        /// <summary>The p-norm of all elements.</summary>
        public Tensor norm(double p = 2) => ReduceAll(ReduceOp.Norm, p);
        /// <summary>The p-norm over <paramref name="dim"/> (keepdim has no default so that norm(2) stays the 2-norm).</summary>
        public Tensor norm(long dim, bool keepdim, double p = 2) => Reduce(ReduceOp.Norm, dim, keepdim, p);
        /// <summary>The p-norm over several dimensions.</summary>
        public Tensor norm(ReadOnlySpan<long> dims, bool keepdim = false, double p = 2) => Reduce(ReduceOp.Norm, dims, keepdim, p);
        /// <summary>log(Σ exp(x)) over <paramref name="dim"/>, computed stably.</summary>
        public Tensor logsumexp(long dim, bool keepdim = false) => Reduce(ReduceOp.LogSumExp, dim, keepdim);
        /// <summary>Largest element.</summary>
        public Tensor max() => ReduceAll(ReduceOp.Amax);
        /// <summary>Smallest element.</summary>
        public Tensor min() => ReduceAll(ReduceOp.Amin);
        /// <summary>Largest values over several dimensions (no indices).</summary>
        public Tensor amax(ReadOnlySpan<long> dims, bool keepdim = false) => Reduce(ReduceOp.Amax, dims, keepdim);
        /// <summary>Smallest values over several dimensions (no indices).</summary>
        public Tensor amin(ReadOnlySpan<long> dims, bool keepdim = false) => Reduce(ReduceOp.Amin, dims, keepdim);
        /// <summary>True (a bool tensor) when every element is non-zero.</summary>
        public Tensor all() => ReduceAll(ReduceOp.All);
        /// <summary>Whether every element along <paramref name="dim"/> is non-zero.</summary>
        public Tensor all(long dim, bool keepdim = false) => Reduce(ReduceOp.All, dim, keepdim);
        /// <summary>True (a bool tensor) when some element is non-zero.</summary>
        public Tensor any() => ReduceAll(ReduceOp.Any);
        /// <summary>Whether some element along <paramref name="dim"/> is non-zero.</summary>
        public Tensor any(long dim, bool keepdim = false) => Reduce(ReduceOp.Any, dim, keepdim);
        /// <summary>Number of non-zero elements (int64).</summary>
        public Tensor count_nonzero() => ReduceAll(ReduceOp.CountNonzero);
        /// <summary>Number of non-zero elements along <paramref name="dim"/>.</summary>
        public Tensor count_nonzero(long dim) => Reduce(ReduceOp.CountNonzero, dim, false);

        /// <summary>Largest values along <paramref name="dim"/> and where they are (int64 indexes).</summary>
        public (Tensor values, Tensor indexes) max(long dim, bool keepdim = false) =>
            Pair(NativeMethods.dt_max_dim(Handle, dim, keepdim, out var v, out var i), v, i);
        /// <summary>Smallest values along <paramref name="dim"/> and where they are (int64 indexes).</summary>
        public (Tensor values, Tensor indexes) min(long dim, bool keepdim = false) =>
            Pair(NativeMethods.dt_min_dim(Handle, dim, keepdim, out var v, out var i), v, i);
        /// <summary>The <paramref name="k"/> largest (or smallest) values along <paramref name="dim"/> and their indexes.</summary>
        public (Tensor values, Tensor indexes) topk(long k, long dim = -1, bool largest = true, bool sorted = true) =>
            Pair(NativeMethods.dt_topk(Handle, k, dim, largest, sorted, out var v, out var i), v, i);
        /// <summary>The values sorted along <paramref name="dim"/> and the permutation that sorts them.</summary>
        public (Tensor values, Tensor indexes) sort(long dim = -1, bool descending = false) =>
            Pair(NativeMethods.dt_sort(Handle, dim, descending, out var v, out var i), v, i);
        /// <summary>Index of the largest element in the flattened tensor.</summary>
        public Tensor argmax() => new(NativeMethods.dt_argmax(Handle, 0, false, false));
        /// <summary>Indexes of the largest elements along <paramref name="dim"/>.</summary>
        public Tensor argmax(long dim, bool keepdim = false) => new(NativeMethods.dt_argmax(Handle, dim, true, keepdim));
        /// <summary>Index of the smallest element in the flattened tensor.</summary>
        public Tensor argmin() => new(NativeMethods.dt_argmin(Handle, 0, false, false));
        /// <summary>Indexes of the smallest elements along <paramref name="dim"/>.</summary>
        public Tensor argmin(long dim, bool keepdim = false) => new(NativeMethods.dt_argmin(Handle, dim, true, keepdim));

        /// <summary>Running sum along <paramref name="dim"/>.</summary>
        public Tensor cumsum(long dim) => DimOperation(DimOp.Cumsum, dim);
        /// <summary>Running product along <paramref name="dim"/>.</summary>
        public Tensor cumprod(long dim) => DimOperation(DimOp.Cumprod, dim);
        /// <summary>exp(x) / Σ exp(x) along <paramref name="dim"/>.</summary>
        public Tensor softmax(long dim) => DimOperation(DimOp.Softmax, dim);
        /// <summary>log(softmax(x)) along <paramref name="dim"/>, computed stably.</summary>
        public Tensor log_softmax(long dim) => DimOperation(DimOp.LogSoftmax, dim);
    }

    /// <summary>Sum of all elements.</summary>
    public static Tensor sum(Tensor input) => input.sum();
    /// <summary>Sum over <paramref name="dim"/>.</summary>
    public static Tensor sum(Tensor input, long dim, bool keepdim = false) => input.sum(dim, keepdim);
    /// <summary>Mean of all elements.</summary>
    public static Tensor mean(Tensor input) => input.mean();
    /// <summary>Mean over <paramref name="dim"/>.</summary>
    public static Tensor mean(Tensor input, long dim, bool keepdim = false) => input.mean(dim, keepdim);
    /// <summary>Largest element.</summary>
    public static Tensor max(Tensor input) => input.max();
    /// <summary>Largest values along <paramref name="dim"/> and their indexes.</summary>
    public static (Tensor values, Tensor indexes) max(Tensor input, long dim, bool keepdim = false) => input.max(dim, keepdim);
    /// <summary>Smallest element.</summary>
    public static Tensor min(Tensor input) => input.min();
    /// <summary>Smallest values along <paramref name="dim"/> and their indexes.</summary>
    public static (Tensor values, Tensor indexes) min(Tensor input, long dim, bool keepdim = false) => input.min(dim, keepdim);
    /// <summary>Index of the largest element (flattened), or along <paramref name="dim"/> when given.</summary>
    public static Tensor argmax(Tensor input, long? dim = null, bool keepdim = false) => dim is { } d ? input.argmax(d, keepdim) : input.argmax();
    /// <summary>Index of the smallest element (flattened), or along <paramref name="dim"/> when given.</summary>
    public static Tensor argmin(Tensor input, long? dim = null, bool keepdim = false) => dim is { } d ? input.argmin(d, keepdim) : input.argmin();
    /// <summary>The <paramref name="k"/> largest (or smallest) values along <paramref name="dim"/> and their indexes.</summary>
    public static (Tensor values, Tensor indexes) topk(Tensor input, long k, long dim = -1, bool largest = true, bool sorted = true) =>
        input.topk(k, dim, largest, sorted);
    /// <summary>Running sum along <paramref name="dim"/>.</summary>
    public static Tensor cumsum(Tensor input, long dim) => input.cumsum(dim);
    /// <summary>Softmax along <paramref name="dim"/>.</summary>
    public static Tensor softmax(Tensor input, long dim) => input.softmax(dim);
    /// <summary>Log-softmax along <paramref name="dim"/>.</summary>
    public static Tensor log_softmax(Tensor input, long dim) => input.log_softmax(dim);
    /// <summary>Whether every element is non-zero.</summary>
    public static Tensor all(Tensor input) => input.all();
    /// <summary>Whether some element is non-zero.</summary>
    public static Tensor any(Tensor input) => input.any();
}
