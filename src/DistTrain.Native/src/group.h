// A process group: the Gloo mesh, the optional shared-memory channel, and ONE worker thread that
// runs the group's collectives in the order they were issued. A caller that waits for the next
// collective in line may run it itself instead (run_if_next), which saves two thread hand-offs per
// synchronous call; either way one collective runs at a time, in order. After any failure the
// ranks are out of step, so every later collective fails at once (DT_WORK_BROKEN) saying which one
// failed first.
#pragma once
#include <atomic>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "collective.h"
#include "disttrain_native.h"
#include "gloo_mesh.h"
#include "local_all_reduce.h"

namespace dt {

class Group {
 public:
  // Connects this rank with the others through the store (group_setup.cpp). Blocks until all
  // `size` ranks have joined, each store read at most options.store_timeout_ms.
  static std::shared_ptr<Group> create(int64_t store_id, int rank, int size, const dt_group_options& options);

  Group(int rank, int size, int64_t timeout_ms, std::unique_ptr<GlooMesh> mesh, std::unique_ptr<LocalAllReduce> local,
        std::string local_status);
  ~Group();
  Group(const Group&) = delete;
  Group& operator=(const Group&) = delete;

  int rank() const { return rank_; }
  int size() const { return size_; }
  int64_t timeout_ms() const { return timeout_ms_; }
  bool uses_local_all_reduce() const { return local_ != nullptr; }
  const std::string& local_all_reduce_status() const { return local_status_; }
  // What shared buffers of this group are registered under (shared_buffers.h); null without shared memory.
  const void* shared_buffer_owner() const { return local_.get(); }

  // Queues `c` (its sequence number set here) and returns its work. Throws once the group is closed.
  std::shared_ptr<Work> submit(Collective c);

  // When `work` is the next collective in line, nothing runs and it needs no Gloo (a group of one,
  // or a collective the shared-memory channel carries alone), runs it on the calling thread and
  // returns true. Otherwise returns false at once and the worker runs it.
  bool run_if_next(const std::shared_ptr<Work>& work);

  // Leaves the shared-memory channel and aborts the Gloo connections (peers that wait for this rank
  // fail at once), fails the queued collectives and stops the worker. Returns false when the worker
  // did not stop in time (a Gloo wait that abort cannot reach): it is then detached, and the group
  // must be leaked, since the worker still uses it.
  bool close();

 private:
  void start();
  void run();
  bool runs_without_gloo(const Collective& c) const;
  void execute(const Transports& transports, const Collective& c);
  void break_group(const Collective& c, int32_t status, const std::string& message);

  const int rank_;
  const int size_;
  const int64_t timeout_ms_;
  std::unique_ptr<GlooMesh> mesh_;
  std::unique_ptr<LocalAllReduce> local_;
  const std::string local_status_;

  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Collective> queue_;
  int64_t next_sequence_ = 0;
  bool closed_ = false;
  bool worker_exited_ = false;
  bool running_ = false;  // a collective runs, on the worker or on a caller (run_if_next)
  std::atomic<bool> stop_{false};  // set once, under mutex_; read by the shared-memory waits
  std::string broken_;             // the first failure, once there was one (whoever runs collectives)
  std::thread worker_;
};

}  // namespace dt
