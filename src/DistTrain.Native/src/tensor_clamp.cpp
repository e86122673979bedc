// clamp with scalar bounds (either optional, out of place and in place) and with tensor bounds.
#include "native.h"

using dt::unwrap;

namespace {

c10::optional<at::Scalar> bound(dt_scalar value, bool given) {
  return given ? c10::optional<at::Scalar>(dt::scalar(value)) : c10::nullopt;
}

c10::optional<at::Tensor> bound(dt_tensor value) {
  return value ? c10::optional<at::Tensor>(unwrap(value)) : c10::nullopt;
}

}  // namespace

extern "C" {

dt_tensor dt_clamp(dt_tensor a, dt_scalar min, dt_scalar max, int32_t has) {
  DT_TENSOR_FN(at::clamp(unwrap(a), bound(min, has & 1), bound(max, has & 2)))
}

int32_t dt_clamp_(dt_tensor a, dt_scalar min, dt_scalar max, int32_t has) {
  DT_STATUS_FN(unwrap(a).clamp_(bound(min, has & 1), bound(max, has & 2)))
}

dt_tensor dt_clamp_tensor(dt_tensor a, dt_tensor min, dt_tensor max) {
  DT_TENSOR_FN(at::clamp(unwrap(a), bound(min), bound(max)))
}

}  // extern "C"
