#!/usr/bin/env python3
"""Reference figures from PyTorch's torch.nn.init for the cross-check test.

Run by hand (not by npm test), with Debian's python3-torch:

    apt-get install -y python3-torch
    /usr/bin/python3 scripts/torch-reference.py > __tests__/fixtures/torch-reference.json

For every torch.nn.init function that has a twin in this package, it draws the same shape (in
PyTorch's layout: Linear [out, in], Conv [out, in, *k]) many times and records the distribution
statistics of all the values together: n, mean, variance, fourth central moment (from which the test
derives its tolerances), min, max, plus what the function promises (zero count per input, Gram
error). Deterministic functions (eye_, dirac_, constant_) record their values. The jest test
__tests__/torch-reference.test.ts draws our twin in the tfjs layout ([in, out], [*k, in, out]) and
asserts our statistics against these within tolerances derived from both sample sizes.
"""
import json
import math
import sys

import torch
import torch.nn.init as init

torch.manual_seed(20240601)

# Draws per entry: PyTorch's sample is large, so the test's tolerance is set by our side's n.
DRAWS = 16


def moments(values):
    v = values.double().flatten()
    n = v.numel()
    mean = v.mean().item()
    c = v - mean
    var = (c * c).mean().item()
    m4 = (c ** 4).mean().item()
    return {"n": n, "mean": mean, "variance": var, "m4": m4, "min": v.min().item(), "max": v.max().item()}


def sampled(name, call, shape, ours, layout, extra=None, bounded=False):
    tensors = []
    for _ in range(DRAWS):
        t = torch.empty(shape)
        call(t)
        tensors.append(t)
    entry = {"name": name, "torch": call.__doc__, "torchShape": list(shape), "ours": ours, "layout": layout,
             "bounded": bounded}
    entry.update(moments(torch.stack(tensors)))
    if extra is not None:
        entry.update(extra(tensors))
    return entry


def exact(name, call, shape, ours, layout):
    t = torch.empty(shape)
    call(t)
    return {"name": name, "torch": call.__doc__, "torchShape": list(shape), "ours": ours, "layout": layout,
            "values": t.flatten().tolist()}


def described(text, fn):
    fn.__doc__ = text
    return fn


def zeros_per_input(tensors):
    # sparse_ on [out, in] zeroes entries in each column (one column per input unit).
    counts = sorted({int((t == 0).sum(dim=0).min()) for t in tensors} | {int((t == 0).sum(dim=0).max()) for t in tensors})
    nonzero = torch.cat([t[t != 0] for t in tensors]).double()
    return {"zerosPerInput": counts, "nonzeroVariance": (nonzero * nonzero).mean().item(), "nonzeroN": nonzero.numel()}


def gram_error(tensors):
    worst = 0.0
    for t in tensors:
        w = t.reshape(t.shape[0], -1)
        rows, cols = w.shape
        g = w @ w.T if rows <= cols else w.T @ w
        scale = g.diagonal().mean()
        worst = max(worst, (g - scale * torch.eye(g.shape[0])).abs().max().item() / scale.item())
    return {"gramError": worst}


entries = [
    sampled("uniform_", described("uniform_(t, a=-0.3, b=0.7)", lambda t: init.uniform_(t, a=-0.3, b=0.7)),
            (250, 1000), {"class": "Uniform", "args": {"low": -0.3, "high": 0.7}}, "linear", bounded=True),
    sampled("normal_", described("normal_(t, mean=0.5, std=2.0)", lambda t: init.normal_(t, mean=0.5, std=2.0)),
            (250, 1000), {"class": "Normal", "args": {"mean": 0.5, "std": 2.0}}, "linear"),
    sampled("trunc_normal_", described("trunc_normal_(t, mean=0, std=1, a=-2, b=2)", lambda t: init.trunc_normal_(t)),
            (250, 1000), {"class": "TruncNormal", "args": {}}, "linear", bounded=True),
    sampled("trunc_normal_ (narrow, off-centre)",
            described("trunc_normal_(t, mean=0.1, std=0.5, a=-0.3, b=1.0)",
                      lambda t: init.trunc_normal_(t, mean=0.1, std=0.5, a=-0.3, b=1.0)),
            (250, 1000), {"class": "TruncNormal", "args": {"mean": 0.1, "std": 0.5, "a": -0.3, "b": 1.0}}, "linear", bounded=True),
    sampled("xavier_uniform_", described("xavier_uniform_(t, gain=sqrt(2))", lambda t: init.xavier_uniform_(t, gain=math.sqrt(2))),
            (500, 500), {"class": "XavierUniformCustom", "args": {"gain": math.sqrt(2)}}, "linear", bounded=True),
    sampled("xavier_normal_ (conv)", described("xavier_normal_(t, gain=1)", lambda t: init.xavier_normal_(t)),
            (64, 48, 3, 3), {"class": "XavierNormal", "args": {}}, "conv"),
    sampled("kaiming_uniform_ (nn.Linear default)", described("kaiming_uniform_(t, a=sqrt(5))",
                                                              lambda t: init.kaiming_uniform_(t, a=math.sqrt(5))),
            (400, 600), {"class": "KaimingUniform", "args": {"a": math.sqrt(5)}}, "linear", bounded=True),
    sampled("kaiming_normal_ (conv, fan_out, relu)",
            described("kaiming_normal_(t, mode='fan_out', nonlinearity='relu')",
                      lambda t: init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu")),
            (64, 48, 3, 3), {"class": "KaimingNormal", "args": {"mode": "fanOut", "nonlinearity": "relu"}}, "conv"),
    sampled("kaiming_normal_ (leaky_relu 0.2)",
            described("kaiming_normal_(t, a=0.2, nonlinearity='leaky_relu')",
                      lambda t: init.kaiming_normal_(t, a=0.2, nonlinearity="leaky_relu")),
            (400, 600), {"class": "KaimingNormal", "args": {"a": 0.2}}, "linear"),
    sampled("orthogonal_ (tall)", described("orthogonal_(t, gain=2)", lambda t: init.orthogonal_(t, gain=2.0)),
            (300, 200), {"class": "OrthogonalInitializer", "args": {"gain": 2.0}}, "linear", gram_error),
    sampled("orthogonal_ (wide conv)", described("orthogonal_(t, gain=1)", lambda t: init.orthogonal_(t)),
            (40, 16, 3, 3), {"class": "OrthogonalInitializer", "args": {}}, "conv", gram_error),
    sampled("sparse_", described("sparse_(t, sparsity=0.3, std=0.05)", lambda t: init.sparse_(t, sparsity=0.3, std=0.05)),
            (200, 500), {"class": "SparseInit", "args": {"sparsity": 0.3, "std": 0.05}}, "linear", zeros_per_input),
    # ceil(0.55 * 100) = ceil(55.00000000000001) = 56 zeros per column in PyTorch; ours must agree.
    sampled("sparse_ (sparsity 0.55, 100 outputs: 56 zeros)",
            described("sparse_(t, sparsity=0.55, std=0.01)", lambda t: init.sparse_(t, sparsity=0.55, std=0.01)),
            (100, 400), {"class": "SparseInit", "args": {"sparsity": 0.55, "std": 0.01}}, "linear", zeros_per_input),
    exact("eye_", described("eye_(t)", lambda t: init.eye_(t)), (5, 7), {"class": "Eye", "args": {}}, "linear"),
    exact("dirac_ (groups=2)", described("dirac_(t, groups=2)", lambda t: init.dirac_(t, groups=2)),
          (8, 3, 3, 3), {"class": "Dirac", "args": {"groups": 2}}, "conv"),
    exact("dirac_ (even kernel: PyTorch's upper tap)", described("dirac_(t)", lambda t: init.dirac_(t)),
          (4, 4, 4, 2), {"class": "Dirac", "args": {"tap": "upper"}}, "conv"),
    exact("constant_", described("constant_(t, 0.3)", lambda t: init.constant_(t, 0.3)),
          (3, 4), {"fn": "constant_", "args": [0.3]}, "linear"),
]

json.dump({"generatedBy": "scripts/torch-reference.py", "torchVersion": torch.__version__, "draws": DRAWS,
           "entries": entries}, sys.stdout, indent=1)
sys.stdout.write("\n")
