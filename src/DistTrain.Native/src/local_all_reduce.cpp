#include "local_all_reduce.h"

namespace dt {

bool LocalAllReduce::handles(ElementType type, ReduceOp op) {
  return (op == ReduceOp::Sum || op == ReduceOp::Avg) &&
         (type == ElementType::Float32 || type == ElementType::Float64 || type == ElementType::Int32 ||
          type == ElementType::Int64);
}

void LocalAllReduce::all_reduce(void* data, size_t count, ElementType type, ReduceOp op, int size,
                                const CollectiveHeader& header, const Deadline& deadline,
                                const std::atomic<bool>& stop) {
  // Avg is for floating types only (checked when the collective is issued).
  const int divisor = op == ReduceOp::Avg ? size : 1;
  switch (type) {
    case ElementType::Float32: return channel_->all_reduce(static_cast<float*>(data), count, divisor, header, deadline, stop);
    case ElementType::Float64: return channel_->all_reduce(static_cast<double*>(data), count, divisor, header, deadline, stop);
    case ElementType::Int32: return channel_->all_reduce(static_cast<int32_t*>(data), count, 1, header, deadline, stop);
    case ElementType::Int64: return channel_->all_reduce(static_cast<int64_t*>(data), count, 1, header, deadline, stop);
    default: throw std::logic_error(std::string("the shared-memory all_reduce does not take ") + name_of(type));
  }
}

}  // namespace dt
