// Buffers in shared memory that the ranks of one host allocate together (dt_shared_buffer_create):
// one segment per buffer with one slab per rank, every slab mapped into every rank. A rank's
// tensor lives in its own slab, so an all_reduce of it reads the peers' slabs directly and writes
// each reduced share into every slab: no copy into and out of the channel's regions.
// Buffers outlive their group (a tensor may): they are kept here, by the address of their slab,
// until the tensor's deleter releases them.
#pragma once
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "shared_segment.h"

namespace dt {

struct SharedBuffer {
  SharedSegment segment;
  const void* owner;   // the LocalAllReduce whose ranks share it
  int64_t id;          // the sequence number of the collective that created it: alike on every rank
  int rank;
  int ranks;
  size_t slab_bytes;

  char* slab(int k) const { return segment.data() + slab_bytes * static_cast<size_t>(k); }
};

// What a CreateSharedBuffer collective hands back (its Collective::data points at one).
struct SharedBufferResult {
  char* slab = nullptr;  // this rank's slab; null when none could be made
  std::string why_not;
};

// Keeps `buffer`; returns this rank's slab.
char* keep_shared_buffer(std::unique_ptr<SharedBuffer> buffer);

// The buffer of `owner` whose slab (of this rank) holds [data, data + bytes), or null; `offset`
// receives the byte offset of `data` in the slab.
std::shared_ptr<SharedBuffer> find_shared_buffer(const void* owner, const void* data, size_t bytes, size_t& offset);

// The buffer `id` of `owner`, or null.
std::shared_ptr<SharedBuffer> shared_buffer_by_id(const void* owner, int64_t id);

// Buffers of `owner` (a LocalAllReduce being destroyed) stay mapped for their tensors but are no
// longer found by owner: another group could be allocated at the same address.
void orphan_shared_buffers(const void* owner);

// Unmaps the buffer whose slab starts at `slab` once no collective uses it; unknown addresses are ignored.
void release_shared_buffer(const void* slab);

// The packed CollectiveHeader::shared of an all_reduce of [data, data + bytes) with elements of
// `element_bytes`: -1 when it is not in a shared buffer of `owner` (or not at an element boundary).
int64_t shared_slot(const void* owner, const void* data, size_t bytes, size_t element_bytes);

}  // namespace dt
