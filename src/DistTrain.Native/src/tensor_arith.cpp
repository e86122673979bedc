// Element-wise arithmetic, matrix products and whole-tensor reductions.
#include "native.h"

using dt::scalar;
using dt::unwrap;

extern "C" {

dt_tensor dt_add(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_TENSOR_FN(at::add(unwrap(a), unwrap(b), scalar(alpha))) }
dt_tensor dt_add_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha) { DT_TENSOR_FN(at::add(unwrap(a), scalar(b), scalar(alpha))) }
dt_tensor dt_sub(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_TENSOR_FN(at::sub(unwrap(a), unwrap(b), scalar(alpha))) }
dt_tensor dt_sub_scalar(dt_tensor a, dt_scalar b, dt_scalar alpha) { DT_TENSOR_FN(at::sub(unwrap(a), scalar(b), scalar(alpha))) }
dt_tensor dt_mul(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::mul(unwrap(a), unwrap(b))) }
dt_tensor dt_mul_scalar(dt_tensor a, dt_scalar b) { DT_TENSOR_FN(at::mul(unwrap(a), scalar(b))) }
dt_tensor dt_div(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::div(unwrap(a), unwrap(b))) }
dt_tensor dt_div_scalar(dt_tensor a, dt_scalar b) { DT_TENSOR_FN(at::div(unwrap(a), scalar(b))) }
dt_tensor dt_neg(dt_tensor a) { DT_TENSOR_FN(at::neg(unwrap(a))) }
dt_tensor dt_matmul(dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::matmul(unwrap(a), unwrap(b))) }
dt_tensor dt_sum(dt_tensor a) { DT_TENSOR_FN(at::sum(unwrap(a))) }
dt_tensor dt_mean(dt_tensor a) { DT_TENSOR_FN(at::mean(unwrap(a))) }

}  // extern "C"
