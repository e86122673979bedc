// The C entry points for buffers in shared memory (shared_buffers.h).
#include <string>

#include "errors.h"
#include "group_handles.h"
#include "shared_buffers.h"
#include "work.h"

extern "C" {

int32_t dt_shared_buffer_create(dt_group handle, int64_t bytes, int64_t timeout_ms, void** slab) {
  DT_TRY
  if (slab == nullptr) throw std::invalid_argument("shared buffer creation: slab is NULL");
  *slab = nullptr;
  if (bytes < 0) throw std::invalid_argument("shared buffer creation: bytes must not be negative (got " + std::to_string(bytes) + ")");
  auto group = dt::find_group(handle);
  dt::SharedBufferResult result;
  dt::Collective c;
  c.header.kind = static_cast<int64_t>(dt::CollectiveKind::CreateSharedBuffer);
  c.header.count = bytes;
  c.data = &result;
  c.deadline = dt::Deadline::after(timeout_ms < 0 ? group->timeout_ms() : timeout_ms);
  auto work = group->submit(std::move(c));
  group->run_if_next(work);
  std::string message;
  const auto status = work->wait(-1, message);
  if (status != DT_WORK_DONE) {
    dt::set_last_error(message);
    return status;
  }
  *slab = result.slab;
  if (result.slab == nullptr) dt::set_last_error(result.why_not);
  return DT_WORK_DONE;
  DT_CATCH(DT_WORK_FAILED)
}

void dt_shared_buffer_release(void* slab) {
  try {
    dt::release_shared_buffer(slab);
  } catch (...) {
    // Called by a tensor's deleter: nothing may escape.
  }
}

}  // extern "C"
