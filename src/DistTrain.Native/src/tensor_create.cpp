// Tensor factories: empty, zeros, ones, full, rand, randn, randint, arange.
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

}  // extern "C"
