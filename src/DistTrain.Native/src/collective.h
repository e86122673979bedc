// One queued collective, and how the group's worker runs it: agree with every peer on what is
// being run (through shared memory when the group has it, else over Gloo), then move the data.
#pragma once
#include <atomic>
#include <memory>

#include "collective_header.h"
#include "deadline.h"
#include "element_types.h"
#include "work.h"

namespace dt {

class GlooMesh;
class LocalAllReduce;

struct Collective {
  CollectiveHeader header;  // its sequence is set when the group queues it
  ElementType type = ElementType::UInt8;
  ReduceOp op = ReduceOp::Sum;
  void* data = nullptr;         // all_reduce, broadcast: in place; all_gather, reduce_scatter: the output
  const void* input = nullptr;  // all_gather, reduce_scatter
  Deadline deadline{};
  std::shared_ptr<Work> work;

  CollectiveKind kind() const { return static_cast<CollectiveKind>(header.kind); }
};

// What a collective runs over.
struct Transports {
  int rank;
  int size;
  GlooMesh* mesh;          // null only for a group of one
  LocalAllReduce* local;   // null when sums go through Gloo
  const std::atomic<bool>& stop;  // set when the group is freed
};

// Runs `c` to completion on this rank; throws Failure (or another exception: DT_WORK_FAILED).
void run_collective(const Transports& transports, const Collective& c);

}  // namespace dt
