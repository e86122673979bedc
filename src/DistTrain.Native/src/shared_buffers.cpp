#include "shared_buffers.h"

#include <mutex>
#include <unordered_map>

namespace dt {
namespace {

std::mutex registry_mutex;

std::unordered_map<const void*, std::shared_ptr<SharedBuffer>>& registry() {
  // Never destroyed, like the groups' registry: tensors may be freed during static destruction.
  static auto* buffers = new std::unordered_map<const void*, std::shared_ptr<SharedBuffer>>();
  return *buffers;
}

}  // namespace

char* keep_shared_buffer(std::unique_ptr<SharedBuffer> buffer) {
  char* slab = buffer->slab(buffer->rank);
  std::lock_guard<std::mutex> lock(registry_mutex);
  registry()[slab] = std::move(buffer);
  return slab;
}

std::shared_ptr<SharedBuffer> find_shared_buffer(const void* owner, const void* data, size_t bytes, size_t& offset) {
  const auto* p = static_cast<const char*>(data);
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (const auto& [slab, buffer] : registry()) {
    const auto* begin = static_cast<const char*>(slab);
    if (buffer->owner == owner && p >= begin && p + bytes <= begin + buffer->slab_bytes) {
      offset = static_cast<size_t>(p - begin);
      return buffer;
    }
  }
  return nullptr;
}

std::shared_ptr<SharedBuffer> shared_buffer_by_id(const void* owner, int64_t id) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (const auto& [slab, buffer] : registry()) {
    if (buffer->owner == owner && buffer->id == id) return buffer;
  }
  return nullptr;
}

void orphan_shared_buffers(const void* owner) {
  std::lock_guard<std::mutex> lock(registry_mutex);
  for (auto& [slab, buffer] : registry()) {
    if (buffer->owner == owner) buffer->owner = nullptr;
  }
}

void release_shared_buffer(const void* slab) {
  std::shared_ptr<SharedBuffer> last;  // unmapped outside the lock
  std::lock_guard<std::mutex> lock(registry_mutex);
  const auto it = registry().find(slab);
  if (it == registry().end()) return;
  last = std::move(it->second);
  registry().erase(it);
}

int64_t shared_slot(const void* owner, const void* data, size_t bytes, size_t element_bytes) {
  if (owner == nullptr || data == nullptr || bytes == 0) return -1;
  size_t offset = 0;
  const auto buffer = find_shared_buffer(owner, data, bytes, offset);
  if (buffer == nullptr || offset % element_bytes != 0) return -1;
  const auto element = offset / element_bytes;
  if (element > 0xffffffffu || buffer->id > 0x7fffffff) return -1;
  return (buffer->id << 32) | static_cast<int64_t>(element);
}

}  // namespace dt
