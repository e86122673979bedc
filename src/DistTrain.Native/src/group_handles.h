// dt_group handles: every live group is registered, so that a call on a freed (or never created)
// handle fails with a message instead of touching freed memory, and a call racing dt_group_free
// keeps the group alive until it returns.
#pragma once
#include <memory>

#include "disttrain_native.h"
#include "group.h"

namespace dt {

dt_group register_group(std::shared_ptr<Group> group);
// Throws std::invalid_argument for NULL, a freed or an unknown handle.
std::shared_ptr<Group> find_group(dt_group handle);
// The group, now unregistered; null when the handle is not registered.
std::shared_ptr<Group> unregister_group(dt_group handle);

}  // namespace dt
