// The c10d store bridge: a c10d::Store answered by the managed side, c10d's TCPStore and
// PrefixStore, and c10d's Store API on any store handle.
#include "distributed.h"

#include <torch/csrc/distributed/c10d/PrefixStore.hpp>
#include <torch/csrc/distributed/c10d/TCPStore.hpp>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <stdexcept>

namespace {

dt_store_callbacks callbacks{};
std::atomic<bool> callbacks_installed{false};

const dt_store_callbacks& managed() {
  TORCH_CHECK(callbacks_installed.load(), "store callbacks are not installed (dt_store_set_callbacks was never called)");
  return callbacks;
}

// Calls a managed callback; a managed failure becomes a C++ error carrying its message.
template <typename Call>
void call_managed(const char* what, Call&& call) {
  char error[2048];
  error[0] = '\0';
  if (call(error, static_cast<int32_t>(sizeof(error))) != 0) {
    error[sizeof(error) - 1] = '\0';
    TORCH_CHECK(false, error[0] ? error : "the managed store failed", " (store ", what, ")");
  }
}

// Owns the managed id; clones of the store (2.x) share it, the last one releases it.
struct ManagedId {
  int64_t id;
  bool armed = true;  // false when the id never reached a native owner: the caller frees it
  explicit ManagedId(int64_t i) : id(i) {}
  ManagedId(const ManagedId&) = delete;
  ManagedId& operator=(const ManagedId&) = delete;
  ~ManagedId() {
    if (armed && callbacks.release) callbacks.release(id);
  }
};

struct KeyList {
  std::vector<const char*> pointers;
  std::vector<int32_t> lengths;
  explicit KeyList(const std::vector<std::string>& keys) {
    for (const auto& k : keys) {
      pointers.push_back(k.data());
      lengths.push_back(static_cast<int32_t>(k.size()));
    }
  }
};

class ManagedStore final : public c10d::Store {
 public:
  ManagedStore(std::shared_ptr<ManagedId> id, std::chrono::milliseconds timeout)
      : c10d::Store(timeout), id_(std::move(id)) {}

  void set(const std::string& key, const std::vector<uint8_t>& value) override {
    call_managed("set", [&](char* e, int32_t c) {
      return managed().set(id_->id, key.data(), len(key), value.data(), static_cast<int64_t>(value.size()), e, c);
    });
  }

  std::vector<uint8_t> get(const std::string& key) override {
    std::vector<uint8_t> value;
    call_managed("get", [&](char* e, int32_t c) {
      return managed().get(id_->id, key.data(), len(key), timeout_.count(), &value, e, c);
    });
    return value;
  }

  std::vector<uint8_t> compareSet(const std::string& key, const std::vector<uint8_t>& expected,
                                  const std::vector<uint8_t>& desired) override {
    std::vector<uint8_t> value;
    call_managed("compare_set", [&](char* e, int32_t c) {
      return managed().compare_set(id_->id, key.data(), len(key), expected.data(), static_cast<int64_t>(expected.size()),
                                   desired.data(), static_cast<int64_t>(desired.size()), &value, e, c);
    });
    return value;
  }

  int64_t add(const std::string& key, int64_t delta) override {
    int64_t value = 0;
    call_managed("add", [&](char* e, int32_t c) { return managed().add(id_->id, key.data(), len(key), delta, &value, e, c); });
    return value;
  }

  bool deleteKey(const std::string& key) override {
    int32_t existed = 0;
    call_managed("delete_key", [&](char* e, int32_t c) {
      return managed().delete_key(id_->id, key.data(), len(key), &existed, e, c);
    });
    return existed != 0;
  }

  bool check(const std::vector<std::string>& keys) override {
    KeyList list(keys);
    int32_t all = 0;
    call_managed("check", [&](char* e, int32_t c) {
      return managed().check(id_->id, list.pointers.data(), list.lengths.data(), static_cast<int32_t>(keys.size()), &all, e, c);
    });
    return all != 0;
  }

  int64_t getNumKeys() override {
    int64_t count = 0;
    call_managed("num_keys", [&](char* e, int32_t c) { return managed().num_keys(id_->id, &count, e, c); });
    return count;
  }

  void wait(const std::vector<std::string>& keys) override { wait(keys, timeout_); }

  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override {
    KeyList list(keys);
    call_managed("wait", [&](char* e, int32_t c) {
      return managed().wait(id_->id, list.pointers.data(), list.lengths.data(), static_cast<int32_t>(keys.size()),
                            timeout.count(), e, c);
    });
  }

  // Pure virtual from libtorch 2.x on; no `override` so that 1.13 compiles too.
  c10::intrusive_ptr<c10d::Store> clone() { return c10::make_intrusive<ManagedStore>(id_, timeout_); }

 private:
  static int32_t len(const std::string& s) { return static_cast<int32_t>(s.size()); }
  std::shared_ptr<ManagedId> id_;
};

// Copies a value into a malloc'd buffer for the managed side (freed with dt_buffer_free).
void copy_out(const std::vector<uint8_t>& value, uint8_t** data, int64_t* length) {
  *length = static_cast<int64_t>(value.size());
  *data = nullptr;
  if (value.empty()) return;
  *data = static_cast<uint8_t*>(std::malloc(value.size()));
  if (*data == nullptr) throw std::bad_alloc();
  std::memcpy(*data, value.data(), value.size());
}

std::vector<std::string> key_vector(const char* const* keys, int32_t count) {
  return std::vector<std::string>(keys, keys + count);
}

dt_store wrap_store(c10::intrusive_ptr<c10d::Store> store) { return new dt::DtStore{std::move(store)}; }

}  // namespace

extern "C" {

void dt_store_set_callbacks(const dt_store_callbacks* table) {
  callbacks = *table;
  callbacks_installed.store(true);
}

void dt_store_result_set(void* result, const uint8_t* data, int64_t length) {
  auto* value = static_cast<std::vector<uint8_t>*>(result);
  value->assign(data, data + length);
}

dt_store dt_store_managed_create(int64_t id, int64_t timeout_ms) {
  DT_TRY
  managed();
  auto owner = std::make_shared<ManagedId>(id);
  try {
    return wrap_store(c10::make_intrusive<ManagedStore>(owner, dt::millis(timeout_ms)));
  } catch (...) {
    owner->armed = false;
    throw;
  }
  DT_CATCH(nullptr)
}

dt_store dt_store_tcp_create(const char* host, int32_t port, int32_t world_size, bool is_server, int64_t timeout_ms) {
  DT_TRY
  c10d::TCPStoreOptions options;
  options.port = static_cast<std::uint16_t>(port);
  options.isServer = is_server;
  if (world_size > 0) options.numWorkers = static_cast<std::size_t>(world_size);
  options.waitWorkers = false;
  options.timeout = dt::millis(timeout_ms);
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
  // From 2.4 the server defaults to libuv, which some builds of libtorch lack: then use the classic one.
  try {
    return wrap_store(c10::make_intrusive<c10d::TCPStore>(host, options));
  } catch (const c10::Error& e) {
    if (std::string(e.what()).find("libuv") == std::string::npos) throw;
    options.useLibUV = false;
  }
#endif
  return wrap_store(c10::make_intrusive<c10d::TCPStore>(host, options));
  DT_CATCH(nullptr)
}

int32_t dt_store_tcp_port(dt_store store) {
  DT_TRY
  auto* tcp = dynamic_cast<c10d::TCPStore*>(&dt::unwrap_store(store));
  TORCH_CHECK(tcp != nullptr, "the store is not a TCPStore");
  return static_cast<int32_t>(tcp->getPort());
  DT_CATCH(-1)
}

dt_store dt_store_prefix_create(const char* prefix, dt_store store) {
  DT_TRY return wrap_store(c10::make_intrusive<c10d::PrefixStore>(prefix, static_cast<dt::DtStore*>(store)->store));
  DT_CATCH(nullptr)
}

dt_store dt_store_alias(dt_store store) {
  DT_TRY return wrap_store(static_cast<dt::DtStore*>(store)->store);
  DT_CATCH(nullptr)
}

void dt_store_free(dt_store store) { delete static_cast<dt::DtStore*>(store); }

int32_t dt_store_set(dt_store store, const char* key, const uint8_t* value, int64_t length) {
  DT_STATUS_FN(dt::unwrap_store(store).set(key, std::vector<uint8_t>(value, value + length)))
}

int32_t dt_store_get(dt_store store, const char* key, uint8_t** data, int64_t* length) {
  DT_STATUS_FN(copy_out(dt::unwrap_store(store).get(key), data, length))
}

int32_t dt_store_add(dt_store store, const char* key, int64_t delta, int64_t* value) {
  DT_STATUS_FN(*value = dt::unwrap_store(store).add(key, delta))
}

int32_t dt_store_compare_set(dt_store store, const char* key, const uint8_t* expected, int64_t expected_length,
                             const uint8_t* desired, int64_t desired_length, uint8_t** data, int64_t* length) {
  DT_STATUS_FN(copy_out(dt::unwrap_store(store).compareSet(key, std::vector<uint8_t>(expected, expected + expected_length),
                                                           std::vector<uint8_t>(desired, desired + desired_length)),
                        data, length))
}

int32_t dt_store_delete_key(dt_store store, const char* key, int32_t* existed) {
  DT_STATUS_FN(*existed = dt::unwrap_store(store).deleteKey(key) ? 1 : 0)
}

int32_t dt_store_check(dt_store store, const char* const* keys, int32_t count, int32_t* all_exist) {
  DT_STATUS_FN(*all_exist = dt::unwrap_store(store).check(key_vector(keys, count)) ? 1 : 0)
}

int32_t dt_store_wait(dt_store store, const char* const* keys, int32_t count, int64_t timeout_ms) {
  DT_TRY
  auto& s = dt::unwrap_store(store);
  if (timeout_ms < 0) s.wait(key_vector(keys, count));
  else s.wait(key_vector(keys, count), dt::millis(timeout_ms));
  return 0;
  DT_CATCH(-1)
}

int32_t dt_store_num_keys(dt_store store, int64_t* count) { DT_STATUS_FN(*count = dt::unwrap_store(store).getNumKeys()) }

int32_t dt_store_get_timeout(dt_store store, int64_t* timeout_ms) {
  DT_STATUS_FN(*timeout_ms = dt::unwrap_store(store).getTimeout().count())
}

int32_t dt_store_set_timeout(dt_store store, int64_t timeout_ms) {
  DT_STATUS_FN(dt::unwrap_store(store).setTimeout(dt::millis(timeout_ms)))
}

void dt_buffer_free(void* data) { std::free(data); }

}  // extern "C"
