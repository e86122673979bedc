// Shape operations: reshape and views, permutations, expansion, joining and splitting.
#include "native.h"

#include <vector>

using dt::shape;
using dt::unwrap;

namespace {

at::Tensor shape_op(const at::Tensor& a, int32_t op, at::IntArrayRef sizes) {
  switch (op) {
    case DT_SHAPE_RESHAPE: return a.reshape(sizes);
    case DT_SHAPE_VIEW: return a.view(sizes);
    case DT_SHAPE_PERMUTE: return a.permute(sizes);
    case DT_SHAPE_EXPAND: return a.expand(sizes);
    case DT_SHAPE_REPEAT: return a.repeat(sizes);
    case DT_SHAPE_FLIP: return a.flip(sizes);
  }
  TORCH_CHECK(false, "unknown shape operation code ", op);
}

std::vector<at::Tensor> tensors(const dt_tensor* handles, int32_t n) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(n));
  for (int32_t i = 0; i < n; i++) list.push_back(unwrap(handles[i]));
  return list;
}

std::vector<at::Tensor> split(const at::Tensor& a, int32_t op, at::IntArrayRef args, int64_t dim) {
  switch (op) {
    case DT_SPLIT_SIZE: TORCH_CHECK(args.size() == 1, "split takes one size"); return a.split(args[0], dim);
    case DT_SPLIT_SIZES: return a.split_with_sizes(args, dim);
    case DT_SPLIT_CHUNK: TORCH_CHECK(args.size() == 1, "chunk takes one count"); return a.chunk(args[0], dim);
    case DT_SPLIT_UNBIND: return a.unbind(dim);
  }
  TORCH_CHECK(false, "unknown split operation code ", op);
}

}  // namespace

extern "C" {

dt_tensor dt_shape_op(dt_tensor a, int32_t op, const int64_t* sizes, int32_t n) { DT_TENSOR_FN(shape_op(unwrap(a), op, shape(sizes, n))) }
dt_tensor dt_transpose(dt_tensor a, int64_t dim0, int64_t dim1) { DT_TENSOR_FN(unwrap(a).transpose(dim0, dim1)) }
dt_tensor dt_flatten(dt_tensor a, int64_t start_dim, int64_t end_dim) { DT_TENSOR_FN(unwrap(a).flatten(start_dim, end_dim)) }
dt_tensor dt_unflatten(dt_tensor a, int64_t dim, const int64_t* sizes, int32_t n) { DT_TENSOR_FN(unwrap(a).unflatten(dim, shape(sizes, n))) }
dt_tensor dt_narrow(dt_tensor a, int64_t dim, int64_t start, int64_t length) { DT_TENSOR_FN(unwrap(a).narrow(dim, start, length)) }
dt_tensor dt_select(dt_tensor a, int64_t dim, int64_t index) { DT_TENSOR_FN(unwrap(a).select(dim, index)) }
dt_tensor dt_cat(const dt_tensor* list, int32_t n, int64_t dim) { DT_TENSOR_FN(at::cat(tensors(list, n), dim)) }
dt_tensor dt_stack(const dt_tensor* list, int32_t n, int64_t dim) { DT_TENSOR_FN(at::stack(tensors(list, n), dim)) }

int32_t dt_split(dt_tensor a, int32_t op, const int64_t* args, int32_t nargs, int64_t dim, dt_tensor* out, int32_t capacity) {
  DT_TRY
  auto pieces = split(unwrap(a), op, shape(args, nargs), dim);
  TORCH_CHECK(pieces.size() <= static_cast<size_t>(capacity), "split produced ", pieces.size(),
              " pieces but room for ", capacity, " was given");
  for (size_t i = 0; i < pieces.size(); i++) out[i] = dt::wrap(std::move(pieces[i]));
  return static_cast<int32_t>(pieces.size());
  DT_CATCH(-1)
}

}  // extern "C"
