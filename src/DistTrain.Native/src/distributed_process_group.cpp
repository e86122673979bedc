// Process groups: c10d's ProcessGroupGloo (CPU) and ProcessGroupNCCL (CUDA builds with NCCL).
#include "distributed.h"

#include <c10/core/impl/DeviceGuardImplInterface.h>

#include <torch/csrc/distributed/c10d/ProcessGroupGloo.hpp>
#ifdef USE_C10D_NCCL
#include <torch/csrc/distributed/c10d/ProcessGroupNCCL.hpp>
#endif

namespace {

// In 2.x a backend is wrapped in a ProcessGroup (what c10d's Reducer and Python's API take).
c10::intrusive_ptr<c10d::ProcessGroup> group_of(const c10::intrusive_ptr<dt::CollectiveBackend>& backend,
                                               const c10::intrusive_ptr<c10d::Store>& store, int rank, int size,
                                               dt::BackendKind kind, std::chrono::milliseconds timeout) {
#if TORCH_VERSION_MAJOR >= 2
  const auto type = kind == dt::BackendKind::Gloo ? c10d::ProcessGroup::BackendType::GLOO
                                                  : c10d::ProcessGroup::BackendType::NCCL;
  const auto device = kind == dt::BackendKind::Gloo ? c10::DeviceType::CPU : c10::DeviceType::CUDA;
#if TORCH_VERSION_MINOR >= 6
  auto group = c10::make_intrusive<c10d::ProcessGroup>(store, rank, size);
  group->setBackend(device, type, backend);
  group->setDefaultBackend(type);
#else
  // 2.0–2.5 have no setDefaultBackend (their backendType_ is const): the options name the default.
  auto options = c10::make_intrusive<c10d::ProcessGroup::Options>(backend->getBackendName(), timeout);
  auto group = c10::make_intrusive<c10d::ProcessGroup>(store, rank, size, options);
  group->setBackend(device, type, backend);
#endif
  return group;
#else
  (void)store; (void)rank; (void)size; (void)kind; (void)timeout;
  return backend;
#endif
}

dt_process_group make_group(c10::intrusive_ptr<dt::CollectiveBackend> backend, const c10::intrusive_ptr<c10d::Store>& store,
                            int rank, int size, dt::BackendKind kind, std::chrono::milliseconds timeout) {
  auto group = group_of(backend, store, rank, size, kind, timeout);
  return new dt::DtProcessGroup{std::move(group), std::move(backend), kind, rank, size, timeout};
}

void check_rank(int32_t rank, int32_t size) {
  TORCH_CHECK(size >= 1, "the world size must be at least 1 (got ", size, ")");
  TORCH_CHECK(rank >= 0 && rank < size, "the rank must be in [0, ", size, ") (got ", rank, ")");
}

}  // namespace

extern "C" {

dt_process_group dt_process_group_gloo_create(dt_store store, int32_t rank, int32_t size, int64_t timeout_ms,
                                              const char* interface, const char* hostname, int32_t threads,
                                              int32_t local_all_reduce) {
  DT_TRY
  check_rank(rank, size);
  const auto timeout = dt::millis(timeout_ms);
  auto options = c10d::ProcessGroupGloo::Options::create(timeout);
  if (interface != nullptr && interface[0] != '\0') {
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForInterface(interface));
  } else if (hostname != nullptr && hostname[0] != '\0') {
    options->devices.push_back(c10d::ProcessGroupGloo::createDeviceForHostname(hostname));
  } else {
    options->devices.push_back(c10d::ProcessGroupGloo::createDefaultDevice());
  }
  if (threads > 0) options->threads = threads;
  const auto& s = static_cast<dt::DtStore*>(store)->store;
  c10::intrusive_ptr<dt::CollectiveBackend> backend = c10::make_intrusive<c10d::ProcessGroupGloo>(s, rank, size, options);
  std::string why_not;
  auto local = dt::LocalAllReduce::connect(*s, rank, size, local_all_reduce != 0, why_not);
  std::unique_ptr<dt::DtProcessGroup> group(
      static_cast<dt::DtProcessGroup*>(make_group(std::move(backend), s, rank, size, dt::BackendKind::Gloo, timeout)));
  group->local = std::move(local);
  group->local_status = group->local ? "every rank mapped one shared-memory segment" : why_not;
  return group.release();
  DT_CATCH(nullptr)
}

dt_process_group dt_process_group_nccl_create(dt_store store, int32_t rank, int32_t size, int64_t timeout_ms) {
  DT_TRY
  check_rank(rank, size);
#ifdef USE_C10D_NCCL
  const auto timeout = dt::millis(timeout_ms);
  auto options = c10d::ProcessGroupNCCL::Options::create();
  options->timeout = timeout;
  const auto& s = static_cast<dt::DtStore*>(store)->store;
  c10::intrusive_ptr<dt::CollectiveBackend> backend = c10::make_intrusive<c10d::ProcessGroupNCCL>(s, rank, size, options);
  return make_group(std::move(backend), s, rank, size, dt::BackendKind::Nccl, timeout);
#else
  TORCH_CHECK(false, "this native layer was built against a libtorch without NCCL (", dt_libtorch_version(),
              "); build it against a CUDA libtorch (LibTorchPath) or use the gloo backend");
#endif
  DT_CATCH(nullptr)
}

int32_t dt_nccl_is_available(void) {
#ifdef USE_C10D_NCCL
  return 1;
#else
  return 0;
#endif
}

int32_t dt_distributed_set_device(int32_t device_type, int32_t device_index) {
  DT_TRY
  const auto type = static_cast<c10::DeviceType>(device_type);
  TORCH_CHECK(c10::impl::hasDeviceGuardImpl(type), "this libtorch has no ", type, " support");
  c10::impl::getDeviceGuardImpl(type)->setDevice(dt::device(device_type, device_index));
  return 0;
  DT_CATCH(-1)
}

int32_t dt_process_group_rank(dt_process_group pg) { return dt::unwrap_group(pg).rank; }
int32_t dt_process_group_size(dt_process_group pg) { return dt::unwrap_group(pg).size; }
int32_t dt_process_group_backend(dt_process_group pg) { return static_cast<int32_t>(dt::unwrap_group(pg).kind); }
int32_t dt_process_group_local_all_reduce(dt_process_group pg) { return dt::unwrap_group(pg).local ? 1 : 0; }
const char* dt_process_group_local_all_reduce_status(dt_process_group pg) { return dt::unwrap_group(pg).local_status.c_str(); }
void dt_process_group_free(dt_process_group pg) { delete static_cast<dt::DtProcessGroup*>(pg); }

}  // extern "C"
