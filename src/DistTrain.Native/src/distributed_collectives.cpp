// Collectives on a process group, and the work handles that wait for them.
#include "distributed.h"

#include <torch/csrc/distributed/c10d/Types.hpp>

namespace {

enum class Op : int32_t { Sum = 0, Avg = 1, Product = 2, Min = 3, Max = 4 };

c10d::ReduceOp reduce_op(int32_t op) {
  switch (static_cast<Op>(op)) {
    case Op::Sum: return c10d::ReduceOp::SUM;
    case Op::Avg: return c10d::ReduceOp::SUM;  // divided by the size when the work completes
    case Op::Product: return c10d::ReduceOp::PRODUCT;
    case Op::Min: return c10d::ReduceOp::MIN;
    case Op::Max: return c10d::ReduceOp::MAX;
  }
  TORCH_CHECK(false, "unknown reduce op ", op, " (0 = sum, 1 = avg, 2 = product, 3 = min, 4 = max)");
}

std::chrono::milliseconds timeout_of(const dt::DtProcessGroup& g, int64_t timeout_ms) {
  return timeout_ms < 0 ? g.timeout : dt::millis(timeout_ms);
}

std::function<void()> average_after(const at::Tensor& t, int32_t op, int size) {
  if (static_cast<Op>(op) != Op::Avg) return nullptr;
  TORCH_CHECK(at::isFloatingType(t.scalar_type()) || at::isComplexType(t.scalar_type()),
              "avg needs a floating-point tensor (got ", t.scalar_type(), ")");
  return [t, size]() mutable { t.div_(size); };
}

// Backends reduce and copy a tensor's memory as it lies (Gloo gives a transposed view wrong sums):
// a strided view that is not contiguous goes to the backend as a contiguous copy, written back into
// the view when the work completes (before `finish`, which the write-back then runs).
at::Tensor contiguous_for_backend(const at::Tensor& t, std::function<void()>& finish) {
  if (t.layout() != at::kStrided || t.is_contiguous()) return t;
  auto packed = t.contiguous();
  finish = [t, packed, then = std::move(finish)]() mutable {
    t.copy_(packed);
    if (then) then();
  };
  return packed;
}

dt_work wrap_work(c10::intrusive_ptr<c10d::Work> work, std::function<void()> finish = nullptr) {
  return new dt::DtWork{std::move(work), std::move(finish)};
}

std::vector<at::Tensor> tensors(const dt_tensor* handles, int32_t count) {
  std::vector<at::Tensor> out;
  out.reserve(count);
  for (int32_t i = 0; i < count; ++i) out.push_back(dt::unwrap(handles[i]));
  return out;
}

void check_count(const dt::DtProcessGroup& g, int32_t count, const char* what) {
  TORCH_CHECK(count == g.size, what, " takes one tensor per rank: ", g.size, " (got ", count, ")");
}

}  // namespace

extern "C" {

dt_work dt_all_reduce(dt_process_group pg, dt_tensor tensor, int32_t op, int64_t timeout_ms) {
  DT_TRY
  auto& g = dt::unwrap_group(pg);
  const auto& t = dt::unwrap(tensor);
  auto finish = average_after(t, op, g.size);
  std::vector<at::Tensor> list{contiguous_for_backend(t, finish)};
  const auto kind = static_cast<Op>(op);
  if (g.local && (kind == Op::Sum || kind == Op::Avg) && dt::LocalAllReduce::handles(list[0])) {
    return wrap_work(g.local->all_reduce_sum(list[0], timeout_of(g, timeout_ms)), std::move(finish));
  }
  c10d::AllreduceOptions options;
  options.reduceOp = reduce_op(op);
  options.timeout = timeout_of(g, timeout_ms);
  return wrap_work(g.backend->allreduce(list, options), std::move(finish));
  DT_CATCH(nullptr)
}

dt_work dt_broadcast(dt_process_group pg, dt_tensor tensor, int32_t root, int64_t timeout_ms) {
  DT_TRY
  auto& g = dt::unwrap_group(pg);
  TORCH_CHECK(root >= 0 && root < g.size, "the broadcast root must be in [0, ", g.size, ") (got ", root, ")");
  std::function<void()> finish;
  std::vector<at::Tensor> list{contiguous_for_backend(dt::unwrap(tensor), finish)};
  c10d::BroadcastOptions options;
  options.rootRank = root;
  options.timeout = timeout_of(g, timeout_ms);
  return wrap_work(g.backend->broadcast(list, options), std::move(finish));
  DT_CATCH(nullptr)
}

dt_work dt_all_gather(dt_process_group pg, const dt_tensor* outputs, int32_t count, dt_tensor input, int64_t timeout_ms) {
  DT_TRY
  auto& g = dt::unwrap_group(pg);
  check_count(g, count, "all_gather");
  std::function<void()> finish;
  std::vector<std::vector<at::Tensor>> out{tensors(outputs, count)};
  for (auto& o : out[0]) o = contiguous_for_backend(o, finish);
  std::vector<at::Tensor> in{dt::unwrap(input).contiguous()};
  c10d::AllgatherOptions options;
  options.timeout = timeout_of(g, timeout_ms);
  return wrap_work(g.backend->allgather(out, in, options), std::move(finish));
  DT_CATCH(nullptr)
}

dt_work dt_reduce_scatter(dt_process_group pg, dt_tensor output, const dt_tensor* inputs, int32_t count, int32_t op,
                          int64_t timeout_ms) {
  DT_TRY
  auto& g = dt::unwrap_group(pg);
  check_count(g, count, "reduce_scatter");
  auto out = dt::unwrap(output);
  auto in = tensors(inputs, count);
  for (const auto& t : in) {
    TORCH_CHECK(t.sizes() == out.sizes(), "reduce_scatter inputs must be shaped like the output ", out.sizes(),
                " (got ", t.sizes(), ")");
  }
  auto average = average_after(out, op, g.size);
  if (g.kind == dt::BackendKind::Gloo) {
    // Gloo has no reduce_scatter in libtorch 1.13: all-reduce every rank's inputs stacked, keep ours.
    std::vector<at::Tensor> list{at::stack(in)};
    c10d::AllreduceOptions options;
    options.reduceOp = reduce_op(op);
    options.timeout = timeout_of(g, timeout_ms);
    auto work = g.backend->allreduce(list, options);
    const int rank = g.rank;
    auto stacked = list[0];
    return wrap_work(std::move(work), [out, stacked, rank, average]() mutable {
      out.copy_(stacked[rank]);
      if (average) average();
    });
  }
  std::vector<at::Tensor> outs{out};
  std::vector<std::vector<at::Tensor>> ins{in};
  c10d::ReduceScatterOptions options;
  options.reduceOp = reduce_op(op);
  options.timeout = timeout_of(g, timeout_ms);
  return wrap_work(g.backend->reduce_scatter(outs, ins, options), std::move(average));
  DT_CATCH(nullptr)
}

dt_work dt_barrier(dt_process_group pg, int64_t timeout_ms) {
  DT_TRY
  auto& g = dt::unwrap_group(pg);
  c10d::BarrierOptions options;
  options.timeout = timeout_of(g, timeout_ms);
  return wrap_work(g.backend->barrier(options));
  DT_CATCH(nullptr)
}

int32_t dt_work_wait(dt_work work, int64_t timeout_ms) {
  auto& w = *static_cast<dt::DtWork*>(work);
  DT_TRY
  try {
    // Work::wait takes 0 (kNoTimeout, whose namespace differs between releases) as "no timeout".
    w.work->wait(timeout_ms < 0 ? std::chrono::milliseconds(0) : dt::millis(std::max<int64_t>(timeout_ms, 1)));
  } catch (...) {
    if (!w.work->isCompleted()) {
      dt::set_last_error("the collective did not complete within the wait's timeout");
      return 1;
    }
    // It may have completed just after the wait gave up: report its own outcome, not the timeout.
    w.work->wait(std::chrono::milliseconds(0));
  }
  if (!w.finished) {
    w.finished = true;
    if (w.finish) w.finish();
  }
  return 0;
  DT_CATCH(-1)
}

int32_t dt_work_is_completed(dt_work work) {
  DT_TRY return static_cast<dt::DtWork*>(work)->work->isCompleted() ? 1 : 0;
  DT_CATCH(-1)
}

void dt_work_free(dt_work work) { delete static_cast<dt::DtWork*>(work); }

}  // extern "C"
