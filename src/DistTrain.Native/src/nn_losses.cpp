// Losses: mse, l1, cross entropy, nll, binary cross entropy (on probabilities and on logits).
#include "native.h"

using dt::unwrap;

namespace {
c10::optional<at::Tensor> optional(dt_tensor t) {
  if (!t) return c10::nullopt;
  return unwrap(t);
}
}  // namespace

extern "C" {

dt_tensor dt_nn_mse_loss(dt_tensor input, dt_tensor target, int32_t reduction) {
  DT_TENSOR_FN(at::mse_loss(unwrap(input), unwrap(target), reduction))
}

dt_tensor dt_nn_l1_loss(dt_tensor input, dt_tensor target, int32_t reduction) {
  DT_TENSOR_FN(at::l1_loss(unwrap(input), unwrap(target), reduction))
}

dt_tensor dt_nn_cross_entropy(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction, int64_t ignore_index,
                              double label_smoothing) {
  DT_TENSOR_FN(at::cross_entropy_loss(unwrap(input), unwrap(target), optional(weight), reduction, ignore_index, label_smoothing))
}

dt_tensor dt_nn_nll_loss(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction, int64_t ignore_index) {
  DT_TENSOR_FN(at::nll_loss_nd(unwrap(input), unwrap(target), optional(weight), reduction, ignore_index))
}

dt_tensor dt_nn_binary_cross_entropy(dt_tensor input, dt_tensor target, dt_tensor weight, int32_t reduction) {
  DT_TRY
  const auto& in = unwrap(input);
  const auto& tg = unwrap(target);
  TORCH_CHECK(in.sizes() == tg.sizes(), "Using a target size (", tg.sizes(), ") that is different to the input size (",
              in.sizes(), ") is deprecated. Please ensure they have the same size.");
  return dt::wrap(at::binary_cross_entropy(in, tg, optional(weight), reduction));
  DT_CATCH(nullptr)
}

dt_tensor dt_nn_binary_cross_entropy_with_logits(dt_tensor input, dt_tensor target, dt_tensor weight, dt_tensor pos_weight,
                                                 int32_t reduction) {
  DT_TRY
  const auto& in = unwrap(input);
  const auto& tg = unwrap(target);
  TORCH_CHECK(in.sizes() == tg.sizes(), "Target size (", tg.sizes(), ") must be the same as input size (", in.sizes(), ")");
  return dt::wrap(at::binary_cross_entropy_with_logits(in, tg, optional(weight), optional(pos_weight), reduction));
  DT_CATCH(nullptr)
}

}  // extern "C"
