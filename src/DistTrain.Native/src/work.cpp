#include "work.h"

#include <chrono>

#include "deadline.h"
#include "disttrain_native.h"

namespace dt {

void Work::complete(int32_t status, const std::string& message) noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (completed_) return;
    completed_ = true;
    status_ = status;
    try {
      message_ = message;
    } catch (...) {
      // Out of memory: the status still tells what happened.
    }
  }
  done_.notify_all();
}

int32_t Work::wait(int64_t timeout_ms, std::string& message) {
  std::unique_lock<std::mutex> lock(mutex_);
  if (timeout_ms < 0) {
    done_.wait(lock, [this] { return completed_; });
  } else if (!done_.wait_for(lock, std::chrono::milliseconds(std::min(timeout_ms, Deadline::kMaxMilliseconds)),
                             [this] { return completed_; })) {
    return DT_WORK_PENDING;
  }
  message = message_;
  return status_;
}

bool Work::completed() {
  std::lock_guard<std::mutex> lock(mutex_);
  return completed_;
}

}  // namespace dt
