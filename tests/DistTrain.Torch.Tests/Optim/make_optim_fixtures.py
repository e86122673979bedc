#!/usr/bin/python3
"""Writes optim_fixtures.json: what PyTorch's optimizers, schedulers and clip_grad_norm_ compute for fixed inputs.

Run with Debian's python3-torch (1.13):  /usr/bin/python3 make_optim_fixtures.py
The C# tests in this folder replay the same inputs through DistTrain and compare.
"""
import json
import math
import os

import torch

torch.manual_seed(1234)
STEPS = 5
SHAPES = [[3, 4], [4]]


def values(t):
    return t.detach().reshape(-1).tolist()


def make_inputs():
    params = [torch.randn(s) for s in SHAPES]
    grads = [[torch.randn(s) for s in SHAPES] for _ in range(STEPS)]
    # Parameter 1 has no gradient at step 2: optimizers must skip it.
    grads[2][1] = None
    return params, grads


PARAMS, GRADS = make_inputs()

OPTIMIZERS = [
    ("sgd_plain", "SGD", {"lr": 0.1}),
    ("sgd_momentum_dampening", "SGD", {"lr": 0.1, "momentum": 0.9, "dampening": 0.1}),
    ("sgd_nesterov", "SGD", {"lr": 0.05, "momentum": 0.9, "nesterov": True}),
    ("sgd_weight_decay", "SGD", {"lr": 0.1, "momentum": 0.5, "weight_decay": 0.01}),
    ("sgd_maximize", "SGD", {"lr": 0.1, "momentum": 0.9, "maximize": True}),
    ("adam", "Adam", {"lr": 0.01}),
    ("adam_weight_decay", "Adam", {"lr": 0.01, "betas": [0.8, 0.99], "weight_decay": 0.1}),
    ("adam_amsgrad", "Adam", {"lr": 0.01, "amsgrad": True}),
    ("adamw", "AdamW", {"lr": 0.01, "weight_decay": 0.05}),
    ("adamw_amsgrad", "AdamW", {"lr": 0.02, "eps": 1e-6, "amsgrad": True}),
]


def run_optimizer(kind, options, groups=None):
    params = [p.clone().requires_grad_(True) for p in PARAMS]
    if groups is None:
        opt = getattr(torch.optim, kind)(params, **options)
    else:
        opt = getattr(torch.optim, kind)([{"params": [params[i]], **g} for i, g in enumerate(groups)], **options)
    after = []
    for step in range(STEPS):
        for p, g in zip(params, GRADS[step]):
            p.grad = None if g is None else g.clone()
        opt.step()
        after.append([values(p) for p in params])
    state = opt.state_dict()
    state_json = {str(k): {name: values(t) if torch.is_tensor(t) else t for name, t in v.items()}
                  for k, v in state["state"].items()}
    return {"after": after, "state": state_json, "param_groups": [
        {k: (list(v) if isinstance(v, tuple) else v) for k, v in g.items() if k not in ("foreach", "capturable", "differentiable", "fused")}
        for g in state["param_groups"]]}


def optimizer_cases():
    cases = []
    for name, kind, options in OPTIMIZERS:
        case = {"name": name, "kind": kind, "options": options, "groups": None}
        case.update(run_optimizer(kind, options))
        cases.append(case)
    groups = [{"lr": 0.2}, {"lr": 0.01, "weight_decay": 0.1}]
    case = {"name": "sgd_two_groups", "kind": "SGD", "options": {"lr": 0.1, "momentum": 0.9}, "groups": groups}
    case.update(run_optimizer("SGD", {"lr": 0.1, "momentum": 0.9}, groups))
    cases.append(case)
    return cases


def scheduler_cases():
    cases = []
    specs = [
        ("StepLR", {"step_size": 3, "gamma": 0.5}, 10),
        ("CosineAnnealingLR", {"T_max": 6, "eta_min": 0.001}, 20),
        ("LinearLR", {"start_factor": 0.1, "end_factor": 1.0, "total_iters": 5}, 8),
    ]
    for kind, options, steps in specs:
        p0 = torch.zeros(1, requires_grad=True)
        p1 = torch.zeros(1, requires_grad=True)
        opt = torch.optim.SGD([{"params": [p0], "lr": 0.1}, {"params": [p1], "lr": 0.03}], lr=0.1)
        sched = getattr(torch.optim.lr_scheduler, kind)(opt, **options)
        lrs = [list(sched.get_last_lr())]
        for _ in range(steps):
            opt.step()
            sched.step()
            lrs.append(list(sched.get_last_lr()))
        cases.append({"kind": kind, "options": options, "base": [0.1, 0.03], "lrs": lrs})
    return cases


def clip_cases():
    cases = []
    for norm_type, max_norm in [(2.0, 1.0), (1.0, 2.5), (math.inf, 0.5), (2.0, 1000.0)]:
        params = [p.clone().requires_grad_(True) for p in PARAMS]
        for p, g in zip(params, GRADS[0]):
            p.grad = g.clone()
        total = torch.nn.utils.clip_grad_norm_(params, max_norm, norm_type)
        cases.append({"norm_type": "inf" if math.isinf(norm_type) else norm_type, "max_norm": max_norm,
                      "total_norm": float(total), "clipped": [values(p.grad) for p in params]})
    return cases


fixtures = {
    "torch_version": torch.__version__,
    "shapes": SHAPES,
    "params": [values(p) for p in PARAMS],
    "grads": [[None if g is None else values(g) for g in step] for step in GRADS],
    "optimizers": optimizer_cases(),
    "schedulers": scheduler_cases(),
    "clip": clip_cases(),
}

out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "optim_fixtures.json")
with open(out, "w") as f:
    json.dump(fixtures, f, indent=1)
print("wrote", out)
