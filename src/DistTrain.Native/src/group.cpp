#include "group.h"

#include <pthread.h>

#include <chrono>

#include "errors.h"
#include "sigpipe.h"

namespace dt {
namespace {

// How long close() waits for the worker after aborting its collective. Abort wakes every Gloo and
// shared-memory wait within milliseconds; only a send that Gloo had already queued on a socket that
// a silent peer does not drain escapes it and would last until its own timeout.
constexpr auto kWorkerStopTimeout = std::chrono::seconds(5);

}  // namespace

Group::Group(int rank, int size, int64_t timeout_ms, std::unique_ptr<GlooMesh> mesh,
             std::unique_ptr<LocalAllReduce> local, std::string local_status)
    : rank_(rank),
      size_(size),
      timeout_ms_(timeout_ms),
      mesh_(std::move(mesh)),
      local_(std::move(local)),
      local_status_(std::move(local_status)) {
  start();
}

Group::~Group() {
  try {
    if (worker_.joinable()) close();
  } catch (...) {
  }
}

void Group::start() {
  worker_ = std::thread([this] { run(); });
}

std::shared_ptr<Work> Group::submit(Collective c) {
  auto work = std::make_shared<Work>();
  c.work = work;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_) throw std::runtime_error("the process group was freed");
    c.header.sequence = next_sequence_++;
    queue_.push_back(std::move(c));
  }
  changed_.notify_all();
  return work;
}

void Group::run() {
  pthread_setname_np(pthread_self(), "dt-group");
  block_sigpipe_on_this_thread();
  const Transports transports{rank_, size_, mesh_.get(), local_.get(), stop_};
  try {
    for (;;) {
      Collective c;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return closed_ || (!queue_.empty() && !running_); });
        if (closed_) break;  // close() fails what is queued
        c = std::move(queue_.front());
        queue_.pop_front();
        running_ = true;
      }
      execute(transports, c);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        running_ = false;
      }
      changed_.notify_all();
    }
  } catch (...) {
    // Only allocation or a broken mutex can get here; the worker then just stops (close() fails the rest).
  }
  std::lock_guard<std::mutex> lock(mutex_);
  worker_exited_ = true;
  changed_.notify_all();
}

bool Group::run_if_next(const std::shared_ptr<Work>& work) {
  Collective c;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (closed_ || running_ || queue_.empty() || queue_.front().work != work || !runs_without_gloo(queue_.front())) {
      return false;
    }
    c = std::move(queue_.front());
    queue_.pop_front();
    running_ = true;
  }
  execute(Transports{rank_, size_, mesh_.get(), local_.get(), stop_}, c);
  {
    std::lock_guard<std::mutex> lock(mutex_);
    running_ = false;
  }
  changed_.notify_all();
  return true;
}

// Gloo's sockets expect the worker (it blocks SIGPIPE, and Gloo's waits are aborted from close()),
// so only what never touches them may run on a caller's thread.
bool Group::runs_without_gloo(const Collective& c) const {
  if (size_ == 1) return true;
  if (local_ == nullptr) return false;
  return c.kind() == CollectiveKind::Barrier || c.kind() == CollectiveKind::CreateSharedBuffer ||
         (c.kind() == CollectiveKind::AllReduce && LocalAllReduce::handles(c.type, c.op));
}

void Group::execute(const Transports& transports, const Collective& c) {
  int32_t status = DT_WORK_DONE;
  std::string message;
  try {
    if (!broken_.empty()) {
      status = DT_WORK_BROKEN;
      message = "an earlier collective of this group failed (" + broken_ +
                "); the ranks are out of step, so the group cannot be used after it";
    } else {
      run_collective(transports, c);
    }
  } catch (const Failure& f) {
    status = f.status();
    message = f.what();
  } catch (const std::exception& e) {
    status = DT_WORK_FAILED;
    message = e.what();
  } catch (...) {
    status = DT_WORK_FAILED;
    message = "an unknown error";
  }
  if (status != DT_WORK_DONE && status != DT_WORK_BROKEN) break_group(c, status, message);
  c.work->complete(status, message);
}

// Before the work completes, so that a caller who sees the failure and issues again gets
// DT_WORK_BROKEN. Peers that wait for this rank are told at once, except after a mismatch: every
// rank found that one itself, and a closed connection might cut off a header still in flight.
void Group::break_group(const Collective& c, int32_t status, const std::string& message) {
  broken_ = std::string(name_of(c.kind())) + " #" + std::to_string(c.header.sequence) + ": " + message;
  if (local_) local_->leave();
  if (mesh_ && status != DT_WORK_MISMATCH) mesh_->abort("rank " + std::to_string(rank_) + "'s process group failed");
}

bool Group::close() {
  std::deque<Collective> queued;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closed_) {
      closed_ = true;
      stop_.store(true);
      queued.swap(queue_);
    }
  }
  changed_.notify_all();
  if (local_) local_->leave();
  if (mesh_) mesh_->abort(GlooMesh::kFreedMessage);
  for (auto& c : queued) {
    c.work->complete(DT_WORK_FAILED, std::string("the process group was freed before this ") + name_of(c.kind()) + " ran");
  }
  if (!worker_.joinable()) return true;
  bool exited;
  {
    std::unique_lock<std::mutex> lock(mutex_);
    exited = changed_.wait_for(lock, kWorkerStopTimeout, [this] { return worker_exited_; });
  }
  if (exited) {
    worker_.join();
  } else {
    worker_.detach();
  }
  return exited;
}

}  // namespace dt
