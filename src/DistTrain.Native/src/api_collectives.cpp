// The C entry points for collectives: check the arguments, describe the collective, queue it.
#include <limits>
#include <stdexcept>

#include "errors.h"
#include "group_handles.h"
#include "shared_buffers.h"
#include "work_handles.h"

namespace {

using dt::Collective;
using dt::CollectiveKind;

// Bytes of `count` elements of `type` times `blocks`; checks the count and the pointer.
size_t checked_bytes(const char* collective, const char* what, const void* pointer, int64_t count,
                     dt::ElementType type, int blocks = 1) {
  if (count < 0) {
    throw std::invalid_argument(std::string(collective) + ": count must not be negative (got " + std::to_string(count) + ")");
  }
  const auto limit = std::numeric_limits<int64_t>::max() / static_cast<int64_t>(dt::element_size(type)) / blocks;
  if (count > limit) throw std::invalid_argument(std::string(collective) + ": count " + std::to_string(count) + " is too large");
  if (pointer == nullptr && count > 0) {
    throw std::invalid_argument(std::string(collective) + ": " + what + " is NULL but count is " + std::to_string(count));
  }
  return static_cast<size_t>(count) * dt::element_size(type) * static_cast<size_t>(blocks);
}

// all_gather's input must not overlap its output, except exactly in place (this rank's own block).
void check_no_overlap(const char* collective, const void* input, size_t input_bytes, const void* output,
                      size_t output_bytes, const void* in_place) {
  if (input_bytes == 0 || output_bytes == 0 || input == in_place) return;
  const auto* i = static_cast<const char*>(input);
  const auto* o = static_cast<const char*>(output);
  if (i < o + output_bytes && o < i + input_bytes) {
    throw std::invalid_argument(std::string(collective) + ": the input overlaps the output");
  }
}

Collective describe(CollectiveKind kind, int64_t count, int64_t dtype, int64_t op, int64_t root) {
  Collective c;
  c.header.kind = static_cast<int64_t>(kind);
  c.header.count = count;
  c.header.dtype = dtype;
  c.header.op = op;
  c.header.root = root;
  return c;
}

dt_work submit(const std::shared_ptr<dt::Group>& group, Collective c, int64_t timeout_ms) {
  c.deadline = dt::Deadline::after(timeout_ms < 0 ? group->timeout_ms() : timeout_ms);
  return dt::wrap_work(group->submit(std::move(c)), group);
}

}  // namespace

extern "C" {

dt_work dt_all_reduce(dt_group handle, void* data, int64_t count, int32_t dtype, int32_t op, int64_t timeout_ms) {
  DT_TRY
  auto group = dt::find_group(handle);
  const auto type = dt::element_type(dtype);
  const auto reduce = dt::reduce_op(op);
  dt::check_op_for_type(reduce, type);
  const auto bytes = checked_bytes("all_reduce", "data", data, count, type);
  auto c = describe(CollectiveKind::AllReduce, count, dtype, op, -1);
  c.header.shared = dt::shared_slot(group->shared_buffer_owner(), data, bytes, dt::element_size(type));
  c.type = type;
  c.op = reduce;
  c.data = data;
  return submit(group, std::move(c), timeout_ms);
  DT_CATCH(nullptr)
}

dt_work dt_broadcast(dt_group handle, void* data, int64_t count, int32_t dtype, int32_t root, int64_t timeout_ms) {
  DT_TRY
  auto group = dt::find_group(handle);
  const auto type = dt::element_type(dtype);
  checked_bytes("broadcast", "data", data, count, type);
  if (root < 0 || root >= group->size()) {
    throw std::invalid_argument("broadcast: the root must be in [0, " + std::to_string(group->size()) + ") (got " +
                                std::to_string(root) + ")");
  }
  auto c = describe(CollectiveKind::Broadcast, count, dtype, -1, root);
  c.type = type;
  c.data = data;
  return submit(group, std::move(c), timeout_ms);
  DT_CATCH(nullptr)
}

dt_work dt_all_gather(dt_group handle, const void* input, void* output, int64_t count, int32_t dtype,
                      int64_t timeout_ms) {
  DT_TRY
  auto group = dt::find_group(handle);
  const auto type = dt::element_type(dtype);
  const auto in_bytes = checked_bytes("all_gather", "input", input, count, type);
  const auto out_bytes = checked_bytes("all_gather", "output", output, count, type, group->size());
  check_no_overlap("all_gather", input, in_bytes, output, out_bytes,
                   static_cast<const char*>(output) + in_bytes * static_cast<size_t>(group->rank()));
  auto c = describe(CollectiveKind::AllGather, count, dtype, -1, -1);
  c.type = type;
  c.input = input;
  c.data = output;
  return submit(group, std::move(c), timeout_ms);
  DT_CATCH(nullptr)
}

dt_work dt_reduce_scatter(dt_group handle, const void* input, void* output, int64_t count, int32_t dtype, int32_t op,
                          int64_t timeout_ms) {
  DT_TRY
  auto group = dt::find_group(handle);
  const auto type = dt::element_type(dtype);
  const auto reduce = dt::reduce_op(op);
  dt::check_op_for_type(reduce, type);
  // The input is copied before anything is written: the output may lie inside it.
  checked_bytes("reduce_scatter", "input", input, count, type, group->size());
  checked_bytes("reduce_scatter", "output", output, count, type);
  auto c = describe(CollectiveKind::ReduceScatter, count, dtype, op, -1);
  c.type = type;
  c.op = reduce;
  c.input = input;
  c.data = output;
  return submit(group, std::move(c), timeout_ms);
  DT_CATCH(nullptr)
}

dt_work dt_barrier(dt_group handle, int64_t timeout_ms) {
  DT_TRY
  auto group = dt::find_group(handle);
  return submit(group, describe(CollectiveKind::Barrier, 0, -1, -1, -1), timeout_ms);
  DT_CATCH(nullptr)
}

}  // extern "C"
