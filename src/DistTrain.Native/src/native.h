// Shared helpers for the C ABI implementation: error capture and handle conversion.
#pragma once
#include <torch/torch.h>

#include <string>

#include "disttrain_native.h"

namespace dt {

void set_last_error(const char* message);

inline at::Tensor& unwrap(dt_tensor t) { return *static_cast<at::Tensor*>(t); }
inline dt_tensor wrap(at::Tensor t) { return new at::Tensor(std::move(t)); }

inline at::IntArrayRef shape(const int64_t* sizes, int32_t ndim) {
  return at::IntArrayRef(sizes, static_cast<size_t>(ndim));
}

inline c10::Device device(int32_t device_type, int32_t device_index) {
  return c10::Device(static_cast<c10::DeviceType>(device_type), static_cast<c10::DeviceIndex>(device_index));
}

inline at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index, bool requires_grad = false) {
  return at::TensorOptions()
      .dtype(static_cast<at::ScalarType>(dtype))
      .device(device(device_type, device_index))
      .requires_grad(requires_grad);
}

inline at::Scalar scalar(dt_scalar s) {
  switch (s.kind) {
    case 0: return at::Scalar(s.i);
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline dt_scalar to_dt_scalar(const at::Scalar& s) {
  dt_scalar out{0, 0.0, 1};
  if (s.isBoolean()) { out.kind = 2; out.i = s.toBool() ? 1 : 0; out.d = out.i; }
  else if (s.isIntegral(false)) { out.kind = 0; out.i = s.toLong(); out.d = static_cast<double>(out.i); }
  else { out.kind = 1; out.d = s.toDouble(); }
  return out;
}

}  // namespace dt

// Every entry point's body sits between DT_TRY and DT_CATCH(value returned on failure), so that no
// C++ exception crosses the C boundary. c10::Error's message is kept without its C++ backtrace.
#define DT_TRY try {
#define DT_CATCH(failure)                                   \
  }                                                         \
  catch (const c10::Error& e) {                             \
    dt::set_last_error(e.what_without_backtrace());         \
    return failure;                                         \
  }                                                         \
  catch (const std::exception& e) {                         \
    dt::set_last_error(e.what());                           \
    return failure;                                         \
  }                                                         \
  catch (...) {                                             \
    dt::set_last_error("an unknown native error occurred"); \
    return failure;                                         \
  }

#define DT_TENSOR_FN(expr) DT_TRY return dt::wrap(expr); DT_CATCH(nullptr)
#define DT_STATUS_FN(stmt) DT_TRY stmt; return 0; DT_CATCH(-1)
