// Filling tensors in place: random distributions, a constant, a copy of another tensor.
#include "native.h"

#include <ATen/CPUGeneratorImpl.h>

using dt::unwrap;

extern "C" {

int32_t dt_random_(dt_tensor a, int32_t op, double arg0, double arg1) {
  DT_TRY
  auto& self = unwrap(a);
  switch (op) {
    case DT_RANDOM_UNIFORM: self.uniform_(arg0, arg1); return 0;
    case DT_RANDOM_NORMAL: self.normal_(arg0, arg1); return 0;
    case DT_RANDOM_BERNOULLI: self.bernoulli_(arg0); return 0;
  }
  TORCH_CHECK(false, "unknown random fill code ", op);
  DT_CATCH(-1)
}

int32_t dt_fill_(dt_tensor a, dt_scalar value) { DT_STATUS_FN(unwrap(a).fill_(dt::scalar(value))) }

int32_t dt_copy_(dt_tensor a, dt_tensor src) { DT_STATUS_FN(unwrap(a).copy_(unwrap(src))) }

int64_t dt_initial_seed(void) { return static_cast<int64_t>(at::detail::getDefaultCPUGenerator().current_seed()); }

}  // extern "C"
