// Gradient hooks and engine callbacks that call back into the managed side (DDP's building blocks).
#include "native.h"

#include <torch/csrc/autograd/engine.h>
#include <torch/csrc/autograd/function.h>
#include <torch/csrc/autograd/function_hook.h>
#include <torch/csrc/autograd/variable.h>

#include <atomic>
#include <stdexcept>

namespace {

std::atomic<dt_callback_invoke_fn> invoke_fn{nullptr};
std::atomic<dt_callback_release_fn> release_fn{nullptr};

// Runs the managed callback `id`; a managed failure becomes a C++ exception carrying its message.
void invoke(int64_t id) {
  auto fn = invoke_fn.load();
  TORCH_CHECK(fn != nullptr, "autograd callbacks are not installed (dt_autograd_set_callbacks was never called)");
  char error[2048];
  error[0] = '\0';
  if (fn(id, error, static_cast<int32_t>(sizeof(error))) != 0) {
    error[sizeof(error) - 1] = '\0';
    throw std::runtime_error(error[0] ? error : "a managed autograd callback failed");
  }
}

// Owns a managed id: tells the managed side once, when the native owner goes away.
struct ManagedId {
  int64_t id;
  bool armed = true;  // false when the id never reached a native owner: the caller frees it
  explicit ManagedId(int64_t i) : id(i) {}
  ManagedId(const ManagedId&) = delete;
  ManagedId& operator=(const ManagedId&) = delete;
  ~ManagedId() {
    if (!armed) return;
    if (auto fn = release_fn.load()) fn(id);
  }
};

// Fires after AccumulateGrad has written .grad; FunctionPostHook has the same signature in 1.13 and 2.x.
struct PostAccumulateGradHook final : torch::autograd::FunctionPostHook {
  ManagedId owner;
  explicit PostAccumulateGradHook(int64_t id) : owner(id) {}
  torch::autograd::variable_list operator()(const torch::autograd::variable_list& outputs,
                                            const torch::autograd::variable_list& /*inputs*/) override {
    invoke(owner.id);
    return outputs;
  }
};

// What a dt_hook points to: the accumulator (a tensor holds it only weakly, so without this
// reference it would be destroyed between backwards, hook included) and the hook's key.
struct HookHandle {
  std::shared_ptr<torch::autograd::Node> accumulator;
  uintptr_t key;
};

}  // namespace

extern "C" {

void dt_autograd_set_callbacks(dt_callback_invoke_fn invoke, dt_callback_release_fn release) {
  invoke_fn.store(invoke);
  release_fn.store(release);
}

dt_hook dt_tensor_register_post_accumulate_grad_hook(dt_tensor t, int64_t id) {
  DT_TRY
  const auto& tensor = dt::unwrap(t);
  TORCH_CHECK(tensor.requires_grad(), "cannot register a hook on a tensor that doesn't require gradient");
  TORCH_CHECK(tensor.is_leaf(), "post accumulate grad hooks cannot be registered on non-leaf tensors");
  auto accumulator = torch::autograd::impl::grad_accumulator(tensor);
  TORCH_CHECK(accumulator, "the tensor has no gradient accumulator");
  auto key = accumulator->add_post_hook(std::make_unique<PostAccumulateGradHook>(id));
  return new HookHandle{std::move(accumulator), key};
  DT_CATCH(nullptr)
}

int32_t dt_hook_remove(dt_hook hook) {
  DT_TRY
  auto* handle = static_cast<HookHandle*>(hook);
  handle->accumulator->del_post_hook(handle->key);
  delete handle;
  return 0;
  DT_CATCH(-1)
}

int32_t dt_autograd_queue_callback(int64_t id) {
  DT_TRY
  // The token releases the id whether the callback runs or the engine drops it (a failed backward).
  auto token = std::make_shared<ManagedId>(id);
  try {
    torch::autograd::Engine::get_default_engine().queue_callback([token] { invoke(token->id); });
  } catch (...) {
    token->armed = false;  // nothing was queued: the caller still owns the id and frees it itself
    throw;
  }
  return 0;
  DT_CATCH(-1)
}

}  // extern "C"
