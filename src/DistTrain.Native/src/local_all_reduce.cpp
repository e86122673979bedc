#include "local_all_reduce.h"

#include "reduce.h"

namespace dt {

bool LocalAllReduce::handles(ElementType type, ReduceOp op) {
  return (op == ReduceOp::Sum || op == ReduceOp::Avg) &&
         (type == ElementType::Float32 || type == ElementType::Float64 || type == ElementType::Int32 ||
          type == ElementType::Int64);
}

void LocalAllReduce::all_reduce(void* data, size_t count, ElementType type, ReduceOp op, int size,
                                const CollectiveHeader& header, const Deadline& deadline,
                                const std::atomic<bool>& stop) {
  switch (type) {
    case ElementType::Float32: channel_->all_reduce_sum(static_cast<float*>(data), count, header, deadline, stop); break;
    case ElementType::Float64: channel_->all_reduce_sum(static_cast<double*>(data), count, header, deadline, stop); break;
    case ElementType::Int32: channel_->all_reduce_sum(static_cast<int32_t*>(data), count, header, deadline, stop); break;
    case ElementType::Int64: channel_->all_reduce_sum(static_cast<int64_t*>(data), count, header, deadline, stop); break;
    default: throw std::logic_error(std::string("the shared-memory all_reduce does not take ") + name_of(type));
  }
  if (op == ReduceOp::Avg) divide(data, count, type, size);
}

}  // namespace dt
