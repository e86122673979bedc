// How a group comes to be: a key prefix of its own on the store, the Gloo mesh, then the vote on
// the shared-memory path. Every rank runs the same steps in the same order.
#include <stdexcept>

#include "group.h"
#include "sigpipe.h"

namespace dt {
namespace {

// Groups created one after another on one store get keys of their own. Every rank draws a ticket
// first, and no rank finishes connecting before every rank has published its address (after its
// ticket), so a group's tickets are k·size + 1 … (k + 1)·size on every rank: the same k. Groups of
// different processes created at the same time on one store would need prefixes of their own.
ManagedStore group_store(int64_t store_id, int size, std::chrono::milliseconds timeout) {
  ManagedStore root(store_id, "disttrain/groups/", timeout);
  const int64_t ticket = root.add("tickets", 1);
  return root.under(std::to_string((ticket - 1) / size) + "/");
}

std::string text_or_empty(const char* text) { return text != nullptr ? text : ""; }

void check(const dt_group_options& o, int rank, int size) {
  if (size < 1) throw std::invalid_argument("the world size must be at least 1 (got " + std::to_string(size) + ")");
  if (rank < 0 || rank >= size) {
    throw std::invalid_argument("the rank must be in [0, " + std::to_string(size) + ") (got " + std::to_string(rank) + ")");
  }
  if (o.timeout_ms <= 0) {
    throw std::invalid_argument("the collectives' timeout must be positive (got " + std::to_string(o.timeout_ms) + " ms)");
  }
  if (o.store_timeout_ms <= 0) {
    throw std::invalid_argument("the store timeout must be positive (got " + std::to_string(o.store_timeout_ms) + " ms)");
  }
}

}  // namespace

std::shared_ptr<Group> Group::create(int64_t store_id, int rank, int size, const dt_group_options& options) {
  check(options, rank, size);
  const SigpipeBlocked sigpipe_blocked;  // Gloo's event-loop thread, started here, inherits it
  const auto store_timeout = std::chrono::milliseconds(std::min(options.store_timeout_ms, Deadline::kMaxMilliseconds));
  auto store = group_store(store_id, size, store_timeout);
  auto gloo_store = store.under("gloo/");
  auto mesh = GlooMesh::connect(gloo_store, rank, size, text_or_empty(options.interface),
                                text_or_empty(options.hostname), store_timeout);
  std::string why_not;
  auto local = LocalAllReduce::connect(store, rank, size, options.local_all_reduce != 0, why_not);
  auto status = local ? std::string("every rank mapped one shared-memory segment") : why_not;
  return std::make_shared<Group>(rank, size, std::min(options.timeout_ms, Deadline::kMaxMilliseconds), std::move(mesh),
                                 std::move(local), std::move(status));
}

}  // namespace dt
