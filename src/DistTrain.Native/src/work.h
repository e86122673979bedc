// A queued collective's outcome, shared by the group's worker (which completes it) and the
// caller's handle (which waits for it). A handle freed early leaves the work to the worker.
#pragma once
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace dt {

class Work {
 public:
  // Once; later calls are ignored.
  void complete(int32_t status, const std::string& message) noexcept;

  // DT_WORK_DONE or a failure status (`message` set) once completed; DT_WORK_PENDING when it is
  // still running after `timeout_ms` (< 0: wait for completion).
  int32_t wait(int64_t timeout_ms, std::string& message);
  bool completed();

 private:
  std::mutex mutex_;
  std::condition_variable done_;
  bool completed_ = false;
  int32_t status_ = 0;
  std::string message_;
};

}  // namespace dt
