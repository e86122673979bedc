#include "local_all_reduce.h"

#include "shared_buffers.h"

#include <algorithm>
#include <stdexcept>

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
    case ElementType::Float32: return all_reduce_as(static_cast<float*>(data), count, divisor, header, deadline, stop);
    case ElementType::Float64: return all_reduce_as(static_cast<double*>(data), count, divisor, header, deadline, stop);
    case ElementType::Int32: return all_reduce_as(static_cast<int32_t*>(data), count, 1, header, deadline, stop);
    case ElementType::Int64: return all_reduce_as(static_cast<int64_t*>(data), count, 1, header, deadline, stop);
    default: throw std::logic_error(std::string("the shared-memory all_reduce does not take ") + name_of(type));
  }
}

}  // namespace dt

namespace dt {

LocalAllReduce::~LocalAllReduce() { orphan_shared_buffers(this); }

template <typename T>
void LocalAllReduce::all_reduce_as(T* data, size_t count, int divisor, const CollectiveHeader& header,
                                   const Deadline& deadline, const std::atomic<bool>& stop) {
  if (header.shared < 0) return channel_->all_reduce(data, count, divisor, header, deadline, stop);
  // Found when the collective was issued; held here so that it stays mapped while it runs.
  const auto buffer = shared_buffer_by_id(this, header.shared >> 32);
  if (buffer == nullptr) throw std::logic_error("the shared buffer of this all_reduce was released before it ran");
  const auto first = static_cast<size_t>(header.shared & 0xffffffff);
  std::vector<T*> slabs(buffer->ranks);
  for (int k = 0; k < buffer->ranks; ++k) slabs[k] = reinterpret_cast<T*>(buffer->slab(k)) + first;
  if (slabs[buffer->rank] != data) throw std::logic_error("the shared buffer of this all_reduce moved");
  channel_->all_reduce_in_slabs(slabs, count, divisor, header, deadline, stop);
}

std::vector<int64_t> LocalAllReduce::flags_of_all(bool failed, const CollectiveHeader& header, const Deadline& deadline,
                                                  const std::atomic<bool>& stop) {
  std::vector<int64_t> flags(channel_->size(), 0);
  flags[channel_->rank()] = failed ? 1 : 0;
  channel_->all_reduce(flags.data(), flags.size(), 1, header, deadline, stop);
  return flags;
}

char* LocalAllReduce::create_shared_buffer(const CollectiveHeader& header, size_t bytes, const Deadline& deadline,
                                           const std::atomic<bool>& stop, std::string& why_not) {
  const int ranks = channel_->size(), rank = channel_->rank();
  // Slabs start on page boundaries, so each rank's tensor is as aligned as a private one.
  const size_t slab_bytes = (std::max<size_t>(bytes, 1) + 4095) / 4096 * 4096;
  const std::string name = name_ + "-b" + std::to_string(header.sequence);
  std::unique_ptr<SharedSegment> segment;
  std::string mine;
  auto map = [&](bool create) {
    try {
      segment = std::make_unique<SharedSegment>(create ? SharedSegment::create(name, slab_bytes * ranks)
                                                       : SharedSegment::open(name, slab_bytes * ranks));
    } catch (const std::exception& e) {
      mine = e.what();
    }
  };
  if (rank == 0) map(true);
  const auto created = flags_of_all(segment == nullptr, header, deadline, stop);
  if (created[0] != 0) {
    why_not = rank == 0 ? mine : "rank 0 could not create /dev/shm" + name + " (" + std::to_string(slab_bytes * ranks) + " bytes)";
    return nullptr;
  }
  if (rank != 0) map(false);
  const auto opened = flags_of_all(segment == nullptr, header, deadline, stop);
  if (segment != nullptr) segment->unlink();  // every rank that could map it has
  for (int k = 0; k < ranks; ++k) {
    if (opened[k] == 0) continue;
    why_not = k == rank ? mine : "rank " + std::to_string(k) + " could not map /dev/shm" + name;
    return nullptr;
  }
  return keep_shared_buffer(std::unique_ptr<SharedBuffer>(
      new SharedBuffer{std::move(*segment), this, header.sequence, rank, ranks, slab_bytes}));
}

}  // namespace dt
