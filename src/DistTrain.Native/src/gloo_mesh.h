// The group's Gloo connections: a rendezvous context over a TCP device, fully connected through
// the store, that can be aborted from any thread, and that turns Gloo's errors into Failures.
#pragma once
#include <gloo/context.h>

#include <chrono>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "errors.h"
#include "managed_store.h"

namespace dt {

class GlooMesh {
 public:
  // Connects this rank to every other (addresses under the store's prefix). Blocks until all
  // `size` ranks have joined, each store read at most the store's timeout.
  static std::unique_ptr<GlooMesh> connect(ManagedStore& store, int rank, int size, const std::string& interface,
                                           const std::string& hostname, std::chrono::milliseconds store_timeout);

  ~GlooMesh();

  const std::shared_ptr<gloo::Context>& context() const { return context_; }

  // Fails every Gloo operation in progress on this rank (at once, with `why`) and closes every
  // connection, so peers that wait for this rank fail at once too. Any thread; idempotent.
  void abort(const std::string& why);

  // What a Gloo exception thrown while running `collective` means, as a Failure: a peer that
  // closed its connection (named when known), the collective's timeout, or anything else.
  Failure classify(const std::exception& e, const std::string& collective, int64_t timeout_ms) const;

  // The peer whose connection `gloo_message` names, or -1.
  int rank_named_in(const std::string& gloo_message) const;

  // The text abort() makes Gloo operations fail with when this rank frees its group.
  static const char* kFreedMessage;

 private:
  class Context;
  explicit GlooMesh(std::shared_ptr<Context> context);

  std::shared_ptr<Context> abortable_;
  std::shared_ptr<gloo::Context> context_;
  std::vector<std::pair<std::string, int>> peer_addresses_;  // how Gloo names each peer's end, and its rank
};

}  // namespace dt
