// Activations: relu, leaky_relu, sigmoid, tanh, gelu, softmax, log_softmax.
#include "native.h"

using dt::unwrap;

extern "C" {

dt_tensor dt_nn_relu(dt_tensor input) { DT_TENSOR_FN(at::relu(unwrap(input))) }
dt_tensor dt_nn_leaky_relu(dt_tensor input, double negative_slope) { DT_TENSOR_FN(at::leaky_relu(unwrap(input), negative_slope)) }
dt_tensor dt_nn_sigmoid(dt_tensor input) { DT_TENSOR_FN(at::sigmoid(unwrap(input))) }
dt_tensor dt_nn_tanh(dt_tensor input) { DT_TENSOR_FN(at::tanh(unwrap(input))) }
dt_tensor dt_nn_gelu(dt_tensor input, bool tanh_approximation) {
  DT_TENSOR_FN(at::gelu(unwrap(input), tanh_approximation ? "tanh" : "none"))
}
dt_tensor dt_nn_softmax(dt_tensor input, int64_t dim) { DT_TENSOR_FN(at::softmax(unwrap(input), dim)) }
dt_tensor dt_nn_log_softmax(dt_tensor input, int64_t dim) { DT_TENSOR_FN(at::log_softmax(unwrap(input), dim)) }

}  // extern "C"
