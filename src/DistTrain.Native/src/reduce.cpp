#include "reduce.h"

#include <cmath>
#include <cstdint>
#include <cstring>
#include <stdexcept>
#include <type_traits>

namespace dt {
namespace {

static_assert(sizeof(_Float16) == 2, "float16 needs the compiler's _Float16 (GCC >= 12, Clang >= 15)");

struct BFloat16 {
  uint16_t bits;
};

float widen(BFloat16 h) {
  const uint32_t u = static_cast<uint32_t>(h.bits) << 16;
  float f;
  std::memcpy(&f, &u, sizeof f);
  return f;
}

BFloat16 narrow_bf16(float f) {
  uint32_t u;
  std::memcpy(&u, &f, sizeof u);
  if (std::isnan(f)) return BFloat16{static_cast<uint16_t>((u >> 16) | 0x0040)};  // stays a (quiet) NaN
  u += 0x7fff + ((u >> 16) & 1);  // round to nearest, ties to even
  return BFloat16{static_cast<uint16_t>(u >> 16)};
}

// Values are read and written through memcpy: Gloo hands segments at any byte offset of the caller's
// memory, and half types have no arithmetic of their own here.
template <typename Storage>
struct Codec {
  using Value = Storage;
  static Value load(const void* p, size_t i) {
    Storage s;
    std::memcpy(&s, static_cast<const char*>(p) + i * sizeof(Storage), sizeof s);
    return s;
  }
  static void store(void* p, size_t i, Value v) { std::memcpy(static_cast<char*>(p) + i * sizeof(Storage), &v, sizeof v); }
};

template <>
struct Codec<_Float16> {
  using Value = float;
  static Value load(const void* p, size_t i) {
    _Float16 h;
    std::memcpy(&h, static_cast<const char*>(p) + i * 2, 2);
    return static_cast<float>(h);
  }
  static void store(void* p, size_t i, Value v) {
    const _Float16 h = static_cast<_Float16>(v);
    std::memcpy(static_cast<char*>(p) + i * 2, &h, 2);
  }
};

template <>
struct Codec<BFloat16> {
  using Value = float;
  static Value load(const void* p, size_t i) {
    BFloat16 h;
    std::memcpy(&h, static_cast<const char*>(p) + i * 2, 2);
    return widen(h);
  }
  static void store(void* p, size_t i, Value v) {
    const BFloat16 h = narrow_bf16(v);
    std::memcpy(static_cast<char*>(p) + i * 2, &h, 2);
  }
};

// Integers wrap on overflow, as Gloo's and PyTorch's do (signed overflow would be undefined behaviour).
template <typename T>
T wrapping_add(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}

template <typename T>
T wrapping_mul(T a, T b) {
  using U = std::conditional_t<(sizeof(T) < sizeof(unsigned)), unsigned, std::make_unsigned_t<T>>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}

struct Sum {
  template <typename V>
  static V apply(V a, V b) {
    if constexpr (std::is_integral_v<V>) return wrapping_add(a, b);
    else return a + b;
  }
};
struct Product {
  template <typename V>
  static V apply(V a, V b) {
    if constexpr (std::is_integral_v<V>) return wrapping_mul(a, b);
    else return a * b;
  }
};
// NaN wins either way round, as in torch.minimum / torch.maximum.
struct Min {
  template <typename V>
  static V apply(V a, V b) {
    if constexpr (std::is_floating_point_v<V>) {
      if (std::isnan(a)) return a;
    }
    return b < a ? b : a;
  }
};
struct Max {
  template <typename V>
  static V apply(V a, V b) {
    if constexpr (std::is_floating_point_v<V>) {
      if (std::isnan(a)) return a;
    }
    return b > a ? b : a;
  }
};

template <typename Storage, typename Op>
void reduce(void* out, const void* a, const void* b, size_t n) {
  using C = Codec<Storage>;
  for (size_t i = 0; i < n; ++i) C::store(out, i, Op::apply(C::load(a, i), C::load(b, i)));
}

// bool: sum and max are "any", product and min "all"; every byte read as true when non-zero.
template <bool Any>
void reduce_bool(void* out, const void* a, const void* b, size_t n) {
  auto* o = static_cast<uint8_t*>(out);
  const auto* x = static_cast<const uint8_t*>(a);
  const auto* y = static_cast<const uint8_t*>(b);
  for (size_t i = 0; i < n; ++i) o[i] = Any ? (x[i] != 0 || y[i] != 0) : (x[i] != 0 && y[i] != 0);
}

template <typename Storage>
ReduceFunction for_op(ReduceOp op) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Avg: return &reduce<Storage, Sum>;
    case ReduceOp::Product: return &reduce<Storage, Product>;
    case ReduceOp::Min: return &reduce<Storage, Min>;
    case ReduceOp::Max: return &reduce<Storage, Max>;
  }
  throw std::invalid_argument("unknown reduce op");
}

template <typename Storage>
void divide_as(void* data, size_t n, int divisor) {
  using C = Codec<Storage>;
  using V = typename C::Value;
  for (size_t i = 0; i < n; ++i) C::store(data, i, C::load(data, i) / static_cast<V>(divisor));
}

}  // namespace

ReduceFunction reduce_function(ElementType type, ReduceOp op) {
  switch (type) {
    case ElementType::UInt8: return for_op<uint8_t>(op);
    case ElementType::Int8: return for_op<int8_t>(op);
    case ElementType::Int16: return for_op<int16_t>(op);
    case ElementType::Int32: return for_op<int32_t>(op);
    case ElementType::Int64: return for_op<int64_t>(op);
    case ElementType::Float16: return for_op<_Float16>(op);
    case ElementType::Float32: return for_op<float>(op);
    case ElementType::Float64: return for_op<double>(op);
    case ElementType::BFloat16: return for_op<BFloat16>(op);
    case ElementType::Bool:
      return op == ReduceOp::Product || op == ReduceOp::Min ? &reduce_bool<false> : &reduce_bool<true>;
  }
  throw std::invalid_argument("unknown element type");
}

void divide(void* data, size_t n, ElementType type, int divisor) {
  switch (type) {
    case ElementType::Float16: return divide_as<_Float16>(data, n, divisor);
    case ElementType::Float32: return divide_as<float>(data, n, divisor);
    case ElementType::Float64: return divide_as<double>(data, n, divisor);
    case ElementType::BFloat16: return divide_as<BFloat16>(data, n, divisor);
    default: throw std::invalid_argument(std::string("cannot divide ") + name_of(type) + " elements");
  }
}

}  // namespace dt
