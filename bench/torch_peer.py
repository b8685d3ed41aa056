#!/usr/bin/env python3
"""PyTorch peer for `npm run bench`: the same workloads (sizes, data, initial weights, optimizer, batch
order by the same shuffled indices per epoch) single-threaded, timed the same way (loss read back each
step, like our loop). Input: a JSON manifest path; each workload's data and weights are float32 files.
Output: one JSON object per workload on stdout.
With --ceiling M K N SECONDS instead of a manifest: the native-matmul ceiling, float32 torch.mm of an
MxK by a KxN matrix on torch.get_num_threads() threads (the caller sets the thread count through
NNLAB_TORCH_THREADS and the OMP/OpenBLAS variables), best of repeated timed batches of calls."""
import json, sys, time

try:
    import numpy as np
    import torch
except Exception as e:  # noqa: BLE001 - any import failure means "peer missing"
    print(json.dumps({"error": f"PyTorch not importable: {e}"}))
    sys.exit(0)

import os

torch.set_num_threads(int(os.environ.get("NNLAB_TORCH_THREADS", "1")))
torch.manual_seed(0)

ACT = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid, "linear": torch.nn.Identity}


def load(path, shape):
    return torch.from_numpy(np.fromfile(path, dtype=np.float32).reshape(shape).copy())


def build(w):
    layers = []
    for i, l in enumerate(w["layers"]):
        lin = torch.nn.Linear(l["nIn"], l["nOut"])
        with torch.no_grad():
            lin.weight.copy_(load(l["W"], (l["nIn"], l["nOut"])).t())
            lin.bias.copy_(load(l["b"], (l["nOut"],)))
        layers.append(lin)
        act = l["act"]
        last = i == len(w["layers"]) - 1
        if last and w["loss"] == "cce":
            continue  # softmax folded into CrossEntropyLoss, as our trainer folds it
        layers.append(ACT[act]())
    return torch.nn.Sequential(*layers)


def run(w):
    n = w["samples"]
    x = load(w["x"], (n, w["inputs"]))
    y = load(w["y"], (n, w["outputs"]))
    model = build(w)
    opt = torch.optim.SGD(model.parameters(), lr=w["lr"])
    if w["loss"] == "mse":
        loss_fn = torch.nn.MSELoss()
        target = y
    else:
        loss_fn = torch.nn.CrossEntropyLoss()
        target = y.argmax(dim=1)
    bs = w["batch"]
    steps_per_epoch = (n + bs - 1) // bs
    gen = torch.Generator().manual_seed(1)
    step_times = []
    steps = 0
    t_end = time.perf_counter() + w["seconds"]
    first_loss = None
    while True:
        perm = torch.randperm(n, generator=gen) if bs < n else None
        xs = x[perm] if perm is not None else x
        ts = target[perm] if perm is not None else target
        for b in range(steps_per_epoch):
            xb = xs[b * bs:(b + 1) * bs]
            tb = ts[b * bs:(b + 1) * bs]
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), tb)
            loss.backward()
            opt.step()
            v = loss.item()
            if first_loss is None:
                first_loss = v
            steps += 1
            step_times.append(time.perf_counter())
        if time.perf_counter() > t_end and steps >= w["minSteps"]:
            break
    warm = min(w["warmup"], steps - 1)
    dt = step_times[-1] - step_times[warm - 1] if warm > 0 else step_times[-1] - step_times[0]
    measured = steps - warm
    return {"name": w["name"], "steps": steps, "stepsPerSec": measured / dt, "samplesPerSec": measured * bs / dt, "firstLoss": first_loss, "lastLoss": v}


def blas_library():
    """Which BLAS torch.mm reached: Debian's torch links libblas.so.3, whichever alternative is installed
    (reference netlib BLAS is ~50x slower than OpenBLAS)."""
    try:
        maps = open("/proc/self/maps").read()
    except OSError:
        return "?"
    for name in ("openblas", "libmkl", "blis", "atlas", "blas/libblas"):
        if name in maps:
            return {"blas/libblas": "reference BLAS (netlib libblas3)"}.get(name, name)
    return "?"


def best_gflops(f, flop, seconds):
    for _ in range(3):
        f()
    best = 0.0
    t_end = time.perf_counter() + seconds
    while time.perf_counter() < t_end:
        reps = 5
        t0 = time.perf_counter()
        for _ in range(reps):
            f()
        best = max(best, flop * reps / (time.perf_counter() - t0) / 1e9)
    return best


def ceiling(m, k, n, seconds):
    a = torch.randn(m, k)
    b = torch.randn(k, n)
    out = torch.empty(m, n)
    flop = 2.0 * m * k * n
    mm = best_gflops(lambda: torch.mm(a, b, out=out), flop, seconds)
    # oneDNN's own JIT GEMM (torch.utils.mkldnn), independent of the installed BLAS
    onednn = None
    try:
        from torch.utils import mkldnn as mk
        lin = mk.to_mkldnn(torch.nn.Linear(k, n, bias=False))
        am = a.to_mkldnn()
        onednn = best_gflops(lambda: lin(am), flop, seconds)
    except Exception:  # noqa: BLE001 - a build without oneDNN has only torch.mm
        pass
    print(json.dumps({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas_library(), "m": m, "k": k, "n": n, "mm": mm, "onednn": onednn}))


def main():
    if sys.argv[1] == "--ceiling":
        m, k, n = (int(v) for v in sys.argv[2:5])
        ceiling(m, k, n, float(sys.argv[5]))
        return
    manifest = json.load(open(sys.argv[1]))
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "results": []}
    for w in manifest["workloads"]:
        out["results"].append(run(w))
    out["blas"] = blas_library()
    print(json.dumps(out))


main()
