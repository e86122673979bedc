// Element types (TorchSharp's ScalarType numbering) and reduce ops as the C ABI passes them, with
// the checks every collective makes on them when it is issued.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>

namespace dt {

enum class ElementType : int32_t {
  UInt8 = 0,
  Int8 = 1,
  Int16 = 2,
  Int32 = 3,
  Int64 = 4,
  Float16 = 5,
  Float32 = 6,
  Float64 = 7,
  Bool = 11,
  BFloat16 = 15,
};

enum class ReduceOp : int32_t { Sum = 0, Avg = 1, Product = 2, Min = 3, Max = 4 };

// Throws std::invalid_argument naming the value and the accepted ones.
ElementType element_type(int32_t code);
ReduceOp reduce_op(int32_t code);

size_t element_size(ElementType type);
bool is_floating(ElementType type);
const char* name_of(ElementType type);
const char* name_of(ReduceOp op);

// Name of a code that may not be a known type or op (for messages about what a peer passed).
std::string element_type_name(int64_t code);
std::string reduce_op_name(int64_t code);

// Checks that avg gets a floating type (sums of integers do not divide evenly).
void check_op_for_type(ReduceOp op, ElementType type);

}  // namespace dt
