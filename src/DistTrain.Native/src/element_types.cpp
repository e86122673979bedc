#include "element_types.h"

#include <stdexcept>

namespace dt {

ElementType element_type(int32_t code) {
  switch (static_cast<ElementType>(code)) {
    case ElementType::UInt8:
    case ElementType::Int8:
    case ElementType::Int16:
    case ElementType::Int32:
    case ElementType::Int64:
    case ElementType::Float16:
    case ElementType::Float32:
    case ElementType::Float64:
    case ElementType::Bool:
    case ElementType::BFloat16:
      return static_cast<ElementType>(code);
  }
  throw std::invalid_argument("unknown element type " + std::to_string(code) +
                              " (DistTrain takes 0 uint8, 1 int8, 2 int16, 3 int32, 4 int64, 5 float16, "
                              "6 float32, 7 float64, 11 bool, 15 bfloat16)");
}

ReduceOp reduce_op(int32_t code) {
  if (code >= 0 && code <= 4) return static_cast<ReduceOp>(code);
  throw std::invalid_argument("unknown reduce op " + std::to_string(code) +
                              " (0 sum, 1 avg, 2 product, 3 min, 4 max)");
}

size_t element_size(ElementType type) {
  switch (type) {
    case ElementType::UInt8:
    case ElementType::Int8:
    case ElementType::Bool:
      return 1;
    case ElementType::Int16:
    case ElementType::Float16:
    case ElementType::BFloat16:
      return 2;
    case ElementType::Int32:
    case ElementType::Float32:
      return 4;
    case ElementType::Int64:
    case ElementType::Float64:
      return 8;
  }
  return 0;
}

bool is_floating(ElementType type) {
  return type == ElementType::Float16 || type == ElementType::Float32 || type == ElementType::Float64 ||
         type == ElementType::BFloat16;
}

const char* name_of(ElementType type) {
  switch (type) {
    case ElementType::UInt8: return "uint8";
    case ElementType::Int8: return "int8";
    case ElementType::Int16: return "int16";
    case ElementType::Int32: return "int32";
    case ElementType::Int64: return "int64";
    case ElementType::Float16: return "float16";
    case ElementType::Float32: return "float32";
    case ElementType::Float64: return "float64";
    case ElementType::Bool: return "bool";
    case ElementType::BFloat16: return "bfloat16";
  }
  return "?";
}

const char* name_of(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum: return "sum";
    case ReduceOp::Avg: return "avg";
    case ReduceOp::Product: return "product";
    case ReduceOp::Min: return "min";
    case ReduceOp::Max: return "max";
  }
  return "?";
}

std::string element_type_name(int64_t code) {
  try {
    return name_of(element_type(static_cast<int32_t>(code)));
  } catch (const std::invalid_argument&) {
    return "type " + std::to_string(code);
  }
}

std::string reduce_op_name(int64_t code) {
  try {
    return name_of(reduce_op(static_cast<int32_t>(code)));
  } catch (const std::invalid_argument&) {
    return "op " + std::to_string(code);
  }
}

void check_op_for_type(ReduceOp op, ElementType type) {
  if (op == ReduceOp::Avg && !is_floating(type)) {
    throw std::invalid_argument(std::string("avg needs a floating-point element type (got ") + name_of(type) +
                                "): sum, then divide on the caller's side");
  }
}

}  // namespace dt
