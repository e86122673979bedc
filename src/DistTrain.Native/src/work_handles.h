// dt_work handles: a caller's share of a Work; the group's worker holds the other.
#pragma once
#include <memory>
#include <stdexcept>

#include "disttrain_native.h"
#include "work.h"

namespace dt {

struct WorkHandle {
  std::shared_ptr<Work> work;
};

inline dt_work wrap_work(std::shared_ptr<Work> work) { return new WorkHandle{std::move(work)}; }

inline Work& work_of(dt_work handle) {
  if (handle == nullptr) throw std::invalid_argument("the work handle is NULL");
  return *static_cast<WorkHandle*>(handle)->work;
}

}  // namespace dt
