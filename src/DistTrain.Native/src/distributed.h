// Shared types of the distributed entry points (distributed_*.cpp): what the C handles point to.
// DDP's native code reaches the c10d process group through DtProcessGroup::group.
#pragma once
#include "local_all_reduce.h"
#include "native.h"

#include <torch/csrc/distributed/c10d/ProcessGroup.hpp>
#include <torch/csrc/distributed/c10d/Store.hpp>
#include <torch/csrc/distributed/c10d/Work.hpp>

#if TORCH_VERSION_MAJOR >= 2
#include <torch/csrc/distributed/c10d/Backend.hpp>
#endif

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace dt {

// In libtorch 1.13 ProcessGroupGloo/NCCL are ProcessGroups; in 2.x they are Backends that a
// ProcessGroup wraps. Collectives go to the backend directly; the group is what c10d's Reducer takes.
#if TORCH_VERSION_MAJOR >= 2
using CollectiveBackend = c10d::Backend;
#else
using CollectiveBackend = c10d::ProcessGroup;
#endif

enum class BackendKind : int32_t { Gloo = 0, Nccl = 1 };

struct DtStore {
  c10::intrusive_ptr<c10d::Store> store;
};

struct DtProcessGroup {
  c10::intrusive_ptr<c10d::ProcessGroup> group;
  c10::intrusive_ptr<CollectiveBackend> backend;
  BackendKind kind;
  int rank;
  int size;
  std::chrono::milliseconds timeout;
  std::unique_ptr<LocalAllReduce> local;  // sums among ranks on one host; null: the backend does them
  std::string local_status;               // why `local` is null, or how it was set up
};

// A started collective and what must happen on this rank once it completes (avg's division,
// the emulated reduce_scatter's copy).
struct DtWork {
  c10::intrusive_ptr<c10d::Work> work;
  std::function<void()> finish;
  bool finished = false;
};

inline c10d::Store& unwrap_store(dt_store s) { return *static_cast<DtStore*>(s)->store; }
inline DtProcessGroup& unwrap_group(dt_process_group pg) { return *static_cast<DtProcessGroup*>(pg); }

inline std::chrono::milliseconds millis(int64_t ms) { return std::chrono::milliseconds(ms); }

}  // namespace dt
