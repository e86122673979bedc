#include "header_exchange.h"

#include <gloo/transport/unbound_buffer.h>
#include <gloo/types.h>

namespace dt {
namespace {

// Gloo's own collectives use slot prefixes 0x01..0x08.
constexpr uint8_t kHeaderSlotPrefix = 0x40;

std::string ranks_text(const std::vector<int>& ranks) {
  std::string text = ranks.size() == 1 ? "rank " : "ranks ";
  for (size_t i = 0; i < ranks.size(); ++i) text += (i == 0 ? "" : ", ") + std::to_string(ranks[i]);
  return text;
}

}  // namespace

std::vector<CollectiveHeader> exchange_headers(GlooMesh& mesh, const CollectiveHeader& mine, const Deadline& deadline) {
  const auto& context = mesh.context();
  const int rank = context->rank, size = context->size;
  std::vector<CollectiveHeader> all(size);
  all[rank] = mine;
  if (size == 1) return all;

  const auto kind = std::string(name_of(static_cast<CollectiveKind>(mine.kind)));
  const uint64_t slot = gloo::Slot::build(kHeaderSlotPrefix, static_cast<uint32_t>(mine.sequence));
  constexpr size_t kBytes = sizeof(CollectiveHeader);
  // One receive buffer per peer: a buffer counts completions but remembers only the last sender.
  std::vector<std::unique_ptr<gloo::transport::UnboundBuffer>> in(size);
  int waiting_for = -1;
  try {
    auto out = context->createUnboundBuffer(&all[rank], kBytes);
    for (int peer = 0; peer < size; ++peer) {
      if (peer == rank) continue;
      in[peer] = context->createUnboundBuffer(&all[peer], kBytes);
      in[peer]->recv(peer, slot);
      out->send(peer, slot);
    }
    for (int peer = 0; peer < size; ++peer) {
      if (peer == rank) continue;
      waiting_for = peer;
      in[peer]->waitRecv(deadline.remaining());
    }
    waiting_for = -1;
    for (int i = 1; i < size; ++i) out->waitSend(deadline.remaining());
  } catch (const std::exception& e) {
    auto failure = mesh.classify(e, kind, deadline.timeout_ms);
    if (failure.status() != DT_WORK_TIMED_OUT || waiting_for < 0) throw failure;
    // Gloo's timeout has failed every pending receive by now: the others answer at once.
    std::vector<int> silent{waiting_for};
    for (int peer = waiting_for + 1; peer < size; ++peer) {
      if (peer == rank) continue;
      try {
        in[peer]->waitRecv(std::chrono::milliseconds(1));
      } catch (const std::exception&) {
        silent.push_back(peer);
      }
    }
    const bool one = silent.size() == 1;
    throw Failure(DT_WORK_TIMED_OUT, kind + " timed out after " + std::to_string(deadline.timeout_ms) +
                                         " ms waiting for " + ranks_text(silent) + (one ? " (it" : " (they") +
                                         " never reached this " + kind + (one ? ", or is stuck)" : ", or are stuck)"));
  }
  return all;
}

}  // namespace dt
