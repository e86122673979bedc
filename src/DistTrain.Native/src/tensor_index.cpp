// Indexing as Python's t[...] (read and write), index_select, gather, scatter and masked_fill.
#include "native.h"

#include <ATen/TensorIndexing.h>

#include <climits>
#include <vector>

using dt::scalar;
using dt::unwrap;
using at::indexing::TensorIndex;

namespace {

// 2.x slices take SymInt bounds; before 2.2 c10::optional<int64_t> does not convert to c10::optional<SymInt>.
#if TORCH_VERSION_MAJOR >= 2
using SliceBound = c10::optional<c10::SymInt>;
#else
using SliceBound = c10::optional<int64_t>;
#endif

SliceBound present(int64_t v) { return v == INT64_MIN ? SliceBound() : SliceBound(v); }

std::vector<TensorIndex> indices(const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n) {
  std::vector<TensorIndex> list;
  list.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; i++) {
    const int64_t* v = ints + 3 * i;
    switch (kinds[i]) {
      case DT_INDEX_INT: list.emplace_back(v[0]); break;
      case DT_INDEX_SLICE: list.emplace_back(at::indexing::Slice(present(v[0]), present(v[1]), present(v[2]))); break;
      case DT_INDEX_ELLIPSIS: list.emplace_back(at::indexing::Ellipsis); break;
      case DT_INDEX_NONE: list.emplace_back(at::indexing::None); break;
      case DT_INDEX_TENSOR: list.emplace_back(unwrap(tensors[i])); break;
      case DT_INDEX_BOOL: list.emplace_back(v[0] != 0); break;
      default: TORCH_CHECK(false, "unknown index kind ", kinds[i], " at position ", i);
    }
  }
  return list;
}

}  // namespace

extern "C" {

dt_tensor dt_index(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n) {
  DT_TENSOR_FN(unwrap(a).index(indices(kinds, ints, tensors, n)))
}

int32_t dt_index_put_(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n, dt_tensor value) {
  DT_STATUS_FN(unwrap(a).index_put_(indices(kinds, ints, tensors, n), unwrap(value)))
}

int32_t dt_index_put_scalar_(dt_tensor a, const int32_t* kinds, const int64_t* ints, const dt_tensor* tensors, int32_t n,
                             dt_scalar value) {
  DT_STATUS_FN(unwrap(a).index_put_(indices(kinds, ints, tensors, n), scalar(value)))
}

dt_tensor dt_index_select(dt_tensor a, int64_t dim, dt_tensor index) { DT_TENSOR_FN(unwrap(a).index_select(dim, unwrap(index))) }
dt_tensor dt_gather(dt_tensor a, int64_t dim, dt_tensor index) { DT_TENSOR_FN(unwrap(a).gather(dim, unwrap(index))) }
dt_tensor dt_scatter(dt_tensor a, int64_t dim, dt_tensor index, dt_tensor src) {
  DT_TENSOR_FN(unwrap(a).scatter(dim, unwrap(index), unwrap(src)))
}
int32_t dt_scatter_(dt_tensor a, int64_t dim, dt_tensor index, dt_tensor src) {
  DT_STATUS_FN(unwrap(a).scatter_(dim, unwrap(index), unwrap(src)))
}
int32_t dt_scatter_scalar_(dt_tensor a, int64_t dim, dt_tensor index, dt_scalar value) {
  DT_STATUS_FN(unwrap(a).scatter_(dim, unwrap(index), scalar(value)))
}
dt_tensor dt_masked_fill(dt_tensor a, dt_tensor mask, dt_scalar value) { DT_TENSOR_FN(unwrap(a).masked_fill(unwrap(mask), scalar(value))) }
int32_t dt_masked_fill_(dt_tensor a, dt_tensor mask, dt_scalar value) { DT_STATUS_FN(unwrap(a).masked_fill_(unwrap(mask), scalar(value))) }

}  // extern "C"
