// Reductions (over all elements or over dimensions), values with indices, arg-extrema, and the
// operations along one dimension (softmax, cumulative sums, squeeze/unsqueeze).
#include "native.h"

#include <algorithm>
#include <vector>

using dt::unwrap;

namespace {

// Applies a one-dimension reduction to each of `dims`, from the highest so that indices stay valid.
template <class F>
at::Tensor each_dim(const at::Tensor& a, at::IntArrayRef dims, bool keepdim, F reduce_one) {
  std::vector<int64_t> sorted;
  for (auto d : dims) sorted.push_back(c10::maybe_wrap_dim(d, a.dim()));
  std::sort(sorted.rbegin(), sorted.rend());
  at::Tensor result = a;
  for (auto d : sorted) result = reduce_one(result, d, keepdim);
  return result;
}

at::Tensor reduce_all(const at::Tensor& a, int32_t op, double arg) {
  switch (op) {
    case DT_REDUCE_SUM: return a.sum();
    case DT_REDUCE_MEAN: return a.mean();
    case DT_REDUCE_PROD: return a.prod();
    case DT_REDUCE_AMAX: return a.max();
    case DT_REDUCE_AMIN: return a.min();
    case DT_REDUCE_STD: return a.std(arg != 0);
    case DT_REDUCE_VAR: return a.var(arg != 0);
    case DT_REDUCE_NORM: return a.norm(at::Scalar(arg));
    case DT_REDUCE_ALL: return a.all();
    case DT_REDUCE_ANY: return a.any();
    case DT_REDUCE_LOGSUMEXP: return a.flatten().logsumexp(0);
    case DT_REDUCE_COUNT_NONZERO: return a.count_nonzero();
  }
  TORCH_CHECK(false, "unknown reduction code ", op);
}

at::Tensor reduce_dims(const at::Tensor& a, int32_t op, at::IntArrayRef dims, bool keepdim, double arg) {
  switch (op) {
    case DT_REDUCE_SUM: return a.sum(dims, keepdim);
    case DT_REDUCE_MEAN: return a.mean(dims, keepdim);
    case DT_REDUCE_AMAX: return a.amax(dims, keepdim);
    case DT_REDUCE_AMIN: return a.amin(dims, keepdim);
    case DT_REDUCE_STD: return a.std(dims, arg != 0, keepdim);
    case DT_REDUCE_VAR: return a.var(dims, arg != 0, keepdim);
    case DT_REDUCE_NORM: return a.norm(at::Scalar(arg), dims, keepdim);
    case DT_REDUCE_LOGSUMEXP: return a.logsumexp(dims, keepdim);
    case DT_REDUCE_PROD:
      return each_dim(a, dims, keepdim, [](const at::Tensor& t, int64_t d, bool k) { return t.prod(d, k); });
    case DT_REDUCE_ALL:
      return each_dim(a, dims, keepdim, [](const at::Tensor& t, int64_t d, bool k) { return t.all(d, k); });
    case DT_REDUCE_ANY:
      return each_dim(a, dims, keepdim, [](const at::Tensor& t, int64_t d, bool k) { return t.any(d, k); });
    case DT_REDUCE_COUNT_NONZERO: {
      auto counted = a.count_nonzero(dims);
      if (!keepdim) return counted;
      std::vector<int64_t> kept(a.sizes().begin(), a.sizes().end());
      for (auto d : dims) kept[c10::maybe_wrap_dim(d, a.dim())] = 1;
      return counted.reshape(kept);
    }
  }
  TORCH_CHECK(false, "unknown reduction code ", op);
}

at::Tensor dim_op(const at::Tensor& a, int32_t op, int64_t dim) {
  switch (op) {
    case DT_DIM_SOFTMAX: return a.softmax(dim);
    case DT_DIM_LOG_SOFTMAX: return a.log_softmax(dim);
    case DT_DIM_CUMSUM: return a.cumsum(dim);
    case DT_DIM_CUMPROD: return a.cumprod(dim);
    case DT_DIM_SQUEEZE: return a.squeeze(dim);
    case DT_DIM_UNSQUEEZE: return a.unsqueeze(dim);
  }
  TORCH_CHECK(false, "unknown dimension operation code ", op);
}

int32_t pair(std::tuple<at::Tensor, at::Tensor> result, dt_tensor* first, dt_tensor* second) {
  *first = dt::wrap(std::move(std::get<0>(result)));
  *second = dt::wrap(std::move(std::get<1>(result)));
  return 0;
}

c10::optional<int64_t> optional_dim(int64_t dim, bool has_dim) {
  return has_dim ? c10::optional<int64_t>(dim) : c10::nullopt;
}

}  // namespace

extern "C" {

dt_tensor dt_reduce(dt_tensor a, int32_t op, const int64_t* dims, int32_t ndims, bool keepdim, double arg) {
  DT_TENSOR_FN(ndims < 0 ? reduce_all(unwrap(a), op, arg) : reduce_dims(unwrap(a), op, dt::shape(dims, ndims), keepdim, arg))
}

int32_t dt_max_dim(dt_tensor a, int64_t dim, bool keepdim, dt_tensor* values, dt_tensor* indices) {
  DT_TRY return pair(unwrap(a).max(dim, keepdim), values, indices); DT_CATCH(-1)
}

int32_t dt_min_dim(dt_tensor a, int64_t dim, bool keepdim, dt_tensor* values, dt_tensor* indices) {
  DT_TRY return pair(unwrap(a).min(dim, keepdim), values, indices); DT_CATCH(-1)
}

int32_t dt_topk(dt_tensor a, int64_t k, int64_t dim, bool largest, bool sorted, dt_tensor* values, dt_tensor* indices) {
  DT_TRY return pair(unwrap(a).topk(k, dim, largest, sorted), values, indices); DT_CATCH(-1)
}

int32_t dt_sort(dt_tensor a, int64_t dim, bool descending, dt_tensor* values, dt_tensor* indices) {
  DT_TRY return pair(unwrap(a).sort(dim, descending), values, indices); DT_CATCH(-1)
}

dt_tensor dt_argmax(dt_tensor a, int64_t dim, bool has_dim, bool keepdim) {
  DT_TENSOR_FN(unwrap(a).argmax(optional_dim(dim, has_dim), keepdim))
}

dt_tensor dt_argmin(dt_tensor a, int64_t dim, bool has_dim, bool keepdim) {
  DT_TENSOR_FN(unwrap(a).argmin(optional_dim(dim, has_dim), keepdim))
}

dt_tensor dt_dim_op(dt_tensor a, int32_t op, int64_t dim) { DT_TENSOR_FN(dim_op(unwrap(a), op, dim)) }

}  // extern "C"
