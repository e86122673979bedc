// glibc's malloc tuned for training, on request (dt_tune_malloc). By default glibc maps blocks over
// 128 KiB (a threshold that rises, up to 32 MiB, as larger mapped blocks are freed) with their own
// mmap, and returns freed memory at the top of the heap to the kernel; a training step that frees and
// re-allocates the same activations and gradients then page-faults them in again every step (on this
// platform that made a CNN step at batch 128 ~1.4x slower). Serving blocks up to 32 MiB from the heap
// (256 MiB measured no faster for the examples' models) and keeping up to 1 GiB of freed memory makes
// steady-state steps reuse memory, as PyTorch's CUDA caching allocator does on GPUs. Peak memory does
// not change; freed memory is just not handed back between steps.
//
// DISTTRAIN_MALLOC_TUNING=0 leaves malloc alone. A threshold the user set (MALLOC_MMAP_THRESHOLD_,
// MALLOC_TRIM_THRESHOLD_, or GLIBC_TUNABLES naming it) wins over ours.
#include <cstdint>
#include <cstdlib>
#include <cstring>

#include "disttrain_native.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace {

constexpr int kMmapThresholdBytes = 32 << 20;
constexpr int kTrimThresholdBytes = 1 << 30;

[[maybe_unused]] bool user_chose(const char* variable, const char* tunable) {
  if (std::getenv(variable) != nullptr) return true;
  const char* tunables = std::getenv("GLIBC_TUNABLES");
  return tunables != nullptr && std::strstr(tunables, tunable) != nullptr;
}

}  // namespace

extern "C" int32_t dt_tune_malloc(void) {
  int32_t applied = 0;  // bit 0: mmap threshold set, bit 1: trim threshold set
#if defined(__GLIBC__)
  const char* setting = std::getenv("DISTTRAIN_MALLOC_TUNING");
  if (setting != nullptr && std::strcmp(setting, "0") == 0) return 0;
  if (!user_chose("MALLOC_MMAP_THRESHOLD_", "glibc.malloc.mmap_threshold") &&
      mallopt(M_MMAP_THRESHOLD, kMmapThresholdBytes) == 1) {
    applied |= 1;
  }
  if (!user_chose("MALLOC_TRIM_THRESHOLD_", "glibc.malloc.trim_threshold") &&
      mallopt(M_TRIM_THRESHOLD, kTrimThresholdBytes) == 1) {
    applied |= 2;
  }
#endif
  return applied;
}
