#include "errors.h"

namespace dt {
namespace {
thread_local std::string last_error;
}

void set_last_error(const std::string& message) { last_error = message; }

std::string message_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an unknown error";
  }
}

}  // namespace dt

extern "C" const char* dt_last_error(void) { return dt::last_error.c_str(); }
