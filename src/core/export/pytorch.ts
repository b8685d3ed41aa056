// `--to pytorch`: a readable, commented PyTorch project that trains the network exactly as NN Lab does.
//   model.py    nn.Sequential of Flatten / Linear / activations / Dropout, the spec's initialisation
//               written out, the safetensors reader
//   train.py    the same data, validation split, batch order, initial weights, loss and optimiser;
//               `python train.py`, `torchrun --nproc_per_node N train.py` (DDP), `--ray N` (Ray Train)
//   predict.py  the trained weights on raw input rows
//   README.md   how to run each; plus the data and weight files of python.ts
// Pure: no fs, no `vscode`, no DOM.
import { alphaOf } from '../nn/activations';
import { EPSILON } from '../nn/loss';
import type { Activation, Initializer, NetworkSpec } from '../spec/types';
import { denseModules, filesTable, initWords, layerSummary, py, PY_NNLAB_ORDER, PY_READ_SAFETENSORS, pyPredictArgs, pythonModules, pythonUnsupported, sharedFiles, trainingConstants, trainingFacts, type PyModule } from './python';
import { pyText } from './text';
import type { ExportFile, ExportInput, Exporter } from './types';

function torchActivation(a: Activation): string {
  switch (a.name) {
    case 'linear':
      return 'nn.Identity()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'relu':
      return 'nn.ReLU()';
    case 'leakyRelu':
      return `nn.LeakyReLU(negative_slope=${py(alphaOf('leakyRelu', a.alpha))})`;
    case 'elu':
      return `nn.ELU(alpha=${py(alphaOf('elu', a.alpha))})`;
    case 'softmax':
      return 'nn.Softmax(dim=-1)';
  }
}

/** One init statement for a tensor (`model.dense_1.weight`, PyTorch layout nₒ×nᵢ). */
function torchInit(init: Initializer, target: string, nIn: number, nOut: number, isBias: boolean): string {
  switch (init.type) {
    case 'zeros':
      return `nn.init.zeros_(${target})`;
    case 'constant':
      return `nn.init.constant_(${target}, ${py(init.value)})`;
    case 'normal':
      return `nn.init.normal_(${target}, mean=${py(init.mean)}, std=${py(init.std)})`;
    case 'uniform':
      return `nn.init.uniform_(${target}, ${py(init.min)}, ${py(init.max)})`;
    case 'he':
      return `nn.init.normal_(${target}, mean=0.0, std=math.sqrt(2 / ${nIn}))`;
    case 'glorot':
      return `limit = math.sqrt(6 / (${nIn} + ${nOut}))\n    nn.init.uniform_(${target}, -limit, limit)`;
    case 'values': {
      if (isBias) return `${target}.copy_(torch.tensor(${JSON.stringify((init.values as number[]).flat())}))`;
      // the spec's W is nᵢ×nₒ (the course's); nn.Linear.weight is its transpose
      return `${target}.copy_(torch.tensor(${JSON.stringify(init.values)}).T)  # the spec's W (${nIn}×${nOut}), transposed`;
    }
  }
}

function modelPy(input: ExportInput, mods: PyModule[]): string {
  const spec = input.spec;
  const f = trainingFacts(input);
  const entries = mods.map((m) => {
    switch (m.kind) {
      case 'flatten':
        return `        ("${m.name}", nn.Flatten()),  # B×${spec.input.shape.join('×')} → B×${spec.input.shape.reduce((a, b) => a * b, 1)}`;
      case 'dense':
        return `        ("${m.name}", nn.Linear(${m.nIn}, ${m.nOut}${m.layer.useBias ? '' : ', bias=False'})),  # z = x·W${m.layer.useBias ? ' + b' : ''}: W ${m.nIn}×${m.nOut} (weight ${m.nOut}×${m.nIn})${m.layer.useBias ? `, b ${m.nOut}` : ''}`;
      case 'activation':
        return `        ("${m.name}", ${torchActivation(m.activation)}),${m.output && f.logits ? '  # output activation: the loss folds it in (logits_of)' : ''}`;
      case 'dropout':
        return `        ("${m.name}", nn.Dropout(p=${py(m.rate)})),  # zeroes a fraction ${py(m.rate)} while training (rescaling the rest), identity in eval()`;
    }
  });
  const inits = denseModules(mods).flatMap((m) => {
    const lines = [`    # ${m.name}: W ${initWords(m.layer.init, m.nIn, m.nOut)}${m.layer.useBias ? `; b ${initWords(m.layer.biasInit, m.nIn, m.nOut)}` : ''}`];
    lines.push(`    ${torchInit(m.layer.init, `model.${m.name}.weight`, m.nIn, m.nOut, false)}`);
    if (m.layer.useBias) lines.push(`    ${torchInit(m.layer.biasInit, `model.${m.name}.bias`, m.nIn, m.nOut, true)}`);
    return lines;
  });
  const out = f.outputActivation?.name;
  return `"""${pyText(spec.name)}: the network of ${pyText(input.specFile)} as PyTorch modules (exported by NN Lab).

${layerSummary(spec)}, loss ${spec.loss}.

Weight layout: NN Lab (and the course) writes a dense layer as z = x·W + b with W of shape nᵢ×nₒ
(x is a row, one sample). PyTorch's nn.Linear stores its weight as nₒ×nᵢ and computes
x·weightᵀ + bias, so every weight here is the transpose of the course's W; biases are the same.
"""
import json
import math
from collections import OrderedDict

import numpy as np
import torch
from torch import nn

INPUT_SHAPE = (${spec.input.shape.join(', ')}${spec.input.shape.length === 1 ? ',' : ''})

# ${f.logits ? `The output ${out} is folded into the loss, as NN Lab's trainer does: ${spec.loss} is computed from the
# logits (the output before ${out}), the numerically stable form. Train logits_of(model); model(x) gives ${out === 'sigmoid' ? 'probabilities' : 'class probabilities'}.` : 'The loss sees the output as it is (no activation is folded into it).'}
LOSS_TAKES_LOGITS = ${f.logits ? 'True' : 'False'}


def build_model():
    """The layers of the spec, in order, named as NN Lab names them."""
    return nn.Sequential(OrderedDict([
${entries.join('\n')}
    ]))


def logits_of(model):
    """The part of the model the loss sees: ${f.logits ? 'all but the output activation (the same parameters)' : 'the whole model'}."""
    return model[:-1] if LOSS_TAKES_LOGITS else model


@torch.no_grad()
def init_like_spec(model):
    """The spec's initialisation, written out (train.py --init spec; seed with torch.manual_seed first).

    PyTorch's own default for nn.Linear differs (Kaiming-uniform weights with a = √5, biases uniform in
    ±1/√nᵢ). These draw from the spec's distributions, but not NN Lab's numbers (NN Lab has its own
    seeded generator): initial.safetensors holds NN Lab's exact starting weights, train.py's default.
    """
${inits.join('\n')}


${PY_READ_SAFETENSORS}

def load_weights(model, path):
    """Loads a .safetensors file (names as in build_model, PyTorch layout) or a torch.save'd state dict."""
    if str(path).endswith(".safetensors"):
        state = {k: torch.from_numpy(v) for k, v in read_safetensors(path).items()}
    else:
        state = torch.load(path, map_location="cpu")
    model.load_state_dict(state)
    return model
`;
}

function lossPy(spec: NetworkSpec, logits: boolean): string {
  switch (spec.loss) {
    case 'mse':
      return `def loss_fn(out, y):
    """mse: the mean of (ŷ − y)² over every element of the batch (NN Lab's mse)."""
    return torch.mean((out - y) ** 2)`;
    case 'binaryCrossentropy':
      return logits
        ? `def loss_fn(out, y):
    """Binary cross-entropy from the logits z, averaged over every output of the batch:
    max(z, 0) − z·y + log(1 + e^(−|z|)), the stable form of −y·log σ(z) − (1 − y)·log(1 − σ(z))."""
    return F.binary_cross_entropy_with_logits(out, y)`
        : `def loss_fn(out, y):
    """Binary cross-entropy of probabilities p (clipped to [${EPSILON}, 1 − ${EPSILON}], as NN Lab does), averaged
    over every output of the batch: −(y·log p + (1 − y)·log(1 − p))."""
    p = out.clamp(${EPSILON}, 1 - ${EPSILON})
    return -torch.mean(y * torch.log(p) + (1 - y) * torch.log(1 - p))`;
    case 'categoricalCrossentropy':
      return logits
        ? `def loss_fn(out, y):
    """Categorical cross-entropy from the logits z: −Σ_classes y·log softmax(z), averaged over the batch."""
    return -(y * F.log_softmax(out, dim=-1)).sum(dim=-1).mean()`
        : `def loss_fn(out, y):
    """Categorical cross-entropy of probabilities p (clipped to [${EPSILON}, 1], as NN Lab does):
    −Σ_classes y·log p, averaged over the batch."""
    return -(y * torch.log(out.clamp(${EPSILON}, 1))).sum(dim=-1).mean()`;
  }
}

function optimizerPy(spec: NetworkSpec): string {
  const o = spec.optimizer;
  switch (o.type) {
    case 'sgd':
      return `    # sgd: w ← w − α·∂L/∂w\n    return torch.optim.SGD(params, lr=${py(o.learningRate)})`;
    case 'momentum':
      return `    # momentum: v ← μ·v + ∂L/∂w, w ← w − α·v (TensorFlow.js's and PyTorch's form alike)\n    return torch.optim.SGD(params, lr=${py(o.learningRate)}, momentum=${py(o.momentum)})`;
    case 'adam':
      return `    # adam with the spec's β₁, β₂ and ε. ε = ${py(o.epsilon)}${o.epsilon === 1e-7 ? " is TensorFlow.js's (NN Lab's) default" : ' is the spec\'s'}; PyTorch's own default is 1e-8.\n    return torch.optim.Adam(params, lr=${py(o.learningRate)}, betas=(${py(o.beta1)}, ${py(o.beta2)}), eps=${py(o.epsilon)})`;
  }
}

function trainPy(input: ExportInput): string {
  const spec = input.spec;
  const f = trainingFacts(input);
  return `"""Train ${pyText(spec.name)} with PyTorch as NN Lab trains it (exported by NN Lab from ${pyText(input.source.kind === 'run' ? `the run ${input.source.path}` : input.specFile)}).

    python train.py                        # one process: the GPU when there is one, else the CPU
    torchrun --nproc_per_node 4 train.py   # data-parallel (DistributedDataParallel) over 4 GPUs or CPU processes
    python train.py --ray 4                # the same through Ray Train's TorchTrainer (pip install "ray[train]")

Everything NN Lab does is written out: the samples it trained on (data/*.npy), its validation split and
batch order (its seeded generator, re-implemented below), its initial weights (initial.safetensors), the
loss in the form its trainer computes it, and the optimiser with the spec's hyper-parameters. With the
default --init nnlab in one process the per-epoch losses are NN Lab's (its metrics.csv), to float32
rounding. Output: <--out>/metrics.csv (one row per epoch) and <--out>/model.pt (the trained state dict).
"""
import argparse
import csv
import json
import math
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.nn.functional as F
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from model import LOSS_TAKES_LOGITS, build_model, init_like_spec, load_weights, logits_of

HERE = Path(__file__).resolve().parent

# ---- the spec's training settings ------------------------------------------------------------------
${trainingConstants(input)}


def make_optimizer(params):
${optimizerPy(spec)}


${lossPy(spec, f.logits)}


# ---- NN Lab's validation split and batch order ------------------------------------------------------
${PY_NNLAB_ORDER}

class NNLabSampler(DistributedSampler):
    """NN Lab's batch order as a DistributedSampler. One process visits the rows in EpochOrders' order.
    With N processes (torchrun, Ray) each takes every N-th position of that order and a batch of
    BATCH_SIZE / N, so that together they see NN Lab's batches, and DDP averages their gradients."""

    def __init__(self, n, steps_per_epoch, shuffle, num_replicas, rank):
        super().__init__(range(n), num_replicas=num_replicas, rank=rank, shuffle=False)
        self.orders = EpochOrders(n, steps_per_epoch, shuffle, SEED)

    def __iter__(self):
        order = list(self.orders(self.epoch))
        while len(order) < self.total_size:  # pad to a multiple of the processes, as DistributedSampler does
            order += order[: self.total_size - len(order)]
        return iter(order[self.rank : self.total_size : self.num_replicas])


def load_data(base):
    """The samples NN Lab trained on, bit for bit (float32)."""
    x = torch.from_numpy(np.load(base / "data" / "x.npy"))
    y = torch.from_numpy(np.load(base / "data" / "y.npy"))
    return x, y


def count_correct(out, y):
    """(correct, counted) for the accuracy NN Lab reports."""
    if ACCURACY == "argmax":
        return (out.argmax(-1) == y.argmax(-1)).sum().item(), len(y)
    cut = 0.0 if LOSS_TAKES_LOGITS else 0.5  # σ(z) ≥ 0.5 ⇔ z ≥ 0
    return ((out > cut) == (y > 0.5)).sum().item(), y.numel()


@torch.no_grad()
def evaluate(net, x, y, device):
    """Mean loss (and accuracy) over a set: no gradients, dropout off."""
    net.eval()
    loss_sum, correct, counted = 0.0, 0, 0
    for s in range(0, len(x), 4096):
        xb, yb = x[s : s + 4096].to(device), y[s : s + 4096].to(device)
        out = net(xb)
        loss_sum += loss_fn(out, yb).item() * len(xb)
        if ACCURACY:
            c, k = count_correct(out, yb)
            correct, counted = correct + c, counted + k
    net.train()
    return loss_sum / len(x), (correct / counted if ACCURACY else None)


def train(args, base=HERE, ray_worker=False):
    # ---- processes: torchrun sets WORLD_SIZE, RANK and LOCAL_RANK; Ray Train starts the process group itself
    if int(os.environ.get("WORLD_SIZE", "1")) > 1 and not dist.is_initialized():
        dist.init_process_group("nccl" if torch.cuda.is_available() and not args.cpu else "gloo")
    rank = dist.get_rank() if dist.is_initialized() else 0
    world = dist.get_world_size() if dist.is_initialized() else 1
    if ray_worker:
        from ray.train.torch import get_device

        device = get_device()
    elif torch.cuda.is_available() and not args.cpu:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")) % torch.cuda.device_count())
        torch.cuda.set_device(device)
    else:
        device = torch.device("cpu")
    log = print if rank == 0 and not args.quiet else (lambda *a, **k: None)  # rank-0 logging
    log(f"device {device}, {world} process{'es' if world > 1 else ''}")

    # ---- data: NN Lab's samples, split as NN Lab splits them
    x, y = load_data(base)
    train_rows, val_rows = split_rows(len(x), VALIDATION_SPLIT, SEED)
    x_train, y_train = x[torch.tensor(train_rows)], y[torch.tensor(train_rows)]
    x_val, y_val = x[torch.tensor(val_rows, dtype=torch.long)], y[torch.tensor(val_rows, dtype=torch.long)]
    n = len(x_train)
    batch = n if BATCH_SIZE == "full" else max(1, min(BATCH_SIZE, n))
    steps = math.ceil(n / batch)
    sampler = NNLabSampler(n, steps, SHUFFLE and batch < n, world, rank)
    loader = DataLoader(TensorDataset(x_train, y_train), batch_size=math.ceil(batch / world), sampler=sampler)

    # ---- model and its starting weights
    model = build_model()
    if args.init == "spec":
        torch.manual_seed(SEED)
        init_like_spec(model)
    else:
        file = base / ("weights.safetensors" if args.init == "trained" else "initial.safetensors")
        if not file.exists():
            sys.exit(f"train.py: {file.name} is not here (--init trained needs an export of a run)")
        load_weights(model, file)
    model.to(device)
    net = logits_of(model)  # what the loss sees (shares the model's parameters)
    if world > 1:
        net = DistributedDataParallel(net, device_ids=[device.index] if device.type == "cuda" else None)
    optimizer = make_optimizer(net.parameters())

    # ---- the loop: forward path, loss, backward path, update — batch by batch
    out_dir = Path(args.out) if Path(args.out).is_absolute() else base / args.out
    rows = []
    for epoch in range(1, args.epochs + 1):
        sampler.set_epoch(epoch - 1)
        t0 = time.perf_counter()
        stats = torch.zeros(4, dtype=torch.float64)  # Σ loss·samples, samples, correct, counted
        for xb, yb in loader:
            xb, yb = xb.to(device), yb.to(device)
            out = net(xb)  # forward path
            loss = loss_fn(out, yb)  # mean over the batch
            optimizer.zero_grad()
            loss.backward()  # backward path: ∂L/∂W, ∂L/∂b (averaged over the processes by DDP)
            optimizer.step()  # update the weights
            stats[0] += loss.item() * len(xb)
            stats[1] += len(xb)
            if ACCURACY:
                c, k = count_correct(out.detach(), yb)
                stats[2] += c
                stats[3] += k
        if world > 1:
            stats = stats.to(device)
            dist.all_reduce(stats)
            stats = stats.cpu()
        row = {"epoch": epoch, "loss": (stats[0] / stats[1]).item(), "val_loss": None,
               "accuracy": (stats[2] / stats[3]).item() if ACCURACY else None, "val_accuracy": None}
        if len(x_val):
            row["val_loss"], row["val_accuracy"] = evaluate(logits_of(model), x_val, y_val, device)
        rows.append(row)
        shown = "  ".join(f"{k} {v:.6g}" for k, v in row.items() if k != "epoch" and v is not None)
        log(f"epoch {epoch}/{args.epochs}  {shown}  ({time.perf_counter() - t0:.2f} s)")
        if ray_worker:
            import ray.train

            ray.train.report({k: v for k, v in row.items() if v is not None})
        if STOP_WHEN_LOSS_BELOW is not None and row["loss"] < STOP_WHEN_LOSS_BELOW:
            log(f"epoch {epoch}: training loss {row['loss']:.4g} < stopWhenLossBelow {STOP_WHEN_LOSS_BELOW}")
            break

    if rank == 0:
        out_dir.mkdir(parents=True, exist_ok=True)
        with open(out_dir / "metrics.csv", "w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]) if rows else ["epoch"])
            w.writeheader()
            w.writerows({k: ("" if v is None else repr(v)) for k, v in r.items()} for r in rows)
        torch.save(model.state_dict(), out_dir / "model.pt")
        log(f"saved {out_dir / 'model.pt'} and metrics.csv")
    if dist.is_initialized() and not ray_worker:
        dist.destroy_process_group()
    return rows


def train_with_ray(args):
    """Ray Train: N workers (processes, on one machine or a cluster), each running train() under DDP."""
    try:
        import ray
        from ray.train import ScalingConfig
        from ray.train.torch import TorchTrainer
    except ImportError:
        sys.exit('train.py --ray: Ray Train is not installed (pip install "ray[train]"); torchrun needs nothing more')
    if not ray.is_initialized():
        ray.init(runtime_env={"working_dir": str(HERE), "excludes": [args.out]})  # ships this folder to the workers
    out = str(Path(args.out) if Path(args.out).is_absolute() else HERE / args.out)

    def worker(config):
        sys.path.insert(0, os.getcwd())  # the shipped folder
        args.out = out
        train(args, base=Path(os.getcwd()), ray_worker=True)

    use_gpu = torch.cuda.is_available() and not args.cpu
    result = TorchTrainer(worker, scaling_config=ScalingConfig(num_workers=args.ray, use_gpu=use_gpu)).fit()
    print(f"Ray Train finished: {result.metrics}")


def main(argv=None):
    p = argparse.ArgumentParser(description="Train ${pyText(spec.name)} as NN Lab does.")
    p.add_argument("--epochs", type=int, default=EPOCHS, help="passes over the data (default: the spec's, %(default)s)")
    p.add_argument("--init", choices=["nnlab", "spec", "trained"], default="nnlab",
                   help="start from NN Lab's initial weights (initial.safetensors, default), a fresh draw from the spec's initialisers, or the run's trained weights (weights.safetensors)")
    p.add_argument("--out", default="out", help="folder for metrics.csv and model.pt (default: %(default)s)")
    p.add_argument("--cpu", action="store_true", help="use the CPU even when a GPU is there")
    p.add_argument("--ray", type=int, default=0, metavar="N", help="train on N Ray Train workers")
    p.add_argument("--quiet", action="store_true", help="no progress lines")
    args = p.parse_args(argv)
    if args.ray:
        train_with_ray(args)
    else:
        train(args)


if __name__ == "__main__":
    main()
`;
}

function predictPy(input: ExportInput): string {
  return `"""The ${pyText(input.spec.name)} network's output for raw input rows (exported by NN Lab).

    python predict.py '[[${input.spec.input.shape.length === 1 ? new Array(input.spec.input.shape[0]).fill(0).join(', ') : '…'}]]'
    python predict.py --file inputs.json --weights out/model.pt

Weights: weights.safetensors (the run's trained weights) when it is here, else out/model.pt (from train.py).
"""
${pyPredictArgs({ framework: 'torch', inputShape: input.spec.input.shape, inputHelp: 'JSON rows, e.g. [[0, 1], [1, 1]]', weightsHelp: 'a .safetensors or .pt file (default: weights.safetensors, else out/model.pt)' })}
    weights = Path(args.weights) if args.weights else next((f for f in (HERE / "weights.safetensors", HERE / "out" / "model.pt") if f.exists()), None)
    if weights is None:
        sys.exit("predict.py: no weights (weights.safetensors comes with an export of a run; or run train.py first)")
    model = load_weights(build_model(), weights).eval()
    with torch.no_grad():
        y = model(torch.from_numpy(standardize(read_inputs(args))))
    print(json.dumps(y.tolist()))


if __name__ == "__main__":
    main()
`;
}

function readme(input: ExportInput): string {
  const spec = input.spec;
  const from = input.source.kind === 'run' ? `the run \`${input.source.path}\`` : `\`${input.specFile}\``;
  return `# ${spec.name} in PyTorch

Exported by NN Lab (\`nnlab export --to pytorch\`) from ${from}: ${layerSummary(spec)}, loss
\`${spec.loss}\`, optimizer \`${spec.optimizer.type}\` (α = ${py(spec.optimizer.learningRate)}), ${spec.training.epochs} epochs of batch ${spec.training.batchSize}.
Needs Python 3 with \`torch\` and \`numpy\` (\`safetensors\` is used when installed, not required).

## Run

\`\`\`sh
python train.py                          # one process: the GPU when PyTorch sees one, else the CPU (--cpu forces it)
python train.py --epochs 5 --out try1    # fewer epochs, another output folder
torchrun --nproc_per_node 4 train.py     # data-parallel on 4 GPUs of this machine (DDP; gloo on CPU, nccl on GPU)
torchrun --nnodes 2 --nproc_per_node 8 --rdzv_backend c10d --rdzv_endpoint HOST:29500 train.py   # on each of 2 machines
python train.py --ray 4                  # 4 Ray Train workers (pip install "ray[train]"; a cluster: ray start first)
python predict.py '[[${spec.input.shape.length === 1 ? new Array(spec.input.shape[0]).fill(0).join(', ') : '…'}]]'${input.trained ? '          # the trained weights of the run' : '          # after train.py (out/model.pt)'}
\`\`\`

Each run writes \`out/metrics.csv\` (loss, val_loss, accuracy, val_accuracy per epoch) and \`out/model.pt\`
(the trained state dict: \`model.load_state_dict(torch.load("out/model.pt"))\`). Only rank 0 logs and writes.
PyTorch 1.13 under Python 3.11 (Debian 12's) needs \`torchrun --redirects 1 --tee 1 …\`: its default "0" fails to parse there.

## Same as NN Lab

- **Data**: \`data/x.npy\` and \`data/y.npy\` are the samples NN Lab trained on, bit for bit; the validation
  split and each epoch's batch order come from NN Lab's seeded generator, re-implemented in \`train.py\`.
- **Initial weights**: \`initial.safetensors\` (\`--init nnlab\`, the default). \`--init spec\` draws fresh
  weights from the spec's initialisers, written out in \`model.py\` (PyTorch's own defaults differ).
- **Layout**: \`nn.Linear.weight\` is nₒ×nᵢ, the transpose of the course's W (nᵢ×nₒ).
- **Loss and optimiser**: as NN Lab's trainer computes them (${trainingFacts(input).logits ? 'from the logits, the output activation folded into the loss; ' : ''}see \`loss_fn\` and \`make_optimizer\`).
- With one process and \`--init nnlab\`, the per-epoch losses equal NN Lab's \`metrics.csv\` to float32
  rounding${spec.layers.some((l) => l.type === 'dropout') ? ' — except that dropout draws other masks here, so with dropout they differ' : ''}. With N processes each takes BATCH_SIZE / N samples of every batch
  (the same global batches, DDP averages the gradients), so the losses stay close.

## Files

${filesTable(input, [
  ['`model.py`', 'the network as `nn.Sequential`, the spec\'s initialisation, the weight reader'],
  ['`train.py`', 'the training loop (one process, torchrun, Ray)'],
  ['`predict.py`', 'the output for raw input rows'],
])}
`;
}

export const pytorchExporter: Exporter = {
  title: 'PyTorch: model.py, train.py (python, torchrun, Ray), predict.py, data and weights',
  unsupported: (input) => pythonUnsupported(input, 'pytorch'),
  export(input: ExportInput): ExportFile[] {
    const mods = pythonModules(input.spec);
    return [
      { path: 'README.md', data: readme(input) },
      { path: 'model.py', data: modelPy(input, mods) },
      { path: 'train.py', data: trainPy(input) },
      { path: 'predict.py', data: predictPy(input) },
      ...sharedFiles(input, mods),
    ];
  },
};
