// When a collective gives up: a point on the steady clock, and the timeout it came from (for messages).
#pragma once
#include <algorithm>
#include <chrono>
#include <cstdint>

namespace dt {

struct Deadline {
  using Clock = std::chrono::steady_clock;

  // A century stands for "no timeout": more would overflow the clock's nanoseconds.
  static constexpr int64_t kMaxMilliseconds = int64_t{100} * 365 * 24 * 3600 * 1000;

  static Deadline after(int64_t timeout_ms) {
    const int64_t ms = std::clamp<int64_t>(timeout_ms, 0, kMaxMilliseconds);
    return Deadline{Clock::now() + std::chrono::milliseconds(ms), ms};
  }

  // What is left, at least 1 ms (Gloo reads 0 as "no timeout" in places).
  std::chrono::milliseconds remaining() const {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(at - Clock::now());
    return std::max(left, std::chrono::milliseconds(1));
  }

  Clock::time_point at;
  int64_t timeout_ms;
};

}  // namespace dt
