#include "local_all_reduce.h"

#include <pthread.h>

#include <stdexcept>

namespace dt {
namespace {

std::string message_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const std::exception& e) {
    return e.what();
  } catch (...) {
    return "an unknown error";
  }
}

// c10d's Work with its (protected) completion exposed to the channel's thread.
class LocalWork : public c10d::Work {
 public:
  void complete(std::exception_ptr error) { finish(std::move(error)); }
};

}  // namespace

struct LocalAllReduce::Job {
  at::Tensor tensor;
  Clock::time_point deadline;
  c10::intrusive_ptr<LocalWork> work;
};

LocalAllReduce::LocalAllReduce(std::unique_ptr<SharedMemoryChannel> channel)
    : channel_(std::move(channel)), worker_([this] { run(); }) {}

LocalAllReduce::~LocalAllReduce() {
  {
    std::lock_guard<std::mutex> lock(mutex_);  // so that the worker cannot miss the notification
    stop_.store(true);
  }
  queued_.notify_all();
  worker_.join();
  channel_->leave();
}

bool LocalAllReduce::handles(const at::Tensor& tensor) {
  const auto type = tensor.scalar_type();
  return tensor.device().is_cpu() && tensor.layout() == at::kStrided &&
         (type == at::kFloat || type == at::kDouble || type == at::kInt || type == at::kLong);
}

c10::intrusive_ptr<c10d::Work> LocalAllReduce::all_reduce_sum(const at::Tensor& tensor, std::chrono::milliseconds timeout) {
  TORCH_CHECK(handles(tensor) && tensor.is_contiguous(),
              "the shared-memory all_reduce takes contiguous CPU float/double/int/long tensors (got ",
              tensor.scalar_type(), " on ", tensor.device(), tensor.is_contiguous() ? ")" : ", not contiguous)");
  // A century stands for "no timeout" (TimeSpan.MaxValue would overflow the clock's nanoseconds).
  const auto deadline = Clock::now() + std::min<std::chrono::milliseconds>(timeout, std::chrono::hours(24 * 365 * 100));
  auto work = c10::make_intrusive<LocalWork>();
  {
    std::lock_guard<std::mutex> lock(mutex_);
    jobs_.push_back(Job{tensor, deadline, work});
  }
  queued_.notify_one();
  return work;
}

void LocalAllReduce::run() {
  pthread_setname_np(pthread_self(), "dt-local-allred");
  for (;;) {
    Job job;
    bool stopping;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      queued_.wait(lock, [this] { return stop_.load() || !jobs_.empty(); });
      if (jobs_.empty()) return;
      job = std::move(jobs_.front());
      jobs_.pop_front();
      stopping = stop_.load();
    }
    if (stopping) {
      job.work->complete(std::make_exception_ptr(std::runtime_error("the process group was destroyed before this all_reduce ran")));
      continue;
    }
    if (!broken_.empty()) {
      job.work->complete(std::make_exception_ptr(std::runtime_error(
          "an earlier shared-memory all_reduce failed (" + broken_ + "); the ranks are out of step, so the group cannot be used after it")));
      continue;
    }
    std::exception_ptr failure;
    try {
      auto& t = job.tensor;
      const auto n = static_cast<size_t>(t.numel());
      switch (t.scalar_type()) {
        case at::kFloat: channel_->all_reduce_sum(t.data_ptr<float>(), n, job.deadline, stop_); break;
        case at::kDouble: channel_->all_reduce_sum(t.data_ptr<double>(), n, job.deadline, stop_); break;
        case at::kInt: channel_->all_reduce_sum(t.data_ptr<int32_t>(), n, job.deadline, stop_); break;
        default: channel_->all_reduce_sum(t.data_ptr<int64_t>(), n, job.deadline, stop_); break;
      }
      job.work->complete(nullptr);
      continue;
    } catch (...) {
      failure = std::current_exception();
    }
    broken_ = message_of(failure);
    channel_->leave();
    job.work->complete(failure);
  }
}

}  // namespace dt
