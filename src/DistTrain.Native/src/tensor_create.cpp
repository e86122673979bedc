// Tensor factories: empty, zeros, ones, full, rand, randn, randint, arange, linspace, eye, randperm, and the *_like family.
#include "native.h"

using dt::options;
using dt::shape;

extern "C" {

dt_tensor dt_empty(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::empty(shape(sizes, ndim), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_zeros(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::zeros(shape(sizes, ndim), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_ones(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::ones(shape(sizes, ndim), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_full(const int64_t* sizes, int32_t ndim, dt_scalar value, int32_t dtype, int32_t dev, int32_t index,
                  bool requires_grad) {
  DT_TENSOR_FN(torch::full(shape(sizes, ndim), dt::scalar(value), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_rand(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::rand(shape(sizes, ndim), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_randn(const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::randn(shape(sizes, ndim), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_randint(int64_t low, int64_t high, const int64_t* sizes, int32_t ndim, int32_t dtype, int32_t dev, int32_t index) {
  DT_TENSOR_FN(torch::randint(low, high, shape(sizes, ndim), options(dtype, dev, index)))
}

dt_tensor dt_arange(dt_scalar start, dt_scalar end, dt_scalar step, int32_t dtype, int32_t dev, int32_t index,
                    bool requires_grad) {
  DT_TENSOR_FN(torch::arange(dt::scalar(start), dt::scalar(end), dt::scalar(step), options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_linspace(dt_scalar start, dt_scalar end, int64_t steps, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::linspace(dt::scalar(start), dt::scalar(end), steps, options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_eye(int64_t n, int64_t m, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TENSOR_FN(torch::eye(n, m, options(dtype, dev, index, requires_grad)))
}

dt_tensor dt_randperm(int64_t n, int32_t dtype, int32_t dev, int32_t index) {
  DT_TENSOR_FN(torch::randperm(n, options(dtype, dev, index)))
}

dt_tensor dt_like(dt_tensor a, int32_t op, dt_scalar fill, int32_t dtype, int32_t dev, int32_t index, bool requires_grad) {
  DT_TRY
  const auto& self = dt::unwrap(a);
  auto opts = self.options()
                  .dtype(dtype < 0 ? self.scalar_type() : static_cast<at::ScalarType>(dtype))
                  .device(dev < 0 ? self.device() : dt::device(dev, index))
                  .requires_grad(requires_grad);
  switch (op) {
    case DT_CREATE_EMPTY: return dt::wrap(torch::empty_like(self, opts));
    case DT_CREATE_ZEROS: return dt::wrap(torch::zeros_like(self, opts));
    case DT_CREATE_ONES: return dt::wrap(torch::ones_like(self, opts));
    case DT_CREATE_FULL: return dt::wrap(torch::full_like(self, dt::scalar(fill), opts));
    case DT_CREATE_RAND: return dt::wrap(torch::rand_like(self, opts));
    case DT_CREATE_RANDN: return dt::wrap(torch::randn_like(self, opts));
  }
  TORCH_CHECK(false, "unknown *_like operation code ", op);
  DT_CATCH(nullptr)
}

}  // extern "C"
