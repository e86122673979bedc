// Module support outside autograd: row fills for initialisation, data swaps, checked copies for loading, zero_grad.
#include "native.h"

using dt::unwrap;

extern "C" {

int32_t dt_nn_init_fill_row_(dt_tensor t, int64_t row, dt_scalar value) {
  DT_TRY at::NoGradGuard no_grad; unwrap(t).select(0, row).fill_(dt::scalar(value)); return 0; DT_CATCH(-1)
}

int32_t dt_nn_set_data(dt_tensor t, dt_tensor data) {
  DT_STATUS_FN(unwrap(t).set_data(unwrap(data)))
}

int32_t dt_nn_copy_(dt_tensor dst, dt_tensor src) {
  DT_TRY
  auto& d = unwrap(dst);
  const auto& s = unwrap(src);
  TORCH_CHECK(d.sizes() == s.sizes(), "size mismatch: copying a tensor of shape ", s.sizes(),
              ", the shape in the module is ", d.sizes());
  at::NoGradGuard no_grad;
  d.copy_(s);
  return 0;
  DT_CATCH(-1)
}

int32_t dt_nn_zero_grad(dt_tensor t, bool set_to_none) {
  DT_TRY
  auto& grad = unwrap(t).mutable_grad();
  if (!grad.defined()) return 0;
  if (set_to_none) {
    grad.reset();
  } else {
    if (grad.grad_fn()) grad = grad.detach();
    else grad.requires_grad_(false);
    grad.zero_();
  }
  return 0;
  DT_CATCH(-1)
}

}  // extern "C"
