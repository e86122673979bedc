#include "gloo_collectives.h"

#include <gloo/allgather.h>
#include <gloo/allreduce.h>
#include <gloo/broadcast.h>

#include "reduce.h"

namespace dt {
namespace {

// Gloo cuts buffers into segments by its element size; only the size matters to it, the reduce
// function knows the type.
template <typename Unit>
void all_reduce_as(const GlooContext& context, void* data, size_t count, ReduceFunction reduce, uint32_t tag,
                   std::chrono::milliseconds timeout) {
  gloo::AllreduceOptions options(context);
  options.setOutput(static_cast<Unit*>(data), count);
  options.setReduceFunction([reduce](void* out, const void* a, const void* b, size_t n) { reduce(out, a, b, n); });
  options.setTag(tag);
  options.setTimeout(timeout);
  gloo::allreduce(options);
}

}  // namespace

void gloo_all_reduce(const GlooContext& context, void* data, size_t count, ElementType type, ReduceOp op,
                     uint32_t tag, std::chrono::milliseconds timeout) {
  const auto reduce = reduce_function(type, op);
  switch (element_size(type)) {
    case 1: return all_reduce_as<uint8_t>(context, data, count, reduce, tag, timeout);
    case 2: return all_reduce_as<uint16_t>(context, data, count, reduce, tag, timeout);
    case 4: return all_reduce_as<uint32_t>(context, data, count, reduce, tag, timeout);
    default: return all_reduce_as<uint64_t>(context, data, count, reduce, tag, timeout);
  }
}

void gloo_broadcast(const GlooContext& context, void* data, size_t bytes, int root, uint32_t tag,
                    std::chrono::milliseconds timeout) {
  gloo::BroadcastOptions options(context);
  options.setOutput(static_cast<uint8_t*>(data), bytes);
  options.setRoot(root);
  options.setTag(tag);
  options.setTimeout(timeout);
  gloo::broadcast(options);
}

void gloo_all_gather(const GlooContext& context, const void* input, void* output, size_t bytes, uint32_t tag,
                     std::chrono::milliseconds timeout) {
  gloo::AllgatherOptions options(context);
  auto* out = static_cast<uint8_t*>(output);
  options.setOutput(out, bytes * static_cast<size_t>(context->size));
  if (input != out + bytes * static_cast<size_t>(context->rank)) {
    options.setInput(static_cast<uint8_t*>(const_cast<void*>(input)), bytes);
  }
  options.setTag(tag);
  options.setTimeout(timeout);
  gloo::allgather(options);
}

}  // namespace dt
