// All-reduce (sum) through shared memory among ranks that run on one host. Gloo moves every
// gradient through loopback TCP and the kernel; here each rank copies its tensor into a shared
// segment once, reduces its share of the elements from every rank's copy, and copies the others'
// shares back: a few passes over memory instead of several round trips through sockets.
#pragma once
#include "shared_memory_channel.h"

#include <ATen/ATen.h>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace dt {

class LocalAllReduce {
 public:
  using Clock = std::chrono::steady_clock;

  // Sets up the channel through the group's store. Every rank gets the same answer: a channel when
  // all ranks mapped one segment (same host, same /dev/shm), otherwise null (and Gloo does the work)
  // with `why_not` saying which rank could not and why. `enabled` false on any rank turns it off for
  // all. Blocks at most the store's timeout.
  static std::unique_ptr<LocalAllReduce> connect(c10d::Store& store, int rank, int size, bool enabled, std::string& why_not);

  // Whether this channel can reduce `tensor`: a CPU tensor of float32/64 or int32/64 (the choice must
  // not depend on anything that may differ between ranks, such as contiguity).
  static bool handles(const at::Tensor& tensor);

  LocalAllReduce(const LocalAllReduce&) = delete;
  LocalAllReduce& operator=(const LocalAllReduce&) = delete;
  ~LocalAllReduce();

  // Queues a sum over all ranks into `tensor` (contiguous), done on this channel's thread in queue
  // order. The work fails if a peer exits or leaves, if the deadline passes, if the ranks passed
  // tensors of different sizes or dtypes, or if an earlier all-reduce failed.
  c10::intrusive_ptr<c10d::Work> all_reduce_sum(const at::Tensor& tensor, std::chrono::milliseconds timeout);

 private:
  struct Job;

  explicit LocalAllReduce(std::unique_ptr<SharedMemoryChannel> channel);
  void run();

  std::unique_ptr<SharedMemoryChannel> channel_;
  std::mutex mutex_;
  std::condition_variable queued_;
  std::deque<Job> jobs_;
  std::atomic<bool> stop_{false};  // set once, under mutex_; also read by the channel while it waits for peers
  std::string broken_;  // why an earlier all-reduce failed: the ranks are out of step from then on
  std::thread worker_;
};

}  // namespace dt
