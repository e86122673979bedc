// Every rank sends its CollectiveHeader to every other over Gloo, directly (not along a ring), so
// that a rank that waits only for a silent peer is not failed early by another rank's timeout, and
// the timeout can name the ranks that never sent theirs.
#pragma once
#include <vector>

#include "collective_header.h"
#include "deadline.h"
#include "gloo_mesh.h"

namespace dt {

// Every rank's header, this rank's at `rank`. Throws Failure: DT_WORK_TIMED_OUT naming the ranks not
// heard from, or what GlooMesh::classify makes of a Gloo error. Doubles as a barrier.
std::vector<CollectiveHeader> exchange_headers(GlooMesh& mesh, const CollectiveHeader& mine, const Deadline& deadline);

}  // namespace dt
