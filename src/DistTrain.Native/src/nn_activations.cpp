// Activations without a tensor-method twin: leaky_relu and gelu (relu, sigmoid, tanh and softmax are tensor ops).
#include "native.h"

using dt::unwrap;

extern "C" {

dt_tensor dt_nn_leaky_relu(dt_tensor input, double negative_slope) { DT_TENSOR_FN(at::leaky_relu(unwrap(input), negative_slope)) }
dt_tensor dt_nn_gelu(dt_tensor input, bool tanh_approximation) {
  DT_TENSOR_FN(at::gelu(unwrap(input), tanh_approximation ? "tanh" : "none"))
}

}  // extern "C"
