// The C entry points for work handles.
#include <memory>
#include <stdexcept>

#include "errors.h"
#include "work.h"
#include "work_handles.h"

extern "C" {

int32_t dt_work_wait(dt_work work, int64_t timeout_ms) {
  DT_TRY
  auto& handle = dt::handle_of(work);
  // A wait without a limit may run the collective itself: the wait would last as long.
  if (timeout_ms < 0) {
    if (auto group = handle.group.lock()) group->run_if_next(handle.work);
  }
  std::string message;
  const auto status = handle.work->wait(timeout_ms, message);
  if (status == DT_WORK_PENDING) {
    dt::set_last_error("the collective did not complete within the wait's " + std::to_string(timeout_ms) +
                       " ms; it still runs");
  } else if (status != DT_WORK_DONE) {
    dt::set_last_error(message);
  }
  return status;
  DT_CATCH(DT_WORK_FAILED)
}

int32_t dt_work_is_completed(dt_work work) {
  DT_TRY return dt::work_of(work).completed() ? 1 : 0; DT_CATCH(-1)
}

void dt_work_free(dt_work work) { delete static_cast<dt::WorkHandle*>(work); }

}  // extern "C"
