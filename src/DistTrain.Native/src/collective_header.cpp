#include "collective_header.h"

#include "element_types.h"
#include "errors.h"

namespace dt {

const char* name_of(CollectiveKind kind) {
  switch (kind) {
    case CollectiveKind::AllReduce: return "all_reduce";
    case CollectiveKind::Broadcast: return "broadcast";
    case CollectiveKind::AllGather: return "all_gather";
    case CollectiveKind::ReduceScatter: return "reduce_scatter";
    case CollectiveKind::Barrier: return "barrier";
    case CollectiveKind::CreateSharedBuffer: return "shared buffer creation";
  }
  return "an unknown collective";
}

bool CollectiveHeader::operator==(const CollectiveHeader& o) const {
  return kind == o.kind && sequence == o.sequence && count == o.count && dtype == o.dtype && op == o.op &&
         root == o.root && shared == o.shared;
}

std::string describe(const CollectiveHeader& h, bool with_sequence) {
  const auto kind = static_cast<CollectiveKind>(h.kind);
  std::string text = name_of(kind);
  if (with_sequence) text += " (its collective #" + std::to_string(h.sequence) + ")";
  if (kind == CollectiveKind::Barrier) return text;
  if (kind == CollectiveKind::CreateSharedBuffer) return text + " of " + std::to_string(h.count) + " bytes per rank";
  text += " of " + std::to_string(h.count) + " " + element_type_name(h.dtype) + " elements";
  if (kind == CollectiveKind::AllGather || kind == CollectiveKind::ReduceScatter) text += " per rank";
  if (kind == CollectiveKind::Broadcast) text += " from rank " + std::to_string(h.root);
  if (h.op >= 0) text += " (" + reduce_op_name(h.op) + ")";
  if (h.shared >= 0) {
    text += " in shared buffer #" + std::to_string(h.shared >> 32) + " from element " + std::to_string(h.shared & 0xffffffff);
  }
  return text;
}

void check_agreement(const CollectiveHeader& theirs, int their_rank, const CollectiveHeader& mine, int rank) {
  if (theirs == mine) return;
  const bool numbers_differ = theirs.sequence != mine.sequence;
  throw Failure(DT_WORK_MISMATCH,
                "rank " + std::to_string(their_rank) + " passed " + describe(theirs, numbers_differ) + ", rank " +
                    std::to_string(rank) + " passed " + describe(mine, numbers_differ) +
                    ": every rank must call the same collective with the same count, element type, op and root" +
                    (theirs.shared != mine.shared ? ", on tensors of the same kind (all from empty_shared at the same place, or none)" : ""));
}

void check_agreement(const std::vector<CollectiveHeader>& headers, int rank) {
  for (int k = 0; k < static_cast<int>(headers.size()); ++k) check_agreement(headers[k], k, headers[rank], rank);
}

}  // namespace dt
