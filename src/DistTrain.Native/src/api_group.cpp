// The C entry points for groups.
#include <new>
#include <stdexcept>

#include "errors.h"
#include "group_handles.h"

extern "C" {

dt_group dt_group_create(int64_t store_id, int32_t rank, int32_t size, const dt_group_options* options) {
  DT_TRY
  if (options == nullptr) throw std::invalid_argument("dt_group_create: options is NULL");
  return dt::register_group(dt::Group::create(store_id, rank, size, *options));
  DT_CATCH(nullptr)
}

int32_t dt_group_rank(dt_group group) {
  DT_TRY return dt::find_group(group)->rank(); DT_CATCH(-1)
}

int32_t dt_group_size(dt_group group) {
  DT_TRY return dt::find_group(group)->size(); DT_CATCH(-1)
}

int32_t dt_group_local_all_reduce(dt_group group) {
  DT_TRY return dt::find_group(group)->uses_local_all_reduce() ? 1 : 0; DT_CATCH(-1)
}

const char* dt_group_local_all_reduce_status(dt_group group) {
  DT_TRY return dt::find_group(group)->local_all_reduce_status().c_str(); DT_CATCH(nullptr)
}

void dt_group_free(dt_group group) {
  DT_TRY
  auto owned = dt::unregister_group(group);
  if (!owned) return;
  // A worker that did not stop in time still uses the group: it is leaked (see Group::close).
  if (!owned->close()) new std::shared_ptr<dt::Group>(std::move(owned));
  DT_CATCH()
}

}  // extern "C"
