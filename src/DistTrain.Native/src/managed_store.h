// The managed key-value store (dt_store_callbacks) as Gloo's rendezvous store, plus the add the
// shared-memory setup needs. Every key gets this store's prefix, so groups never read each other's.
#pragma once
#include <gloo/rendezvous/store.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "disttrain_native.h"

namespace dt {

void install_store_callbacks(const dt_store_callbacks& callbacks);

class ManagedStore final : public gloo::rendezvous::Store {
 public:
  // `timeout`: how long one get or wait may block.
  ManagedStore(int64_t id, std::string prefix, std::chrono::milliseconds timeout);

  // The same store under `prefix() + more`.
  ManagedStore under(const std::string& more) const { return ManagedStore(id_, prefix_ + more, timeout_); }
  const std::string& prefix() const { return prefix_; }

  void set(const std::string& key, const std::vector<char>& value) override;
  std::vector<char> get(const std::string& key) override;
  void wait(const std::vector<std::string>& keys) override;
  // Gloo passes its context's timeout; this store keeps to its own (the caller's store_timeout_ms).
  void wait(const std::vector<std::string>& keys, const std::chrono::milliseconds& timeout) override;
  int64_t add(const std::string& key, int64_t delta);

  void set_text(const std::string& key, const std::string& value);
  std::string get_text(const std::string& key);

 private:
  int64_t id_;
  std::string prefix_;
  std::chrono::milliseconds timeout_;
};

}  // namespace dt
