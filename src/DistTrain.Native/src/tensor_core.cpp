// Tensor lifetime, properties, and copying data between host memory and tensors.
#include "native.h"

#include <cstring>
#include <sstream>

using dt::unwrap;

extern "C" {

void dt_tensor_free(dt_tensor t) { delete static_cast<at::Tensor*>(t); }

int32_t dt_tensor_dim(dt_tensor t) { return static_cast<int32_t>(unwrap(t).dim()); }

int32_t dt_tensor_sizes(dt_tensor t, int64_t* sizes, int32_t capacity) {
  auto s = unwrap(t).sizes();
  for (int32_t i = 0; i < capacity && i < static_cast<int32_t>(s.size()); i++) sizes[i] = s[i];
  return static_cast<int32_t>(s.size());
}

int32_t dt_tensor_strides(dt_tensor t, int64_t* strides, int32_t capacity) {
  DT_TRY
  auto s = unwrap(t).strides();
  for (int32_t i = 0; i < capacity && i < static_cast<int32_t>(s.size()); i++) strides[i] = s[i];
  return static_cast<int32_t>(s.size());
  DT_CATCH(-1)
}

int64_t dt_tensor_numel(dt_tensor t) { return unwrap(t).numel(); }

int32_t dt_tensor_dtype(dt_tensor t) { return static_cast<int32_t>(unwrap(t).scalar_type()); }

int32_t dt_tensor_device(dt_tensor t, int32_t* device_type, int32_t* device_index) {
  auto d = unwrap(t).device();
  *device_type = static_cast<int32_t>(d.type());
  *device_index = d.has_index() ? d.index() : -1;
  return 0;
}

int32_t dt_tensor_is_contiguous(dt_tensor t) { return unwrap(t).is_contiguous() ? 1 : 0; }

int32_t dt_tensor_defined(dt_tensor t) { return unwrap(t).defined() ? 1 : 0; }

int32_t dt_tensor_is_set_to(dt_tensor a, dt_tensor b) { DT_TRY return unwrap(a).is_set_to(unwrap(b)) ? 1 : 0; DT_CATCH(-1) }

dt_tensor dt_tensor_from_data(const void* data, int64_t nbytes, const int64_t* sizes, int32_t ndim, int32_t dtype,
                              int32_t device_type, int32_t device_index, bool requires_grad) {
  DT_TRY
  auto cpu = at::empty(dt::shape(sizes, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
  const int64_t expected = cpu.numel() * static_cast<int64_t>(cpu.element_size());
  TORCH_CHECK(nbytes == expected, "from_data: the shape ", cpu.sizes(), " of ", c10::toString(cpu.scalar_type()),
              " needs ", expected, " bytes but ", nbytes, " were given");
  if (nbytes > 0) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(nbytes));
  auto target = dt::device(device_type, device_index);
  auto result = target.is_cpu() ? cpu : cpu.to(target);
  if (requires_grad) result.set_requires_grad(true);
  return dt::wrap(std::move(result));
  DT_CATCH(nullptr)
}

int32_t dt_tensor_copy_to_host(dt_tensor t, void* dst, int64_t nbytes) {
  DT_TRY
  auto cpu = unwrap(t).detach().to(at::kCPU).contiguous();
  const int64_t expected = cpu.numel() * static_cast<int64_t>(cpu.element_size());
  TORCH_CHECK(nbytes == expected, "copy_to_host: the tensor holds ", expected, " bytes but the destination has ", nbytes);
  if (nbytes > 0) std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(nbytes));
  return 0;
  DT_CATCH(-1)
}

int32_t dt_tensor_item(dt_tensor t, dt_scalar* out) {
  DT_TRY *out = dt::to_dt_scalar(unwrap(t).item()); return 0; DT_CATCH(-1)
}

const char* dt_tensor_to_string(dt_tensor t) {
  thread_local std::string text;
  DT_TRY
  std::ostringstream stream;
  stream << unwrap(t);
  text = stream.str();
  return text.c_str();
  DT_CATCH(nullptr)
}

}  // extern "C"
