// Process-wide runtime: errors, versions, devices, seeds and thread counts.
#include "native.h"

#include <ATen/Parallel.h>
#include <torch/version.h>

namespace {
thread_local std::string last_error;
}

void dt::set_last_error(const char* message) { last_error = message ? message : ""; }

extern "C" {

const char* dt_last_error(void) { return last_error.c_str(); }

const char* dt_libtorch_version(void) { return TORCH_VERSION; }

int32_t dt_cuda_is_available(void) {
  DT_TRY return torch::cuda::is_available() ? 1 : 0; DT_CATCH(0)
}

int32_t dt_cuda_device_count(void) {
  DT_TRY return static_cast<int32_t>(torch::cuda::device_count()); DT_CATCH(0)
}

void dt_manual_seed(int64_t seed) { torch::manual_seed(static_cast<uint64_t>(seed)); }

void dt_set_num_threads(int32_t threads) { at::set_num_threads(threads); }
int32_t dt_get_num_threads(void) { return at::get_num_threads(); }
void dt_set_num_interop_threads(int32_t threads) {
  // libtorch allows this once, before any inter-op work; later calls are ignored rather than fatal.
  try { at::set_num_interop_threads(threads); } catch (...) {}
}
int32_t dt_get_num_interop_threads(void) { return at::get_num_interop_threads(); }

}  // extern "C"
