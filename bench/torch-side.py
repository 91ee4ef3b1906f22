"""PyTorch side of `npm run bench:torch` (bench/torch.ts starts it; not meant to be run alone).

Protocol, one line each way: bench/torch.ts writes a case name; this script runs that case once,
timed with time.perf_counter around the whole call (allocation of the tensor included, as on the
JavaScript side), and answers the wall-clock milliseconds and the CPU milliseconds of the calling thread
(time.thread_time; with one OpenBLAS/OpenMP thread all the work runs there). The first line it writes is a JSON object with the
versions, the thread count and the BLAS/LAPACK libraries loaded. PyTorch runs single-threaded
(torch.set_num_threads(1); bench/torch.ts also sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS to 1 for this process), as one JavaScript thread does on the other side.
"""
import json
import re
import sys
import time

import torch
import torch.nn.init as init

torch.set_num_threads(1)
torch.manual_seed(0)

N = 10_000_000

CASES = {
    "uniform": lambda: init.uniform_(torch.empty(1000, N // 1000), -1.0, 1.0),
    "normal": lambda: init.normal_(torch.empty(1000, N // 1000), 0.0, 1.0),
    "truncatedNormal": lambda: init.trunc_normal_(torch.empty(1000, N // 1000), 0.0, 1.0, -2.0, 2.0),
    "orthogonal512": lambda: init.orthogonal_(torch.empty(512, 512)),
    "orthogonal1024": lambda: init.orthogonal_(torch.empty(1024, 1024)),
    "sparse": lambda: init.sparse_(torch.empty(1000, 1000), 0.9, 0.01),
}



def linear_algebra_library():
    """The BLAS/LAPACK shared objects this process has mapped (after one QR), e.g. OpenBLAS or the reference LAPACK."""
    torch.linalg.qr(torch.randn(8, 8))
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if re.search(r"blas|lapack|mkl", line.split()[-1], re.I)}
    except OSError:
        return "unknown"
    return ", ".join(sorted(paths)) or "unknown"


print(json.dumps({"torch": torch.__version__, "python": sys.version.split()[0], "threads": torch.get_num_threads(),
                  "lapack": linear_algebra_library()}), flush=True)
for line in sys.stdin:
    name = line.strip()
    if name == "":
        break
    run = CASES[name]
    c0 = time.thread_time()
    t0 = time.perf_counter()
    result = run()
    ms = (time.perf_counter() - t0) * 1000
    cpu = (time.thread_time() - c0) * 1000
    del result
    print(f"{ms:.4f} {cpu:.4f}", flush=True)
