// Fused optimizers: one handle holds the parameters and their state natively, and one call steps them
// all with PyTorch 1.13's single-tensor update rules (torch/optim/sgd.py, adam.py, adamw.py).
#include "native.h"

#include <array>
#include <cmath>
#include <vector>

namespace {

enum Kind : int32_t { kSgd = 0, kAdam = 1, kAdamW = 2 };

constexpr int32_t kSgdOptions = 6;   // lr, momentum, dampening, weight_decay, nesterov, maximize
constexpr int32_t kAdamOptions = 7;  // lr, beta1, beta2, eps, weight_decay, amsgrad, maximize
constexpr int32_t kSlots = 4;

struct Group {
  std::vector<size_t> params;
  std::vector<double> options;
};

struct ParamState {
  double step = 0;                     // Adam's step count (PyTorch keeps it in a float32 tensor)
  std::array<at::Tensor, kSlots> slot;  // SGD: momentum_buffer; Adam: -, exp_avg, exp_avg_sq, max_exp_avg_sq
};

struct Optimizer {
  Kind kind;
  std::vector<at::Tensor> params;
  std::vector<ParamState> state;
  std::vector<Group> groups;

  int32_t option_count() const { return kind == kSgd ? kSgdOptions : kAdamOptions; }
};

Optimizer& unwrap_optim(dt_optimizer o) {
  TORCH_CHECK(o != nullptr, "optimizer: the handle is null");
  return *static_cast<Optimizer*>(o);
}

std::vector<double> check_options(const Optimizer& opt, const double* options, int32_t count) {
  TORCH_CHECK(count == opt.option_count(), "optimizer: expected ", opt.option_count(), " options but got ", count);
  return std::vector<double>(options, options + count);
}

#if defined(__x86_64__) && defined(__GNUC__)
// SGD in one pass over memory for dense contiguous float32 CPU tensors, on CPUs with FMA. ATen evaluates
// `a.add_(b, alpha)` as fma(b, alpha, a) (its vectorised kernels use fused multiply-add) and `a.mul_(s)` as one
// rounded product, with float32 scalars; doing the same per element gives bit-identical results with a third of
// the memory traffic (PyTorch's rule reads and writes the momentum buffer and the parameter in three passes).
template <bool kDecay, bool kMomentum, bool kFirst, bool kNesterov, bool kMaximize>
__attribute__((target("avx2,fma"))) void sgd_fused_loop(float* __restrict p, const float* __restrict g, float* __restrict b,
                                                        int64_t n, float wd, float m, float damp, float neg_lr) {
  for (int64_t i = 0; i < n; i++) {
    float d = kMaximize ? -g[i] : g[i];
    if (kDecay) d = __builtin_fmaf(p[i], wd, d);
    if (kMomentum) {
      const float buf = kFirst ? d : __builtin_fmaf(d, damp, b[i] * m);
      b[i] = buf;
      d = kNesterov ? __builtin_fmaf(buf, m, d) : buf;
    }
    p[i] = __builtin_fmaf(d, neg_lr, p[i]);
  }
}

using SgdLoop = void (*)(float*, const float*, float*, int64_t, float, float, float, float);

template <bool kDecay, bool kMomentum, bool kFirst, bool kNesterov>
SgdLoop pick_sgd_loop(bool maximize) {
  return maximize ? sgd_fused_loop<kDecay, kMomentum, kFirst, kNesterov, true> : sgd_fused_loop<kDecay, kMomentum, kFirst, kNesterov, false>;
}

template <bool kDecay>
SgdLoop pick_sgd_loop(bool momentum, bool first, bool nesterov, bool maximize) {
  if (!momentum) return pick_sgd_loop<kDecay, false, false, false>(maximize);
  if (first) return nesterov ? pick_sgd_loop<kDecay, true, true, true>(maximize) : pick_sgd_loop<kDecay, true, true, false>(maximize);
  return nesterov ? pick_sgd_loop<kDecay, true, false, true>(maximize) : pick_sgd_loop<kDecay, true, false, false>(maximize);
}

bool cpu_has_fma() {
  static const bool has = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return has;
}

// Returns false (doing nothing) when the tensors are not the simple case; the caller then uses ATen's ops.
bool sgd_fused(at::Tensor& param, const at::Tensor& grad, at::Tensor& buf, double lr, double momentum, double dampening,
               double weight_decay, bool nesterov, bool maximize) {
  auto simple = [](const at::Tensor& t) {
    return t.device().is_cpu() && t.layout() == at::kStrided && t.scalar_type() == at::kFloat && t.is_contiguous() && !t.is_neg() && !t.is_conj();
  };
  if (!cpu_has_fma() || !simple(param) || !simple(grad) || grad.sizes() != param.sizes()) return false;
  if (momentum != 0 && buf.defined() && (!simple(buf) || buf.sizes() != param.sizes())) return false;
  const bool first = momentum != 0 && !buf.defined();
  if (first) buf = at::empty_like(param, at::MemoryFormat::Contiguous);
  auto loop = weight_decay != 0 ? pick_sgd_loop<true>(momentum != 0, first, nesterov, maximize)
                                : pick_sgd_loop<false>(momentum != 0, first, nesterov, maximize);
  loop(param.data_ptr<float>(), grad.data_ptr<float>(), momentum != 0 ? buf.data_ptr<float>() : nullptr, param.numel(),
       static_cast<float>(weight_decay), static_cast<float>(momentum), static_cast<float>(1 - dampening), static_cast<float>(-lr));
  // In-place ATen ops bump the version counters autograd checks; writing through the pointer must too.
  torch::autograd::impl::bump_version(param);
  if (momentum != 0) torch::autograd::impl::bump_version(buf);
  return true;
}
#else
// Elsewhere (e.g. aarch64) SGD always uses ATen's ops.
bool sgd_fused(at::Tensor&, const at::Tensor&, at::Tensor&, double, double, double, double, bool, bool) { return false; }
#endif

void sgd_step(Optimizer& opt, const Group& group) {
  const double lr = group.options[0], momentum = group.options[1], dampening = group.options[2];
  const double weight_decay = group.options[3];
  const bool nesterov = group.options[4] != 0, maximize = group.options[5] != 0;
  for (size_t index : group.params) {
    auto& param = opt.params[index];
    const auto& grad = param.grad();
    if (!grad.defined()) continue;
    if (sgd_fused(param, grad, opt.state[index].slot[0], lr, momentum, dampening, weight_decay, nesterov, maximize)) continue;
    at::Tensor d_p = maximize ? grad.neg() : grad;
    if (weight_decay != 0) d_p = d_p.add(param, weight_decay);
    if (momentum != 0) {
      auto& buf = opt.state[index].slot[0];
      if (!buf.defined()) {
        buf = d_p.clone().detach();
      } else {
        buf.mul_(momentum).add_(d_p, 1 - dampening);
      }
      d_p = nesterov ? d_p.add(buf, momentum) : buf;
    }
    param.add_(d_p, -lr);
  }
}

void adam_step(Optimizer& opt, const Group& group, bool decoupled) {
  const double lr = group.options[0], beta1 = group.options[1], beta2 = group.options[2], eps = group.options[3];
  const double weight_decay = group.options[4];
  const bool amsgrad = group.options[5] != 0, maximize = group.options[6] != 0;
  for (size_t index : group.params) {
    auto& param = opt.params[index];
    const auto& g = param.grad();
    if (!g.defined()) continue;
    auto& st = opt.state[index];
    auto& exp_avg = st.slot[1];
    auto& exp_avg_sq = st.slot[2];
    auto& max_exp_avg_sq = st.slot[3];
    if (!exp_avg.defined()) exp_avg = at::zeros_like(param, at::MemoryFormat::Preserve);
    if (!exp_avg_sq.defined()) exp_avg_sq = at::zeros_like(param, at::MemoryFormat::Preserve);
    if (amsgrad && !max_exp_avg_sq.defined()) max_exp_avg_sq = at::zeros_like(param, at::MemoryFormat::Preserve);

    at::Tensor grad = maximize ? g.neg() : g;
    // PyTorch increments a float32 tensor; the count stays exact while it is below 2^24.
    st.step = static_cast<double>(static_cast<float>(st.step + 1));
    if (decoupled) {
      param.mul_(1 - lr * weight_decay);
    } else if (weight_decay != 0) {
      grad = grad.add(param, weight_decay);
    }
    exp_avg.mul_(beta1).add_(grad, 1 - beta1);
    exp_avg_sq.mul_(beta2).addcmul_(grad, grad, 1 - beta2);

    const double bias_correction1 = 1 - std::pow(beta1, st.step);
    const double bias_correction2 = 1 - std::pow(beta2, st.step);
    const double step_size = lr / bias_correction1;
    const double bias_correction2_sqrt = std::sqrt(bias_correction2);
    at::Tensor denom;
    if (amsgrad) {
      at::maximum_out(max_exp_avg_sq, max_exp_avg_sq, exp_avg_sq);
      denom = max_exp_avg_sq.sqrt().div_(bias_correction2_sqrt).add_(eps);
    } else {
      denom = exp_avg_sq.sqrt().div_(bias_correction2_sqrt).add_(eps);
    }
    param.addcdiv_(exp_avg, denom, -step_size);
  }
}

}  // namespace

extern "C" {

dt_optimizer dt_optim_new(int32_t kind) {
  DT_TRY
  TORCH_CHECK(kind == kSgd || kind == kAdam || kind == kAdamW, "optimizer: unknown kind ", kind,
              " (expected 0 = SGD, 1 = Adam, 2 = AdamW)");
  auto* opt = new Optimizer();
  opt->kind = static_cast<Kind>(kind);
  return opt;
  DT_CATCH(nullptr)
}

void dt_optim_free(dt_optimizer o) { delete static_cast<Optimizer*>(o); }

int32_t dt_optim_add_group(dt_optimizer o, const dt_tensor* params, int32_t count, const double* options, int32_t noptions) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  Group group;
  group.options = check_options(opt, options, noptions);
  std::vector<at::Tensor> added;
  for (int32_t i = 0; i < count; i++) {
    const auto& p = dt::unwrap(params[i]);
    TORCH_CHECK(p.is_leaf(), "optimizer: can't optimize a non-leaf tensor (parameter ", opt.params.size() + i, ")");
    for (const auto& known : opt.params)
      TORCH_CHECK(!known.is_same(p), "optimizer: some parameters appear in more than one parameter group");
    for (const auto& other : added)
      TORCH_CHECK(!other.is_same(p), "optimizer: a parameter appears twice in the same parameter group");
    added.push_back(p);
  }
  for (auto& p : added) {
    group.params.push_back(opt.params.size());
    opt.params.push_back(std::move(p));
    opt.state.emplace_back();
  }
  opt.groups.push_back(std::move(group));
  return 0;
  DT_CATCH(-1)
}

int32_t dt_optim_set_options(dt_optimizer o, int32_t group, const double* options, int32_t noptions) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  TORCH_CHECK(group >= 0 && group < static_cast<int32_t>(opt.groups.size()), "optimizer: no parameter group ", group);
  opt.groups[group].options = check_options(opt, options, noptions);
  return 0;
  DT_CATCH(-1)
}

int32_t dt_optim_step(dt_optimizer o) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  at::NoGradGuard no_grad;
  for (const auto& group : opt.groups) {
    if (opt.kind == kSgd) sgd_step(opt, group);
    else adam_step(opt, group, opt.kind == kAdamW);
  }
  return 0;
  DT_CATCH(-1)
}

int32_t dt_optim_zero_grad(dt_optimizer o, bool set_to_none) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  for (auto& p : opt.params) {
    auto& grad = p.mutable_grad();
    if (!grad.defined()) continue;
    if (set_to_none) {
      grad = at::Tensor();
      continue;
    }
    if (grad.grad_fn()) grad = grad.detach();
    else grad.requires_grad_(false);
    grad.zero_();
  }
  return 0;
  DT_CATCH(-1)
}

int32_t dt_optim_get_state(dt_optimizer o, int32_t param, int32_t slot, dt_tensor* value) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  TORCH_CHECK(param >= 0 && param < static_cast<int32_t>(opt.params.size()), "optimizer: no parameter ", param);
  TORCH_CHECK(slot >= 0 && slot < kSlots, "optimizer: no state slot ", slot);
  auto& st = opt.state[param];
  if (opt.kind != kSgd && slot == 0) {
    *value = st.slot[1].defined() ? dt::wrap(at::scalar_tensor(st.step, at::kFloat)) : nullptr;
  } else {
    *value = st.slot[slot].defined() ? dt::wrap(st.slot[slot]) : nullptr;
  }
  return 0;
  DT_CATCH(-1)
}

int32_t dt_optim_set_state(dt_optimizer o, int32_t param, int32_t slot, dt_tensor value) {
  DT_TRY
  auto& opt = unwrap_optim(o);
  TORCH_CHECK(param >= 0 && param < static_cast<int32_t>(opt.params.size()), "optimizer: no parameter ", param);
  TORCH_CHECK(slot >= 0 && slot < kSlots, "optimizer: no state slot ", slot);
  auto& st = opt.state[param];
  if (opt.kind != kSgd && slot == 0) {
    st.step = value ? dt::unwrap(value).item<double>() : 0;
    return 0;
  }
  if (!value) {
    st.slot[slot] = at::Tensor();
    return 0;
  }
  const auto& p = opt.params[param];
  const auto& v = dt::unwrap(value);
  TORCH_CHECK(v.sizes() == p.sizes(), "optimizer: the state for parameter ", param, " has shape ", v.sizes(),
              " but the parameter has shape ", p.sizes());
  at::NoGradGuard no_grad;
  st.slot[slot] = v.detach().to(p.device(), p.scalar_type(), /*non_blocking=*/false, /*copy=*/true);
  return 0;
  DT_CATCH(-1)
}

}  // extern "C"
