// Unary operations: element-wise math (out of place and in place) and argument-free reshapes.
#include "native.h"

using dt::unwrap;

namespace {

// Element-wise functions whose in-place form is the same name with a trailing underscore.
#define DT_ELEMENTWISE_UNARY(X)                                                                        \
  X(EXP, exp) X(LOG, log) X(LOG1P, log1p) X(SQRT, sqrt) X(RSQRT, rsqrt) X(ABS, abs) X(SIGN, sign)      \
  X(SIN, sin) X(COS, cos) X(TANH, tanh) X(SIGMOID, sigmoid) X(RELU, relu) X(FLOOR, floor) X(CEIL, ceil) \
  X(ROUND, round) X(RECIPROCAL, reciprocal) X(SQUARE, square) X(NEG, neg) X(LOGICAL_NOT, logical_not)  \
  X(BITWISE_NOT, bitwise_not) X(EXPM1, expm1) X(TRUNC, trunc) X(LOG2, log2) X(LOG10, log10) X(TAN, tan) \
  X(ERF, erf)

at::Tensor unary(const at::Tensor& a, int32_t op) {
  switch (op) {
#define DT_CASE(code, name) case DT_UNARY_##code: return a.name();
    DT_ELEMENTWISE_UNARY(DT_CASE)
#undef DT_CASE
    case DT_UNARY_ZERO: return at::zeros_like(a);
    case DT_UNARY_ISNAN: return a.isnan();
    case DT_UNARY_ISINF: return a.isinf();
    case DT_UNARY_ISFINITE: return a.isfinite();
    case DT_UNARY_T: return a.t();
    case DT_UNARY_SQUEEZE_ALL: return a.squeeze();
    case DT_UNARY_NONZERO: return a.nonzero();
    case DT_UNARY_FLATTEN_ALL: return a.flatten();
  }
  TORCH_CHECK(false, "unknown unary operation code ", op);
}

void unary_(at::Tensor& a, int32_t op) {
  switch (op) {
#define DT_CASE(code, name) case DT_UNARY_##code: a.name##_(); return;
    DT_ELEMENTWISE_UNARY(DT_CASE)
#undef DT_CASE
    case DT_UNARY_ZERO: a.zero_(); return;
  }
  TORCH_CHECK(false, "unary operation code ", op, " has no in-place variant");
}

}  // namespace

extern "C" {

dt_tensor dt_unary(dt_tensor a, int32_t op) { DT_TENSOR_FN(unary(unwrap(a), op)) }
int32_t dt_unary_(dt_tensor a, int32_t op) { DT_STATUS_FN(unary_(unwrap(a), op)) }

}  // extern "C"
