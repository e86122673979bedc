#include "managed_store.h"

#include <mutex>
#include <stdexcept>

#include "errors.h"

namespace dt {
namespace {

std::mutex callbacks_mutex;
dt_store_callbacks callbacks{};
bool installed = false;

dt_store_callbacks current() {
  std::lock_guard<std::mutex> lock(callbacks_mutex);
  if (!installed) throw std::runtime_error("the store callbacks are not installed (call dt_store_set_callbacks first)");
  return callbacks;
}

// Calls a managed callback; a managed failure becomes a C++ error carrying its message.
template <typename Call>
void call_managed(const char* what, const std::string& key, Call&& call) {
  char error[2048];
  error[0] = '\0';
  if (call(error, static_cast<int32_t>(sizeof error)) != 0) {
    error[sizeof error - 1] = '\0';
    throw std::runtime_error(std::string(error[0] != '\0' ? error : "the managed store failed") + " (store " + what +
                             " of '" + key + "')");
  }
}

int32_t length_of(const std::string& s) { return static_cast<int32_t>(s.size()); }

}  // namespace

void install_store_callbacks(const dt_store_callbacks& table) {
  if (table.set == nullptr || table.get == nullptr || table.add == nullptr || table.wait == nullptr) {
    throw std::invalid_argument("every store callback (set, get, add, wait) must be given");
  }
  std::lock_guard<std::mutex> lock(callbacks_mutex);
  callbacks = table;
  installed = true;
}

ManagedStore::ManagedStore(int64_t id, std::string prefix, std::chrono::milliseconds timeout)
    : id_(id), prefix_(std::move(prefix)), timeout_(timeout) {}

void ManagedStore::set(const std::string& key, const std::vector<char>& value) {
  const auto full = prefix_ + key;
  const auto table = current();
  call_managed("set", full, [&](char* e, int32_t c) {
    return table.set(id_, full.data(), length_of(full), reinterpret_cast<const uint8_t*>(value.data()),
                     static_cast<int64_t>(value.size()), e, c);
  });
}

std::vector<char> ManagedStore::get(const std::string& key) {
  const auto full = prefix_ + key;
  const auto table = current();
  std::vector<char> value;
  call_managed("get", full, [&](char* e, int32_t c) {
    return table.get(id_, full.data(), length_of(full), timeout_.count(), &value, e, c);
  });
  return value;
}

void ManagedStore::wait(const std::vector<std::string>& keys) {
  std::vector<std::string> full;
  std::vector<const char*> pointers;
  std::vector<int32_t> lengths;
  for (const auto& k : keys) full.push_back(prefix_ + k);
  for (const auto& k : full) {
    pointers.push_back(k.data());
    lengths.push_back(length_of(k));
  }
  const auto table = current();
  call_managed("wait", full.empty() ? std::string() : full.front(), [&](char* e, int32_t c) {
    return table.wait(id_, pointers.data(), lengths.data(), static_cast<int32_t>(full.size()), timeout_.count(), e, c);
  });
}

void ManagedStore::wait(const std::vector<std::string>& keys, const std::chrono::milliseconds&) { wait(keys); }

int64_t ManagedStore::add(const std::string& key, int64_t delta) {
  const auto full = prefix_ + key;
  const auto table = current();
  int64_t value = 0;
  call_managed("add", full, [&](char* e, int32_t c) { return table.add(id_, full.data(), length_of(full), delta, &value, e, c); });
  return value;
}

void ManagedStore::set_text(const std::string& key, const std::string& value) {
  set(key, std::vector<char>(value.begin(), value.end()));
}

std::string ManagedStore::get_text(const std::string& key) {
  const auto bytes = get(key);
  return std::string(bytes.begin(), bytes.end());
}

}  // namespace dt

extern "C" {

void dt_store_set_callbacks(const dt_store_callbacks* table) {
  DT_TRY
  if (table == nullptr) throw std::invalid_argument("dt_store_set_callbacks: callbacks is NULL");
  dt::install_store_callbacks(*table);
  DT_CATCH()
}

void dt_store_result_set(void* result, const uint8_t* data, int64_t length) {
  if (result == nullptr) return;
  auto* value = static_cast<std::vector<char>*>(result);
  if (data == nullptr || length <= 0) {
    value->clear();
    return;
  }
  DT_TRY
  value->assign(reinterpret_cast<const char*>(data), reinterpret_cast<const char*>(data) + length);
  DT_CATCH()
}

}  // extern "C"
