// All-reduce (sum) through shared memory among ranks that run on one host. Gloo moves every
// buffer through loopback TCP and the kernel; here each rank copies its input into a shared
// segment once, reduces its share of the elements from every rank's copy, and copies the others'
// shares back: a few passes over memory instead of several round trips through sockets.
// It runs where every collective of the group runs: on the group's worker, or on a caller that
// waits for it (Group::run_if_next).
#pragma once
#include "collective_header.h"
#include "element_types.h"
#include "managed_store.h"
#include "shared_memory_channel.h"

#include <atomic>
#include <memory>
#include <string>
#include <vector>

namespace dt {

class LocalAllReduce {
 public:
  using Deadline = SharedMemoryChannel::Deadline;

  // Sets up the channel through the group's store. Every rank gets the same answer: a channel when
  // all ranks mapped one segment (same host, same /dev/shm), otherwise null (and Gloo does the work)
  // with `why_not` saying which rank could not and why. `enabled` false on any rank turns it off for
  // all. Blocks at most the store's timeout per read.
  static std::unique_ptr<LocalAllReduce> connect(ManagedStore& store, int rank, int size, bool enabled,
                                                 std::string& why_not);

  // Whether sums of this type and op go through shared memory. Depends on nothing that may differ
  // between ranks that passed the same arguments.
  static bool handles(ElementType type, ReduceOp op);

  // Sums `count` elements of `type` at `data` over all ranks (then divides, for avg). Throws Failure.
  void all_reduce(void* data, size_t count, ElementType type, ReduceOp op, int size, const CollectiveHeader& header,
                  const Deadline& deadline, const std::atomic<bool>& stop);

  // Creates a buffer of `bytes` per rank in shared memory, with every rank of the group (a
  // collective: `header` describes it). Returns this rank's slab, or null with `why_not` saying why
  // none could be made (every rank returns null then: a full /dev/shm, say). Throws Failure.
  char* create_shared_buffer(const CollectiveHeader& header, size_t bytes, const Deadline& deadline,
                             const std::atomic<bool>& stop, std::string& why_not);

  // Checks, with every peer, that all passed `header`; also a barrier. Throws Failure.
  void agree(const CollectiveHeader& header, const Deadline& deadline, const std::atomic<bool>& stop) {
    channel_->agree(header, deadline, stop);
  }

  ~LocalAllReduce();
  LocalAllReduce(const LocalAllReduce&) = delete;
  LocalAllReduce& operator=(const LocalAllReduce&) = delete;

  // Peers' waits for this rank fail at once from now on (see SharedMemoryChannel::leave).
  void leave() { channel_->leave(); }

 private:
  LocalAllReduce(std::unique_ptr<SharedMemoryChannel> channel, std::string name)
      : channel_(std::move(channel)), name_(std::move(name)) {}
  // Through the peers' slabs when `header` names a shared buffer, else copied through the channel.
  template <typename T>
  void all_reduce_as(T* data, size_t count, int divisor, const CollectiveHeader& header, const Deadline& deadline,
                         const std::atomic<bool>& stop);
  // Sums one flag per rank (1: this rank failed) over all ranks; throws Failure.
  std::vector<int64_t> flags_of_all(bool failed, const CollectiveHeader& header, const Deadline& deadline,
                                    const std::atomic<bool>& stop);

  std::unique_ptr<SharedMemoryChannel> channel_;
  std::string name_;  // the channel's segment name, which the shared buffers' names extend
};

}  // namespace dt
