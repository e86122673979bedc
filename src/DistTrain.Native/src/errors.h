// Errors: the one exception type a collective fails with (its DT_WORK_* status and message), the
// thread-local message behind dt_last_error, and the try/catch pair around every C entry point.
#pragma once
#include <stdexcept>
#include <string>

#include "disttrain_native.h"

namespace dt {

// A collective's failure, carrying the status dt_work_wait reports for it.
class Failure : public std::runtime_error {
 public:
  Failure(int32_t status, const std::string& message) : std::runtime_error(message), status_(status) {}
  int32_t status() const { return status_; }

 private:
  int32_t status_;
};

void set_last_error(const std::string& message);

// The message of whatever `failure` holds.
std::string message_of(const std::exception_ptr& failure);

}  // namespace dt

// Every entry point's body sits between DT_TRY and DT_CATCH(value returned on failure), so that no
// C++ exception crosses the C boundary.
#define DT_TRY try {
#define DT_CATCH(failure)                                   \
  }                                                         \
  catch (const std::exception& e) {                         \
    dt::set_last_error(e.what());                           \
    return failure;                                         \
  }                                                         \
  catch (...) {                                             \
    dt::set_last_error("an unknown native error occurred"); \
    return failure;                                         \
  }
