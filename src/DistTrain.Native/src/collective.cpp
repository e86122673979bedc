#include "collective.h"

#include <cstring>
#include <vector>

#include "gloo_collectives.h"
#include "gloo_mesh.h"
#include "header_exchange.h"
#include "local_all_reduce.h"
#include "reduce.h"
#include "shared_buffers.h"

namespace dt {
namespace {

size_t bytes_of(const Collective& c) { return static_cast<size_t>(c.header.count) * element_size(c.type); }

// memmove: reduce_scatter's output may lie inside its input.
void copy(void* to, const void* from, size_t bytes) {
  if (bytes != 0 && to != from) std::memmove(to, from, bytes);
}

// A group of one: nothing to agree on, nothing to move but this rank's own blocks.
void run_alone(const Collective& c) {
  switch (c.kind()) {
    case CollectiveKind::AllGather:
    case CollectiveKind::ReduceScatter: copy(c.data, c.input, bytes_of(c)); break;
    default: break;  // all_reduce and avg over one rank, broadcast, barrier: nothing changes
  }
}

void run_over_gloo(const Transports& t, const Collective& c) {
  const auto& context = t.mesh->context();
  const auto tag = static_cast<uint32_t>(c.header.sequence);
  const auto count = static_cast<size_t>(c.header.count);
  const auto bytes = bytes_of(c);
  try {
    switch (c.kind()) {
      case CollectiveKind::AllReduce:
        gloo_all_reduce(context, c.data, count, c.type, c.op, tag, c.deadline.remaining());
        if (c.op == ReduceOp::Avg) divide(c.data, count, c.type, t.size);
        break;
      case CollectiveKind::Broadcast:
        gloo_broadcast(context, c.data, bytes, static_cast<int>(c.header.root), tag, c.deadline.remaining());
        break;
      case CollectiveKind::AllGather:
        gloo_all_gather(context, c.input, c.data, bytes, tag, c.deadline.remaining());
        break;
      case CollectiveKind::ReduceScatter: {
        // Gloo has no reduce_scatter: all-reduce every block (a copy: the input is the caller's), keep ours.
        std::vector<char> all(bytes * static_cast<size_t>(t.size));
        copy(all.data(), c.input, all.size());
        gloo_all_reduce(context, all.data(), count * static_cast<size_t>(t.size), c.type, c.op, tag,
                        c.deadline.remaining());
        copy(c.data, all.data() + bytes * static_cast<size_t>(t.rank), bytes);
        if (c.op == ReduceOp::Avg) divide(c.data, count, c.type, t.size);
        break;
      }
      case CollectiveKind::Barrier:
      case CollectiveKind::CreateSharedBuffer: break;  // handled before any data moves
    }
  } catch (const Failure&) {
    throw;
  } catch (const std::exception& e) {
    throw t.mesh->classify(e, name_of(c.kind()), c.deadline.timeout_ms);
  }
}

}  // namespace

// Every rank gets a slab, or none does (a group of one, or sums over Gloo: nothing to share).
void create_shared_buffer(const Transports& t, const Collective& c) {
  auto& result = *static_cast<SharedBufferResult*>(c.data);
  if (t.local == nullptr) {
    result.why_not = t.size == 1 ? "a group of one rank shares nothing" : "this group's sums do not go through shared memory";
    return;
  }
  result.slab = t.local->create_shared_buffer(c.header, static_cast<size_t>(c.header.count), c.deadline, t.stop,
                                              result.why_not);
}

void run_collective(const Transports& t, const Collective& c) {
  if (c.kind() == CollectiveKind::CreateSharedBuffer) return create_shared_buffer(t, c);
  if (t.size == 1) return run_alone(c);
  if (t.local != nullptr && c.kind() == CollectiveKind::AllReduce && LocalAllReduce::handles(c.type, c.op)) {
    // Checks agreement itself, on its first step.
    return t.local->all_reduce(c.data, static_cast<size_t>(c.header.count), c.type, c.op, t.size, c.header,
                               c.deadline, t.stop);
  }
  if (t.local != nullptr) {
    t.local->agree(c.header, c.deadline, t.stop);
  } else {
    check_agreement(exchange_headers(*t.mesh, c.header, c.deadline), t.rank);
  }
  // Agreement was also a barrier; an empty input has nothing to move.
  if (c.kind() == CollectiveKind::Barrier || c.header.count == 0) return;
  run_over_gloo(t, c);
}

}  // namespace dt
