// Dtype and device conversion, clone, contiguous, aliasing.
#include "native.h"

using dt::unwrap;

extern "C" {

dt_tensor dt_tensor_to(dt_tensor t, int32_t dtype, int32_t device_type, int32_t device_index, bool copy) {
  DT_TRY
  auto& self = unwrap(t);
  auto target_dtype = dtype < 0 ? self.scalar_type() : static_cast<at::ScalarType>(dtype);
  auto target_device = device_type < 0 ? self.device() : dt::device(device_type, device_index);
  return dt::wrap(self.to(target_device, target_dtype, /*non_blocking=*/false, copy));
  DT_CATCH(nullptr)
}

dt_tensor dt_tensor_clone(dt_tensor t) { DT_TENSOR_FN(unwrap(t).clone()) }

dt_tensor dt_tensor_contiguous(dt_tensor t) { DT_TENSOR_FN(unwrap(t).contiguous()) }

dt_tensor dt_tensor_alias(dt_tensor t) { DT_TENSOR_FN(unwrap(t)) }

}  // extern "C"
