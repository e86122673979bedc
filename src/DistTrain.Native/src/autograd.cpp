// Autograd: requires_grad, gradients, backward, detach and the grad mode.
#include "native.h"

using dt::unwrap;

extern "C" {

int32_t dt_tensor_requires_grad(dt_tensor t) { return unwrap(t).requires_grad() ? 1 : 0; }

int32_t dt_tensor_set_requires_grad(dt_tensor t, bool requires_grad) {
  DT_STATUS_FN(unwrap(t).set_requires_grad(requires_grad))
}

int32_t dt_tensor_grad(dt_tensor t, dt_tensor* grad) {
  DT_TRY
  const auto& g = unwrap(t).grad();
  *grad = g.defined() ? dt::wrap(g) : nullptr;
  return 0;
  DT_CATCH(-1)
}

int32_t dt_tensor_set_grad(dt_tensor t, dt_tensor grad) {
  DT_STATUS_FN(unwrap(t).mutable_grad() = grad ? unwrap(grad) : at::Tensor())
}

int32_t dt_tensor_backward(dt_tensor t, dt_tensor gradient, bool retain_graph, bool create_graph) {
  DT_STATUS_FN(unwrap(t).backward(gradient ? unwrap(gradient) : at::Tensor(), retain_graph, create_graph))
}

dt_tensor dt_tensor_detach(dt_tensor t) { DT_TENSOR_FN(unwrap(t).detach()) }

int32_t dt_grad_mode_is_enabled(void) { return c10::GradMode::is_enabled() ? 1 : 0; }
void dt_grad_mode_set_enabled(bool enabled) { c10::GradMode::set_enabled(enabled); }

}  // extern "C"
