// nn layers as single libtorch calls: linear, conv2d, pooling, batch norm, dropout, embedding, flatten.
#include "native.h"

using dt::unwrap;

namespace {
c10::optional<at::Tensor> optional(dt_tensor t) {
  if (!t) return c10::nullopt;
  return unwrap(t);
}
at::IntArrayRef pair(const int64_t* values) { return at::IntArrayRef(values, 2); }
}  // namespace

extern "C" {

dt_tensor dt_nn_linear(dt_tensor input, dt_tensor weight, dt_tensor bias) {
  DT_TENSOR_FN(at::linear(unwrap(input), unwrap(weight), optional(bias)))
}

dt_tensor dt_nn_conv2d(dt_tensor input, dt_tensor weight, dt_tensor bias, const int64_t* stride, const int64_t* padding,
                       const int64_t* dilation, int64_t groups) {
  DT_TENSOR_FN(at::conv2d(unwrap(input), unwrap(weight), optional(bias), pair(stride), pair(padding), pair(dilation), groups))
}

dt_tensor dt_nn_max_pool2d(dt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                           const int64_t* dilation, bool ceil_mode) {
  DT_TENSOR_FN(at::max_pool2d(unwrap(input), pair(kernel), pair(stride), pair(padding), pair(dilation), ceil_mode))
}

dt_tensor dt_nn_avg_pool2d(dt_tensor input, const int64_t* kernel, const int64_t* stride, const int64_t* padding,
                           bool ceil_mode, bool count_include_pad) {
  DT_TENSOR_FN(at::avg_pool2d(unwrap(input), pair(kernel), pair(stride), pair(padding), ceil_mode, count_include_pad))
}

dt_tensor dt_nn_adaptive_avg_pool2d(dt_tensor input, const int64_t* output_size) {
  DT_TENSOR_FN(at::adaptive_avg_pool2d(unwrap(input), pair(output_size)))
}

dt_tensor dt_nn_batch_norm(dt_tensor input, dt_tensor running_mean, dt_tensor running_var, dt_tensor weight, dt_tensor bias,
                           dt_tensor num_batches_tracked, bool training, double momentum, double eps) {
  DT_TRY
  if (training && num_batches_tracked) {
    auto& tracked = unwrap(num_batches_tracked);
    {
      at::NoGradGuard no_grad;
      tracked.add_(1);
    }
    if (momentum < 0) momentum = 1.0 / tracked.item<double>();
  }
  if (momentum < 0) momentum = 0.0;
  return dt::wrap(at::batch_norm(unwrap(input), optional(weight), optional(bias), optional(running_mean),
                                 optional(running_var), training, momentum, eps, /*cudnn_enabled=*/true));
  DT_CATCH(nullptr)
}

dt_tensor dt_nn_dropout(dt_tensor input, double p, bool training) {
  DT_TRY
  TORCH_CHECK(p >= 0 && p <= 1, "dropout probability has to be between 0 and 1, but got ", p);
  return dt::wrap(at::dropout(unwrap(input), p, training));
  DT_CATCH(nullptr)
}

dt_tensor dt_nn_embedding(dt_tensor weight, dt_tensor indices, int64_t padding_idx) {
  DT_TENSOR_FN(at::embedding(unwrap(weight), unwrap(indices), padding_idx))
}

}  // extern "C"
