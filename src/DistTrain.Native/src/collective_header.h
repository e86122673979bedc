// What a rank says it is about to run: exchanged among all ranks before any data moves, so that
// ranks that called different collectives (or the same one with other arguments) all fail the same
// collective, saying which rank differs, instead of pairing the wrong bytes or hanging.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace dt {

enum class CollectiveKind : int64_t {
  AllReduce = 0,
  Broadcast = 1,
  AllGather = 2,
  ReduceScatter = 3,
  Barrier = 4,
  CreateSharedBuffer = 5,  // count: bytes per rank (shared_buffers.h)
};

const char* name_of(CollectiveKind kind);

// Fixed size and plain int64 fields: it travels as bytes between ranks of one build.
struct CollectiveHeader {
  int64_t kind = 0;
  int64_t sequence = 0;  // the group's collective number, counted alike on every rank
  int64_t count = 0;     // elements (per rank for all_gather and reduce_scatter)
  int64_t dtype = -1;    // -1: none (barrier)
  int64_t op = -1;       // -1: none
  int64_t root = -1;     // -1: none
  int64_t shared = -1;   // all_reduce in a shared buffer: (buffer id << 32) | first element; -1: none

  bool operator==(const CollectiveHeader& other) const;
  bool operator!=(const CollectiveHeader& other) const { return !(*this == other); }
};

// "all_reduce of 1000 float32 elements (sum)"; with its number when `with_sequence`.
std::string describe(const CollectiveHeader& header, bool with_sequence = false);

// Throws Failure(DT_WORK_MISMATCH) naming the first rank, in rank order, whose header differs
// from this rank's, and what each passed; `headers` holds every rank's, this rank's among them.
void check_agreement(const std::vector<CollectiveHeader>& headers, int rank);

// The same check against one peer's header (the shared-memory path reads them one by one).
void check_agreement(const CollectiveHeader& theirs, int their_rank, const CollectiveHeader& mine, int rank);

}  // namespace dt
