// dt_work handles: a caller's share of a Work (the group's worker holds the other), and the group
// that runs it, so that a caller who waits may run it itself (Group::run_if_next).
#pragma once
#include <memory>
#include <stdexcept>

#include "disttrain_native.h"
#include "group.h"
#include "work.h"

namespace dt {

struct WorkHandle {
  std::shared_ptr<Work> work;
  std::weak_ptr<Group> group;  // weak: a handle kept after dt_group_free must not keep the group
};

inline dt_work wrap_work(std::shared_ptr<Work> work, const std::shared_ptr<Group>& group) {
  return new WorkHandle{std::move(work), group};
}

inline WorkHandle& handle_of(dt_work handle) {
  if (handle == nullptr) throw std::invalid_argument("the work handle is NULL");
  return *static_cast<WorkHandle*>(handle);
}

inline Work& work_of(dt_work handle) { return *handle_of(handle).work; }

}  // namespace dt
