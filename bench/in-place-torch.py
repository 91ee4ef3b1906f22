"""PyTorch side of `npm run bench:inplace` (bench/in-place.ts starts it; not meant to be run alone).

PyTorch's in-place initializers on tensors allocated once, at start: torch.nn.init.x_(t) overwrites
t's own memory, which is what tfjs-initializers' in-place functions now do on the cpu and wasm
backends. Protocol (bench/side-by-side.ts): this script prints a JSON line with the versions, reads
one JSON line — the model's weights as [kind, shape] pairs in PyTorch's layout — and allocates them,
then answers each case name it reads by running that case once and printing its wall-clock and
CPU milliseconds (time.perf_counter, time.thread_time); an empty line ends it. One thread
(torch.set_num_threads(1); the caller also sets OMP/OPENBLAS/MKL_NUM_THREADS=1).
"""
import json
import re
import sys
import time

import torch
import torch.nn.init as init

torch.set_num_threads(1)
torch.manual_seed(0)

# The [1000, 10000] weight: tfjs lays a Dense kernel out [in, out], PyTorch's Linear [out, in]; the
# fan-based fills get the transposed tensor so that both sides draw from the same distribution.
W = torch.empty(1000, 10000)
W_OUT_IN = torch.empty(10000, 1000)
Q = torch.empty(1024, 1024)
MODEL = []


def reinitialize_model():
    for kind, t in MODEL:
        if kind == "kaimingNormal":
            init.kaiming_normal_(t, mode="fan_out", nonlinearity="relu")
        elif kind == "zeros":
            init.zeros_(t)
        else:
            init.ones_(t)


CASES = {
    "uniform": lambda: init.uniform_(W, -1.0, 1.0),
    "normal": lambda: init.normal_(W),
    "kaimingNormal": lambda: init.kaiming_normal_(W_OUT_IN),
    "xavierUniform": lambda: init.xavier_uniform_(W_OUT_IN),
    "truncNormal": lambda: init.trunc_normal_(W),
    "orthogonal": lambda: init.orthogonal_(Q),
    "model": reinitialize_model,
}


def linear_algebra_library():
    """The BLAS/LAPACK shared objects this process has mapped (after one QR)."""
    torch.linalg.qr(torch.randn(8, 8))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if re.search(r"blas|lapack|mkl", line.split()[-1], re.I)}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "unknown"


print(json.dumps({"torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(),
                  "lapack": linear_algebra_library()}), flush=True)
for kind, shape in json.loads(sys.stdin.readline()):
    MODEL.append((kind, torch.empty(*shape)))
print(json.dumps({"tensors": len(MODEL), "weights": sum(t.numel() for _, t in MODEL)}), flush=True)
for line in sys.stdin:
    name = line.strip()
    if name == "":
        break
    run = CASES[name]
    c0 = time.thread_time()
    t0 = time.perf_counter()
    run()
    ms = (time.perf_counter() - t0) * 1000
    cpu = (time.thread_time() - c0) * 1000
    print(f"{ms:.4f} {cpu:.4f}", flush=True)
