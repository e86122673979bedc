// Element-wise arithmetic, matrix products and whole-tensor reductions.
#include "native.h"

#include <ATen/ScalarOps.h>

using dt::scalar;
using dt::unwrap;

extern "C" {

dt_tensor dt_add(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_TENSOR_FN(at::add(unwrap(a), unwrap(b), scalar(alpha))) }
dt_tensor dt_add_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha) { DT_TENSOR_FN(at::add(unwrap(a), scalar(b), scalar(alpha))) }
dt_tensor dt_sub(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_TENSOR_FN(at::sub(unwrap(a), unwrap(b), scalar(alpha))) }
dt_tensor dt_sub_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha) { DT_TENSOR_FN(at::sub(unwrap(a), scalar(b), scalar(alpha))) }
dt_tensor dt_mul(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::mul(unwrap(a), unwrap(b))) }
dt_tensor dt_mul_scalar(dt_tensor a, dt_scalar b) { DT_TENSOR_FN(at::mul(unwrap(a), scalar(b))) }
int32_t dt_mul_scalar_out(dt_tensor out, dt_tensor a, dt_scalar b) {
  DT_TRY
  auto result = unwrap(out);
  const auto& input = unwrap(a);
  // at::mul_out would silently resize a mismatched out (a gradient view, say) to the input's shape.
  TORCH_CHECK(result.sizes() == input.sizes(), "mul: out has shape ", result.sizes(), " but the input has shape ",
              input.sizes(), "; out must be shaped like the input");
  // A wrapped number keeps out's dtype, as a Python scalar does in torch.mul(a, 2.0, out=out).
  at::mul_out(result, input, at::native::wrapped_scalar_tensor(scalar(b)));
  return 0;
  DT_CATCH(-1)
}
dt_tensor dt_div(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::div(unwrap(a), unwrap(b))) }
dt_tensor dt_div_scalar(dt_tensor a, dt_scalar b) { DT_TENSOR_FN(at::div(unwrap(a), scalar(b))) }
dt_tensor dt_neg(dt_tensor a) { DT_TENSOR_FN(at::neg(unwrap(a))) }
dt_tensor dt_matmul(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::matmul(unwrap(a), unwrap(b))) }
dt_tensor dt_sum(dt_tensor a) { DT_TENSOR_FN(at::sum(unwrap(a))) }
dt_tensor dt_mean(dt_tensor a) { DT_TENSOR_FN(at::mean(unwrap(a))) }

}  // extern "C"
