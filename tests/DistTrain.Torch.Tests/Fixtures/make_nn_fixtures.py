#!/usr/bin/python3
"""Writes nn_fixtures.json: for each layer and loss, seeded inputs, the module's state, and what
PyTorch computes for them (forward output, the state after forward, and the gradients of the input
and parameters for a seeded upstream gradient). Also writes the default initial weights of a few
layers after torch.manual_seed, which DistTrain must reproduce exactly.

Run with Debian's Python (it has torch):  /usr/bin/python3 make_nn_fixtures.py
The C# tests (tests/DistTrain.Torch.Tests/NN/*FixtureTests.cs) build the same modules by case name.
"""
import json
import zlib
import os

import torch
import torch.nn as nn

torch.set_num_threads(1)


def flat(x):
    x = x.detach()
    return {"shape": list(x.shape), "dtype": str(x.dtype).replace("torch.", ""), "data": x.reshape(-1).tolist()}


def state(module):
    return {k: flat(v) for k, v in module.state_dict().items()}


cases = {}


def layer(name, module, x, train=True, seed=None, randomise=True):
    """A layer case: random parameters and buffers (so a wrong index shows), one forward and backward."""
    torch.manual_seed(zlib.crc32(name.encode()))
    with torch.no_grad():
        if randomise:
            for p in module.parameters():
                p.copy_(torch.randn_like(p))
            for n, b in module.named_buffers():
                if n.endswith("running_var"):
                    b.copy_(torch.rand_like(b) + 0.5)
                elif b.is_floating_point():
                    b.copy_(torch.randn_like(b))
                else:
                    b.fill_(4)
    module.train(train)
    before = state(module)
    floating = x.is_floating_point()
    if floating:
        x = x.clone().requires_grad_(True)
    if seed is not None:
        torch.manual_seed(seed)
    y = module(x)
    grad_output = torch.randn_like(y)
    y.backward(grad_output)
    cases[name] = {
        "train": train,
        "seed": seed,
        "input": flat(x),
        "state": before,
        "output": flat(y),
        "grad_output": flat(grad_output),
        "input_grad": flat(x.grad) if floating else None,
        "param_grads": {n: flat(p.grad) for n, p in module.named_parameters()},
        "state_after": state(module),
    }


def loss(name, fn, x, target, weight=None, pos_weight=None):
    x = x.clone().requires_grad_(True)
    y = fn(x)
    grad_output = torch.randn_like(y)
    y.backward(grad_output)
    cases[name] = {
        "input": flat(x),
        "target": flat(target),
        "weight": flat(weight) if weight is not None else None,
        "pos_weight": flat(pos_weight) if pos_weight is not None else None,
        "output": flat(y),
        "grad_output": flat(grad_output),
        "input_grad": flat(x.grad),
    }


torch.manual_seed(0)
r = torch.randn

layer("linear", nn.Linear(5, 3), r(4, 5))
layer("linear_no_bias", nn.Linear(5, 3, bias=False), r(2, 3, 5))
layer("conv2d", nn.Conv2d(2, 3, 3, stride=2, padding=1), r(2, 2, 7, 7))
layer("conv2d_groups", nn.Conv2d(4, 4, (3, 2), stride=(1, 2), padding=(2, 1), dilation=(2, 1), groups=2), r(1, 4, 8, 8))
layer("max_pool2d", nn.MaxPool2d(2), r(2, 3, 6, 6))
layer("max_pool2d_padded", nn.MaxPool2d(3, stride=2, padding=1, ceil_mode=True), r(1, 2, 7, 7))
layer("avg_pool2d", nn.AvgPool2d(2), r(2, 3, 6, 6))
layer("avg_pool2d_padded", nn.AvgPool2d(3, stride=2, padding=1, count_include_pad=False), r(1, 2, 7, 7))
layer("adaptive_avg_pool2d", nn.AdaptiveAvgPool2d((2, 3)), r(2, 3, 7, 5))
layer("batch_norm1d_train", nn.BatchNorm1d(3), r(6, 3))
layer("batch_norm1d_cumulative", nn.BatchNorm1d(3, momentum=None), r(5, 3, 4))
layer("batch_norm2d_train", nn.BatchNorm2d(3), r(4, 3, 5, 5))
layer("batch_norm2d_eval", nn.BatchNorm2d(3), r(2, 3, 4, 4), train=False)
layer("embedding", nn.Embedding(10, 4, padding_idx=1), torch.tensor([[1, 2, 3, 1, 9], [0, 2, 2, 5, 7], [1, 1, 4, 8, 6]]))
layer("dropout", nn.Dropout(0.3), r(4, 25), seed=123)
layer("dropout_eval", nn.Dropout(0.3), r(3, 4), train=False)
layer("flatten", nn.Flatten(), r(2, 3, 4, 5))
layer("relu", nn.ReLU(), r(4, 6))
layer("leaky_relu", nn.LeakyReLU(0.2), r(4, 6))
layer("sigmoid", nn.Sigmoid(), r(4, 6))
layer("tanh", nn.Tanh(), r(4, 6))
layer("gelu", nn.GELU(), r(4, 6))
layer("gelu_tanh", nn.GELU(approximate="tanh"), r(4, 6))
layer("softmax", nn.Softmax(dim=1), r(4, 6))
layer("log_softmax", nn.LogSoftmax(dim=-1), r(3, 2, 6))
layer("mlp", nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Linear(8, 3)), r(5, 6))

F = nn.functional
logits, classes = r(6, 5), torch.tensor([0, 4, 2, 2, 1, 3])
class_weight = torch.rand(5) + 0.5
loss("mse_mean", lambda x: F.mse_loss(x, t_mse), r(3, 4), t_mse := r(3, 4))
loss("mse_sum", lambda x: F.mse_loss(x, t_mse, reduction="sum"), r(3, 4), t_mse)
loss("mse_none", lambda x: F.mse_loss(x, t_mse, reduction="none"), r(3, 4), t_mse)
loss("l1_mean", lambda x: F.l1_loss(x, t_mse), r(3, 4), t_mse)
loss("cross_entropy", lambda x: F.cross_entropy(x, classes), logits, classes)
loss("cross_entropy_sum", lambda x: F.cross_entropy(x, classes, reduction="sum"), logits, classes)
loss("cross_entropy_none", lambda x: F.cross_entropy(x, classes, reduction="none"), logits, classes)
loss("cross_entropy_weighted_smoothed_ignored",
     lambda x: F.cross_entropy(x, classes, weight=class_weight, ignore_index=2, label_smoothing=0.1),
     logits, classes, weight=class_weight)
loss("cross_entropy_probabilities", lambda x: F.cross_entropy(x, probs), logits, probs := torch.softmax(r(6, 5), 1))
loss("cross_entropy_2d", lambda x: F.cross_entropy(x, pixels), r(2, 3, 4, 4), pixels := torch.randint(0, 3, (2, 4, 4)))
loss("nll", lambda x: F.nll_loss(torch.log_softmax(x, 1), classes), logits, classes)
loss("nll_weighted", lambda x: F.nll_loss(x, classes, weight=class_weight), logits, classes, weight=class_weight)
loss("bce", lambda x: F.binary_cross_entropy(x, t_bce), torch.rand(4, 3) * 0.9 + 0.05, t_bce := torch.randint(0, 2, (4, 3)).float())
loss("bce_weighted_sum", lambda x: F.binary_cross_entropy(x, t_bce, weight=w_bce, reduction="sum"),
     torch.rand(4, 3) * 0.9 + 0.05, t_bce, weight=(w_bce := torch.rand(3)))
loss("bce_with_logits", lambda x: F.binary_cross_entropy_with_logits(x, t_bce), r(4, 3), t_bce)
loss("bce_with_logits_pos_weight_none",
     lambda x: F.binary_cross_entropy_with_logits(x, t_bce, weight=w_bce, pos_weight=pw, reduction="none"),
     r(4, 3), t_bce, weight=w_bce, pos_weight=(pw := torch.rand(3) * 3))

# Default initialisation: the same seed and construction order must give the same weights.
torch.manual_seed(42)
init_layers = [("linear", nn.Linear(5, 3)), ("conv2d", nn.Conv2d(2, 4, 3)), ("embedding", nn.Embedding(6, 3)),
               ("linear_big", nn.Linear(64, 10))]
default_init = {name: state(m) for name, m in init_layers}

# torch.nn.init functions: the same seed must give the same values.
init_functions = {}
for name, fn in [
    ("uniform_", lambda t: nn.init.uniform_(t, -2.0, 3.0)),
    ("normal_", lambda t: nn.init.normal_(t, 1.0, 0.5)),
    ("constant_", lambda t: nn.init.constant_(t, 0.25)),
    ("xavier_uniform_", lambda t: nn.init.xavier_uniform_(t, gain=2.0)),
    ("xavier_normal_", lambda t: nn.init.xavier_normal_(t)),
    ("kaiming_uniform_", lambda t: nn.init.kaiming_uniform_(t, a=0.1)),
    ("kaiming_normal_", lambda t: nn.init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu")),
]:
    torch.manual_seed(7)
    init_functions[name] = flat(fn(torch.empty(4, 3, 2)))
gains = {n: nn.init.calculate_gain(n) for n in ["linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"]}
gains["leaky_relu_0.2"] = nn.init.calculate_gain("leaky_relu", 0.2)

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "nn_fixtures.json")
with open(out, "w") as f:
    json.dump({"torch": torch.__version__, "cases": cases, "default_init": default_init,
               "init_functions": init_functions, "gains": gains}, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {out} ({os.path.getsize(out)} bytes)")
