// Binary operations: element-wise arithmetic, comparison and logic (tensor or scalar operands,
// out of place and in place), and the matrix products.
#include "native.h"

#include <ATen/ScalarOps.h>

using dt::scalar;
using dt::unwrap;

namespace {

// A scalar as PyTorch passes it to tensor operations: a 0-d "wrapped number" that does not take
// part in type promotion beyond its kind (int64 tensor + 2.5 is float, float16 tensor + 2.5 stays float16).
at::Tensor wrapped(const at::Scalar& s) { return at::native::wrapped_scalar_tensor(s); }
const at::Tensor& as_tensor(const at::Tensor& t) { return t; }
at::Tensor as_tensor(const at::Scalar& s) { return wrapped(s); }

// Element-wise operations with Tensor and Scalar overloads and an in-place form `name_`.
#define DT_ELEMENTWISE_BINARY(X)                                                                    \
  X(ADD, add) X(SUB, sub) X(MUL, mul) X(DIV, div) X(REMAINDER, remainder) X(POW, pow)               \
  X(FLOOR_DIVIDE, floor_divide) X(FMOD, fmod) X(EQ, eq) X(NE, ne) X(LT, lt) X(LE, le) X(GT, gt)     \
  X(GE, ge) X(BITWISE_AND, bitwise_and) X(BITWISE_OR, bitwise_or) X(BITWISE_XOR, bitwise_xor)
// Element-wise operations that take tensors only (a scalar is wrapped) and have an in-place form.
#define DT_TENSOR_ONLY_BINARY(X) \
  X(LOGICAL_AND, logical_and) X(LOGICAL_OR, logical_or) X(LOGICAL_XOR, logical_xor) X(ATAN2, atan2)

template <class B>
at::Tensor binary(const at::Tensor& a, const B& b, int32_t op) {
  switch (op) {
#define DT_CASE(code, name) case DT_BINARY_##code: return a.name(b);
    DT_ELEMENTWISE_BINARY(DT_CASE)
#undef DT_CASE
#define DT_CASE(code, name) case DT_BINARY_##code: return a.name(as_tensor(b));
    DT_TENSOR_ONLY_BINARY(DT_CASE)
    DT_CASE(MAXIMUM, maximum) DT_CASE(MINIMUM, minimum) DT_CASE(MM, mm) DT_CASE(BMM, bmm)
    DT_CASE(DOT, dot) DT_CASE(OUTER, outer) DT_CASE(EXPAND_AS, expand_as)
#undef DT_CASE
  }
  TORCH_CHECK(false, "unknown binary operation code ", op);
}

template <class B>
void binary_(at::Tensor& a, const B& b, int32_t op) {
  switch (op) {
#define DT_CASE(code, name) case DT_BINARY_##code: a.name##_(b); return;
    DT_ELEMENTWISE_BINARY(DT_CASE)
#undef DT_CASE
#define DT_CASE(code, name) case DT_BINARY_##code: a.name##_(as_tensor(b)); return;
    DT_TENSOR_ONLY_BINARY(DT_CASE)
#undef DT_CASE
  }
  TORCH_CHECK(false, "binary operation code ", op, " has no in-place variant");
}

}  // namespace

extern "C" {

dt_tensor dt_binary(dt_tensor a, dt_tensor b, int32_t op) { DT_TENSOR_FN(binary(unwrap(a), unwrap(b), op)) }
dt_tensor dt_binary_scalar(dt_tensor a, dt_scalar b, int32_t op) { DT_TENSOR_FN(binary(unwrap(a), scalar(b), op)) }
dt_tensor dt_scalar_binary(dt_scalar a, dt_tensor b, int32_t op) { DT_TENSOR_FN(binary(wrapped(scalar(a)), unwrap(b), op)) }
int32_t dt_binary_(dt_tensor a, dt_tensor b, int32_t op) { DT_STATUS_FN(binary_(unwrap(a), unwrap(b), op)) }
int32_t dt_binary_scalar_(dt_tensor a, dt_scalar b, int32_t op) { DT_STATUS_FN(binary_(unwrap(a), scalar(b), op)) }
int32_t dt_add_(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_STATUS_FN(unwrap(a).add_(unwrap(b), scalar(alpha))) }
int32_t dt_sub_(dt_tensor a, dt_tensor b, dt_scalar alpha) { DT_STATUS_FN(unwrap(a).sub_(unwrap(b), scalar(alpha))) }

dt_tensor dt_addmm(dt_tensor input, dt_tensor m1, dt_tensor m2, dt_scalar beta, dt_scalar alpha) {
  DT_TENSOR_FN(at::addmm(unwrap(input), unwrap(m1), unwrap(m2), scalar(beta), scalar(alpha)))
}

dt_tensor dt_where(dt_tensor condition, dt_tensor a, dt_tensor b) { DT_TENSOR_FN(at::where(unwrap(condition), unwrap(a), unwrap(b))) }
dt_tensor dt_where_scalar(dt_tensor condition, dt_tensor a, dt_scalar b) {
  DT_TENSOR_FN(at::where(unwrap(condition), unwrap(a), scalar(b)))
}

}  // extern "C"
