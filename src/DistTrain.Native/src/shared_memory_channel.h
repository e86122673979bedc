// The protocol of the local all-reduce: a shared segment with one input region per rank, one
// result region, and two counters per rank that say how far it got. Ranks move in lock step;
// a rank that stops moving is detected by the deadline or, if its process is gone, at once.
#pragma once
#include "collective_header.h"
#include "deadline.h"
#include "shared_segment.h"

#include <sys/types.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace dt {

class SharedMemoryChannel {
 public:
  using Clock = std::chrono::steady_clock;

  using Deadline = dt::Deadline;

  // How a segment for `size` ranks is laid out; every rank computes the same from `size`.
  struct Layout {
    explicit Layout(int size);
    int size;
    size_t chunk_bytes;   // bytes of one region: larger inputs go through in chunks
    size_t data_offset;   // where the first region starts (after the header and counters)
    size_t total_bytes;
  };

  // Rank 0 creates the segment and stamps it with `nonce`; the others open it and check the stamp.
  static SharedMemoryChannel create(const std::string& name, uint64_t nonce, int size);
  static SharedMemoryChannel open(const std::string& name, uint64_t nonce, int rank, int size);

  // Removes the segment's name once every rank has it mapped.
  void unlink() { segment_.unlink(); }

  // Remembers which peers this process can watch for exit: those in its pid namespace. Call it
  // once every rank has opened the segment (each writes its pid there).
  void watch_peers();

  // Sums `count` elements at `data` over all ranks, in place, and divides the sum by `divisor`
  // (1: a plain sum), after checking that every rank passed the same `header`. Throws Failure:
  // DT_WORK_MISMATCH when a rank passed another header, DT_WORK_PEER_LOST when a peer exits or
  // leaves, DT_WORK_TIMED_OUT when the deadline passes, DT_WORK_FAILED when `stop` is set.
  template <typename T>
  void all_reduce(T* data, size_t count, int divisor, const CollectiveHeader& header, const Deadline& deadline,
                  const std::atomic<bool>& stop);

  // The same for a tensor whose every rank's copy lies in shared memory: `slabs[k]` is rank k's
  // copy, mapped here. Each rank reduces its share of the elements from every copy and writes it
  // into every copy, so nothing goes through the channel's regions. Throws as all_reduce does.
  template <typename T>
  void all_reduce_in_slabs(const std::vector<T*>& slabs, size_t count, int divisor, const CollectiveHeader& header,
                           const Deadline& deadline, const std::atomic<bool>& stop);

  // One lock-step round without data: every rank checks that all passed the same `header` (and
  // has reached it: a barrier). Throws as all_reduce_sum does.
  void agree(const CollectiveHeader& header, const Deadline& deadline, const std::atomic<bool>& stop);

  // Tells the peers this rank takes no further part (its group failed or is closing), waking any
  // that wait for it, so they fail at once instead of at their deadline; also wakes this rank's
  // own wait so that it sees `stop`.
  void leave();

  int size() const { return layout_.size; }
  int rank() const { return rank_; }

 private:
  struct Header;
  struct RankState;
  struct Step;

  SharedMemoryChannel(SharedSegment segment, int rank, int size);
  void introduce_self();
  Header& header() const;
  RankState& state(int rank) const;
  char* region(int index) const;  // 0..size-1: the ranks' inputs; size: the result

  template <typename T>
  void reduce_chunk(T* data, size_t n, const Step& step);
  void publish_header(const CollectiveHeader& header);
  void check_peers_agree(const CollectiveHeader& mine) const;
  void publish(std::atomic<uint32_t>& counter, uint32_t value);
  void wait_for_all(int phase, uint32_t seq, const Step& step);
  void wait_for(int peer, int phase, uint32_t seq, const Step& step);
  bool exited(int peer) const;

  SharedSegment segment_;
  int rank_;
  Layout layout_;
  uint32_t seq_ = 0;
  std::vector<pid_t> watched_;  // per rank: its pid, or 0 when it is not watched
};

}  // namespace dt
