#include "group_handles.h"

#include <mutex>
#include <stdexcept>
#include <unordered_map>

namespace dt {
namespace {
std::mutex registry_mutex;
std::unordered_map<dt_group, std::shared_ptr<Group>>& registry() {
  // Never destroyed: a group still alive when the process exits is not torn down during static
  // destruction, when its threads and Gloo's may already be gone.
  static auto* groups = new std::unordered_map<dt_group, std::shared_ptr<Group>>();
  return *groups;
}
}  // namespace

dt_group register_group(std::shared_ptr<Group> group) {
  dt_group handle = group.get();
  std::lock_guard<std::mutex> lock(registry_mutex);
  registry()[handle] = std::move(group);
  return handle;
}

std::shared_ptr<Group> find_group(dt_group handle) {
  if (handle == nullptr) throw std::invalid_argument("the group handle is NULL");
  std::lock_guard<std::mutex> lock(registry_mutex);
  const auto it = registry().find(handle);
  if (it == registry().end()) throw std::invalid_argument("the group was freed (or the handle is not a group)");
  return it->second;
}

std::shared_ptr<Group> unregister_group(dt_group handle) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  const auto it = registry().find(handle);
  if (it == registry().end()) return nullptr;
  auto group = std::move(it->second);
  registry().erase(it);
  return group;
}

}  // namespace dt
