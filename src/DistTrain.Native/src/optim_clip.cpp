// Gradient clipping by total norm, as torch.nn.utils.clip_grad_norm_ (PyTorch 1.13) computes it.
#include "native.h"

#include <cmath>
#include <vector>

extern "C" {

int32_t dt_clip_grad_norm(const dt_tensor* params, int32_t count, double max_norm, double norm_type, double* total_norm) {
  DT_TRY
  at::NoGradGuard no_grad;
  std::vector<at::Tensor> grads;
  for (int32_t i = 0; i < count; i++) {
    const auto& g = dt::unwrap(params[i]).grad();
    if (g.defined()) grads.push_back(g);
  }
  if (grads.empty()) {
    *total_norm = 0;
    return 0;
  }
  const auto device = grads[0].device();
  std::vector<at::Tensor> norms;
  norms.reserve(grads.size());
  at::Tensor total;
  if (std::isinf(norm_type)) {
    for (const auto& g : grads) norms.push_back(g.detach().abs().max().to(device));
    total = norms.size() == 1 ? norms[0] : at::stack(norms).max();
  } else {
    for (const auto& g : grads) norms.push_back(at::norm(g.detach(), norm_type).to(device));
    total = at::norm(at::stack(norms), norm_type);
  }
  // max_norm / (total + 1e-6), written as Python evaluates float / Tensor.
  auto coef = total.add(1e-6).reciprocal().mul(max_norm).clamp_max(1.0);
  for (auto& g : grads) g.detach().mul_(coef.to(g.device()));
  *total_norm = total.item<double>();
  return 0;
  DT_CATCH(-1)
}

}  // extern "C"
