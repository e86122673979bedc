// Element-wise reductions over raw memory, for every element type and op, in the shape Gloo's
// allreduce takes (out = a op b over n elements; out may equal a or b). float16 and bfloat16 are
// reduced in float32 and rounded to nearest even, as PyTorch does on CPU.
#pragma once
#include <cstddef>

#include "element_types.h"

namespace dt {

using ReduceFunction = void (*)(void* out, const void* a, const void* b, size_t n);

// avg reduces as sum (divide afterwards).
ReduceFunction reduce_function(ElementType type, ReduceOp op);

// data[i] /= divisor for a floating type (what avg does after the sum).
void divide(void* data, size_t n, ElementType type, int divisor);

}  // namespace dt
