#include "shared_memory_channel.h"

#include "errors.h"

#include <linux/futex.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <memory>
#include <stdexcept>
#include <type_traits>

namespace dt {

struct SharedMemoryChannel::Header {
  uint64_t nonce;
  int32_t size;
};

// A rank's counters on a cache line of their own, apart from the fields peers read less often.
struct SharedMemoryChannel::RankState {
  alignas(64) std::atomic<uint32_t> phase[2];  // [0]: its input is in place; [1]: its share is reduced
  alignas(64) std::atomic<int32_t> pid;
  std::atomic<uint64_t> pid_namespace;  // a pid means this process only to ranks in the same namespace
  std::atomic<int64_t> passed[7];       // the CollectiveHeader of the step in progress, field by field
  std::atomic<uint32_t> left;           // non-zero once it takes no further part (its group failed or closed)
};

// What one lock-step round is about, for its checks and its messages.
struct SharedMemoryChannel::Step {
  const CollectiveHeader& header;
  const Deadline& deadline;
  const std::atomic<bool>& stop;
  std::string activity[2];  // what a peer is awaited to do in phase 0 and phase 1
  int divisor;              // the sum is divided by it (1: a plain sum)
};

// Atomics shared between processes must not hide a lock inside this process's memory.
static_assert(std::atomic<uint32_t>::is_always_lock_free && std::atomic<int32_t>::is_always_lock_free &&
              std::atomic<uint64_t>::is_always_lock_free && std::atomic<int64_t>::is_always_lock_free);
static_assert(sizeof(CollectiveHeader) == 7 * sizeof(int64_t));

namespace {

constexpr size_t kPage = 4096;
constexpr size_t round_up(size_t n, size_t to) { return (n + to - 1) / to * to; }

// Counters only grow (modulo 2^32); `value` has reached `target` when the difference is not negative.
bool reached(uint32_t value, uint32_t target) { return static_cast<int32_t>(value - target) >= 0; }

uint64_t pid_namespace() {
  struct stat st {};
  return stat("/proc/self/ns/pid", &st) == 0 ? static_cast<uint64_t>(st.st_ino) : 0;
}

// A killed process stays a zombie until its parent reaps it: that is exited too.
bool process_gone(pid_t pid) {
  if (kill(pid, 0) != 0) return errno == ESRCH;
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line)) return false;
  const auto end_of_name = line.rfind(')');
  return end_of_name != std::string::npos && end_of_name + 2 < line.size() &&
         (line[end_of_name + 2] == 'Z' || line[end_of_name + 2] == 'X');
}

inline void cpu_relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  asm volatile("yield");
#endif
}

void futex_wait(std::atomic<uint32_t>& word, uint32_t expected, std::chrono::nanoseconds timeout) {
  const auto s = std::chrono::duration_cast<std::chrono::seconds>(timeout);
  timespec ts{static_cast<time_t>(s.count()), static_cast<long>((timeout - s).count())};
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAIT, expected, &ts, nullptr, 0);
}

void futex_wake_all(std::atomic<uint32_t>& word) {
  syscall(SYS_futex, reinterpret_cast<uint32_t*>(&word), FUTEX_WAKE, INT_MAX, nullptr, nullptr, 0);
}

// Integers wrap on overflow, as Gloo's sums do (signed overflow would be undefined behaviour).
template <typename T>
inline T add(T a, T b) {
  if constexpr (std::is_integral_v<T>) {
    using U = std::make_unsigned_t<T>;
    return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
  } else {
    return a + b;
  }
}

// out = parts[0] + parts[1] + ..., added in rank order so that every rank ends with the same bits,
// then divided by `divisor` unless it is 1 (the same bits as dividing the whole sum afterwards, one
// pass over memory fewer: the share is still in cache).
template <typename T>
void sum_in_rank_order(T* __restrict out, const T* const* parts, int count, size_t n, int divisor) {
  const T* __restrict a = parts[0];
  const T* __restrict b = parts[1];
  for (size_t i = 0; i < n; ++i) out[i] = add(a[i], b[i]);
  for (int k = 2; k < count; ++k) {
    const T* __restrict c = parts[k];
    for (size_t i = 0; i < n; ++i) out[i] = add(out[i], c[i]);
  }
  if (divisor == 1) return;
  const T d = static_cast<T>(divisor);
  for (size_t i = 0; i < n; ++i) out[i] = out[i] / d;
}

// An empty input's data pointer may be null, which memcpy must not see even for 0 bytes.
template <typename T>
void copy(T* to, const T* from, size_t n) {
  if (n != 0) std::memcpy(to, from, n * sizeof(T));
}

}  // namespace

SharedMemoryChannel::Layout::Layout(int ranks) : size(ranks) {
  // Regions of up to 4 MiB, at most ~32 MiB in all (containers' /dev/shm is often only 64 MiB).
  chunk_bytes = std::clamp<size_t>((32u << 20) / (ranks + 1) / kPage * kPage, 256u << 10, 4u << 20);
  data_offset = round_up(sizeof(Header) + sizeof(RankState) * ranks + 64, kPage);
  total_bytes = data_offset + chunk_bytes * (ranks + 1);
}

SharedMemoryChannel::SharedMemoryChannel(SharedSegment segment, int rank, int size)
    : segment_(std::move(segment)), rank_(rank), layout_(size), watched_(size, 0) {}

SharedMemoryChannel SharedMemoryChannel::create(const std::string& name, uint64_t nonce, int size) {
  const Layout layout(size);
  SharedMemoryChannel channel(SharedSegment::create(name, layout.total_bytes), 0, size);
  // The segment starts zeroed: counters at 0, which is also the first sequence number's predecessor.
  channel.header().nonce = nonce;
  channel.header().size = size;
  channel.introduce_self();
  return channel;
}

SharedMemoryChannel SharedMemoryChannel::open(const std::string& name, uint64_t nonce, int rank, int size) {
  const Layout layout(size);
  SharedMemoryChannel channel(SharedSegment::open(name, layout.total_bytes), rank, size);
  if (channel.header().nonce != nonce || channel.header().size != size) {
    throw std::runtime_error("/dev/shm" + name + " is not the segment rank 0 created (another host's /dev/shm?)");
  }
  channel.introduce_self();
  return channel;
}

void SharedMemoryChannel::introduce_self() {
  state(rank_).pid_namespace.store(pid_namespace(), std::memory_order_relaxed);
  state(rank_).pid.store(getpid(), std::memory_order_release);
}

void SharedMemoryChannel::watch_peers() {
  const uint64_t ours = pid_namespace();
  for (int k = 0; k < size(); ++k) {
    const pid_t pid = state(k).pid.load(std::memory_order_acquire);
    const bool same_namespace = ours != 0 && state(k).pid_namespace.load(std::memory_order_relaxed) == ours;
    watched_[k] = k != rank_ && pid > 0 && same_namespace ? pid : 0;
  }
}

SharedMemoryChannel::Header& SharedMemoryChannel::header() const {
  return *reinterpret_cast<Header*>(segment_.data());
}

SharedMemoryChannel::RankState& SharedMemoryChannel::state(int rank) const {
  auto* first = reinterpret_cast<RankState*>(segment_.data() + round_up(sizeof(Header), 64));
  return first[rank];
}

char* SharedMemoryChannel::region(int index) const {
  return segment_.data() + layout_.data_offset + layout_.chunk_bytes * static_cast<size_t>(index);
}

template <typename T>
void SharedMemoryChannel::all_reduce(T* data, size_t count, int divisor, const CollectiveHeader& header,
                                     const Deadline& deadline, const std::atomic<bool>& stop) {
  const Step step{header, deadline, stop, {"put its input in place", "reduce its share"}, divisor};
  const size_t per_chunk = layout_.chunk_bytes / sizeof(T);
  // Even an empty input takes one step, so that every rank's sequence numbers stay in step.
  size_t done = 0;
  do {
    const size_t n = std::min(per_chunk, count - done);
    reduce_chunk(data + done, n, step);
    done += n;
  } while (done < count);
}

template <typename T>
void SharedMemoryChannel::all_reduce_in_slabs(const std::vector<T*>& slabs, size_t count, int divisor,
                                              const CollectiveHeader& header, const Deadline& deadline,
                                              const std::atomic<bool>& stop) {
  const Step step{header, deadline, stop, {"finish writing its buffer", "reduce its share"}, divisor};
  const int ranks = size();
  const uint32_t seq = ++seq_;
  auto& mine = state(rank_);
  publish_header(step.header);
  publish(mine.phase[0], seq);
  wait_for_all(0, seq, step);
  check_peers_agree(step.header);

  // Share k of every slab is written by rank k alone, and only between the two waits: no rank
  // touches its tensor again before every rank has finished writing into it.
  const size_t lo = count * static_cast<size_t>(rank_) / ranks, hi = count * static_cast<size_t>(rank_ + 1) / ranks;
  // Through a block that stays in cache: every output is also an input, which the sum loop's
  // vectorisation must not see.
  constexpr size_t kBlock = (64u << 10) / sizeof(T);
  const std::unique_ptr<T[]> block(new T[std::min(kBlock, hi - lo) + 1]);
  std::vector<const T*> parts(ranks);
  for (size_t b = lo; b < hi; b += kBlock) {
    const size_t n = std::min(kBlock, hi - b);
    for (int k = 0; k < ranks; ++k) parts[k] = slabs[k] + b;
    sum_in_rank_order(block.get(), parts.data(), ranks, n, step.divisor);
    for (int k = 0; k < ranks; ++k) copy(slabs[k] + b, block.get(), n);
  }
  publish(mine.phase[1], seq);
  wait_for_all(1, seq, step);
}

void SharedMemoryChannel::agree(const CollectiveHeader& header, const Deadline& deadline, const std::atomic<bool>& stop) {
  const std::string kind = name_of(static_cast<CollectiveKind>(header.kind));
  const Step step{header, deadline, stop, {"reach this " + kind, "finish checking this " + kind}, 1};
  reduce_chunk<uint8_t>(nullptr, 0, step);
}

// Phase 0: copy the input into our region and say so. Phase 1: once every rank's input is in place,
// sum our share of the elements into the result region (our own input read from `data`), copy it
// back and say so. Then copy the other ranks' shares of the result. A rank's region is rewritten
// only after it has seen every rank finish phase 1, so no rank still reads it; the result region
// is rewritten only after every rank has finished phase 0 of the next step, so all have copied it.
template <typename T>
void SharedMemoryChannel::reduce_chunk(T* data, size_t n, const Step& step) {
  const int ranks = size();
  const uint32_t seq = ++seq_;
  auto& mine = state(rank_);
  auto share_begin = [&](int k) { return n * static_cast<size_t>(k) / ranks; };

  copy(reinterpret_cast<T*>(region(rank_)), data, n);
  publish_header(step.header);
  publish(mine.phase[0], seq);
  wait_for_all(0, seq, step);
  check_peers_agree(step.header);

  std::vector<const T*> parts(ranks);
  const size_t lo = share_begin(rank_), hi = share_begin(rank_ + 1);
  for (int k = 0; k < ranks; ++k) parts[k] = (k == rank_ ? data : reinterpret_cast<const T*>(region(k))) + lo;
  T* result = reinterpret_cast<T*>(region(ranks));
  sum_in_rank_order(result + lo, parts.data(), ranks, hi - lo, step.divisor);
  copy(data + lo, result + lo, hi - lo);
  publish(mine.phase[1], seq);
  wait_for_all(1, seq, step);

  for (int k = 0; k < ranks; ++k) {
    if (k == rank_) continue;
    const size_t b = share_begin(k), e = share_begin(k + 1);
    copy(data + b, result + b, e - b);
  }
}

void SharedMemoryChannel::publish_header(const CollectiveHeader& header) {
  const int64_t fields[7] = {header.kind, header.sequence, header.count, header.dtype, header.op, header.root, header.shared};
  // Relaxed: the release store of the phase counter that follows publishes them.
  for (int i = 0; i < 7; ++i) state(rank_).passed[i].store(fields[i], std::memory_order_relaxed);
}

// A peer that passed another collective or another size would pair the wrong elements from here on:
// every rank checks every other, so all of them fail on this step, saying which rank differs.
void SharedMemoryChannel::check_peers_agree(const CollectiveHeader& mine) const {
  for (int k = 0; k < size(); ++k) {
    const auto& p = state(k).passed;
    CollectiveHeader theirs;
    theirs.kind = p[0].load(std::memory_order_relaxed);
    theirs.sequence = p[1].load(std::memory_order_relaxed);
    theirs.count = p[2].load(std::memory_order_relaxed);
    theirs.dtype = p[3].load(std::memory_order_relaxed);
    theirs.op = p[4].load(std::memory_order_relaxed);
    theirs.root = p[5].load(std::memory_order_relaxed);
    theirs.shared = p[6].load(std::memory_order_relaxed);
    check_agreement(theirs, k, mine, rank_);
  }
}

void SharedMemoryChannel::leave() {
  state(rank_).left.store(1, std::memory_order_release);
  // Peers wait on our counters; this rank's own wait (if any) on theirs.
  for (int k = 0; k < size(); ++k) {
    futex_wake_all(state(k).phase[0]);
    futex_wake_all(state(k).phase[1]);
  }
}

void SharedMemoryChannel::publish(std::atomic<uint32_t>& counter, uint32_t value) {
  counter.store(value, std::memory_order_release);
  futex_wake_all(counter);
}

void SharedMemoryChannel::wait_for_all(int phase, uint32_t seq, const Step& step) {
  for (int k = 0; k < size(); ++k) {
    if (k != rank_) wait_for(k, phase, seq, step);
  }
}

void SharedMemoryChannel::wait_for(int peer, int phase, uint32_t seq, const Step& step) {
  auto& counter = state(peer).phase[phase];
  // A peer usually arrives within microseconds: poll briefly before sleeping in the kernel.
  const auto spin_until = Clock::now() + std::chrono::microseconds(20);
  while (Clock::now() < spin_until) {
    if (reached(counter.load(std::memory_order_acquire), seq)) return;
    cpu_relax();
  }
  const auto& activity = step.activity[phase];
  auto next_liveness_check = Clock::now() + std::chrono::milliseconds(100);
  for (;;) {
    const uint32_t seen = counter.load(std::memory_order_acquire);
    if (reached(seen, seq)) return;
    const auto now = Clock::now();
    if (step.stop.load(std::memory_order_relaxed)) {
      throw Failure(DT_WORK_FAILED, "the process group was freed while its shared-memory all_reduce waited for rank " +
                                        std::to_string(peer) + " to " + activity);
    }
    if (state(peer).left.load(std::memory_order_acquire) != 0) {
      throw Failure(DT_WORK_PEER_LOST, "rank " + std::to_string(peer) +
                                           " left the shared-memory all_reduce (its process group failed or was "
                                           "closed) while this rank waited for it to " + activity);
    }
    if (now >= next_liveness_check) {
      if (exited(peer)) {
        throw Failure(DT_WORK_PEER_LOST, "rank " + std::to_string(peer) + " (pid " + std::to_string(watched_[peer]) +
                                             ") exited while this rank waited for it to " + activity +
                                             " in the shared-memory all_reduce");
      }
      next_liveness_check = now + std::chrono::milliseconds(100);
    }
    if (now >= step.deadline.at) {
      const std::string kind = name_of(static_cast<CollectiveKind>(step.header.kind));
      throw Failure(DT_WORK_TIMED_OUT, "the shared-memory all_reduce timed out after " +
                                           std::to_string(step.deadline.timeout_ms) + " ms waiting for rank " +
                                           std::to_string(peer) + " to " + activity + " (it never reached this " +
                                           kind + ", or is stuck)");
    }
    futex_wait(counter, seen, std::min<Clock::duration>(step.deadline.at - now, std::chrono::milliseconds(50)));
  }
}

bool SharedMemoryChannel::exited(int peer) const {
  return watched_[peer] > 0 && process_gone(watched_[peer]);
}

template void SharedMemoryChannel::all_reduce_in_slabs<float>(const std::vector<float*>&, size_t, int,
                                                              const CollectiveHeader&, const Deadline&,
                                                              const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce_in_slabs<double>(const std::vector<double*>&, size_t, int,
                                                               const CollectiveHeader&, const Deadline&,
                                                               const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce_in_slabs<int32_t>(const std::vector<int32_t*>&, size_t, int,
                                                                const CollectiveHeader&, const Deadline&,
                                                                const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce_in_slabs<int64_t>(const std::vector<int64_t*>&, size_t, int,
                                                                const CollectiveHeader&, const Deadline&,
                                                                const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce<float>(float*, size_t, int, const CollectiveHeader&, const Deadline&,
                                                     const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce<double>(double*, size_t, int, const CollectiveHeader&, const Deadline&,
                                                     const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce<int32_t>(int32_t*, size_t, int, const CollectiveHeader&, const Deadline&,
                                                     const std::atomic<bool>&);
template void SharedMemoryChannel::all_reduce<int64_t>(int64_t*, size_t, int, const CollectiveHeader&, const Deadline&,
                                                     const std::atomic<bool>&);

}  // namespace dt
