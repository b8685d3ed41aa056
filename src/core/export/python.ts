// What the Python exports (pytorch.ts, keras.ts) share: the module names of the layers, Python
// literals, the data and weight files, and NN Lab's seeded generator, validation split and batch
// order re-implemented in Python so an exported script visits the same rows in the same order.
// Pure: no fs, no `vscode`, no DOM.
import type { Activation, DenseLayer, Initializer, NetworkSpec } from '../spec/types';
import { denseFanIns } from '../train/init';
import { outputFoldedIntoLoss } from '../train/model';
import { accuracyKind } from '../train/trainer';
import { preprocessingDocument, PREPROCESSING_FILE } from '../data/preprocess';
import { npyFloat32, safetensors, torchTensors } from './arrays';
import { ExportError, type ExportFile, type ExportInput } from './types';

/** A Python literal for a finite number (JS's shortest round-trip form is valid Python). */
export function py(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  return String(n);
}

/** A Python string literal. */
export const pyStr = (s: string): string => JSON.stringify(s);

const PY_KEYWORDS = new Set('False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(' '));

/** One module of the exported nn.Sequential / keras.Sequential, in order. */
export type PyModule =
  | { kind: 'flatten'; name: string }
  | { kind: 'dense'; name: string; layer: DenseLayer; index: number; nIn: number; nOut: number }
  | { kind: 'activation'; name: string; activation: Activation; output: boolean }
  | { kind: 'dropout'; name: string; rate: number };

/**
 * The network as a list of named modules: Flatten, Linear/Dense, one module per activation (none for
 * linear), Dropout. Names are the spec's (`dense_1`, or the layer's own `name`) made into Python
 * identifiers, unique; the activation of dense_1 is `dense_1_tanh`.
 */
export function pythonModules(spec: NetworkSpec): PyModule[] {
  const used = new Set<string>();
  const ident = (raw: string): string => {
    let base = raw.replace(/[^A-Za-z0-9_]+/g, '_') || 'layer';
    if (/^[0-9]/.test(base)) base = `layer_${base}`;
    if (PY_KEYWORDS.has(base)) base += '_';
    let n = base;
    for (let i = 2; used.has(n); i++) n = `${base}_${i}`;
    used.add(n);
    return n;
  };
  const fans = denseFanIns(spec);
  const lastDense = fans.at(-1)?.index;
  const out: PyModule[] = [];
  let flatten = 0;
  let dropout = 0;
  let d = 0;
  spec.layers.forEach((l, index) => {
    if (l.type === 'flatten') out.push({ kind: 'flatten', name: ident(l.name ?? `flatten_${++flatten}`) });
    else if (l.type === 'dropout') out.push({ kind: 'dropout', name: ident(l.name ?? `dropout_${++dropout}`), rate: l.rate });
    else {
      const f = fans[d++]!;
      const name = ident(f.name);
      out.push({ kind: 'dense', name, layer: l, index, nIn: f.nIn, nOut: l.units });
      if (l.activation.name !== 'linear') out.push({ kind: 'activation', name: ident(`${name}_${l.activation.name.toLowerCase()}`), activation: l.activation, output: index === lastDense });
    }
  });
  return out;
}

export const denseModules = (mods: readonly PyModule[]): Extract<PyModule, { kind: 'dense' }>[] => mods.filter((m): m is Extract<PyModule, { kind: 'dense' }> => m.kind === 'dense');

/** "2 → 4 (tanh) → 1 (sigmoid)" */
export function layerSummary(spec: NetworkSpec): string {
  const parts = [spec.input.shape.join('×')];
  for (const f of denseFanIns(spec)) parts.push(`${f.layer.units}${f.layer.activation.name === 'linear' ? '' : ` (${f.layer.activation.name})`}`);
  return parts.join(' → ');
}

/** The spec's initialiser in words, as the course states it, for comments. */
export function initWords(init: Initializer, nIn: number, nOut: number): string {
  switch (init.type) {
    case 'zeros':
      return 'zeros';
    case 'constant':
      return `constant ${py(init.value)}`;
    case 'normal':
      return `normal N(${py(init.mean)}, ${py(init.std)}²)`;
    case 'uniform':
      return `uniform U(${py(init.min)}, ${py(init.max)})`;
    case 'he':
      return `He: N(0, 2/nᵢ), σ = √(2/${nIn})`;
    case 'glorot':
      return `Glorot uniform: U(±√(6/(nᵢ+nₒ))) = U(±√(6/${nIn + nOut}))`;
    case 'values':
      return 'explicit values from the spec';
  }
}

/** The training facts both scripts write out as constants (the trainer's own rules). */
export function trainingFacts(input: ExportInput): {
  logits: boolean;
  accuracy: 'argmax' | 'threshold' | 'none';
  outputActivation: Activation | undefined;
} {
  const spec = input.spec;
  return { logits: outputFoldedIntoLoss(spec), accuracy: accuracyKind(spec) ?? 'none', outputActivation: denseFanIns(spec).at(-1)?.layer.activation };
}

/** What every Python export needs and the data does not provide: refusals, exact sentences. */
export function pythonUnsupported(input: ExportInput, target: string): string[] {
  const out: string[] = [];
  if (!input.data) out.push(`--to ${target} writes a train.py that needs the data: the spec has no "data" section (add one, e.g. {"type": "generator", "name": "xor"})`);
  return out;
}

/**
 * The files both Python exports carry: data/x.npy and data/y.npy (the samples exactly as NN Lab
 * trains on them), initial.safetensors (NN Lab's starting weights), weights.safetensors (a run's
 * trained weights), preprocessing.json (a standardisation to apply to raw inputs) and spec.nn.json.
 * Weights are stored under the PyTorch module names in PyTorch's layout (weight nₒ×nᵢ).
 */
export function sharedFiles(input: ExportInput, mods: readonly PyModule[]): ExportFile[] {
  const { data } = input;
  if (!data) throw new ExportError('no data to export');
  const names = denseModules(mods).map((m) => m.name);
  const meta = { format: 'pt', generator: 'NN Lab', spec: input.specFile };
  const files: ExportFile[] = [
    { path: 'data/x.npy', data: npyFloat32(data.x, data.xShape) },
    { path: 'data/y.npy', data: npyFloat32(data.y, data.yShape) },
    { path: 'initial.safetensors', data: safetensors(torchTensors(input.initial, names), { ...meta, weights: `initial (seed ${input.spec.training.seed})` }) },
  ];
  if (input.trained) files.push({ path: 'weights.safetensors', data: safetensors(torchTensors(input.trained, names), { ...meta, weights: `trained (${input.source.path})` }) });
  if (input.preprocessing?.standardize) files.push({ path: PREPROCESSING_FILE, data: JSON.stringify(preprocessingDocument(input.preprocessing), null, 2) + '\n' });
  files.push({ path: 'spec.nn.json', data: JSON.stringify(input.spec, null, 2) + '\n' });
  return files;
}

/** The spec's training settings as Python constants (same names in both exports). */
export function trainingConstants(input: ExportInput): string {
  const t = input.spec.training;
  const f = trainingFacts(input);
  return [
    `EPOCHS = ${t.epochs}`,
    `BATCH_SIZE = ${t.batchSize === 'full' ? '"full"' : t.batchSize}  # samples per step; "full": every training sample in one step (gradient descent)`,
    `SHUFFLE = ${t.shuffle ? 'True' : 'False'}  # visit the training rows in a new order every epoch (NN Lab's order, see EpochOrders)`,
    `SEED = ${t.seed}`,
    `VALIDATION_SPLIT = ${py(t.validationSplit)}  # fraction of the samples held out (NN Lab's split, see split_rows)`,
    `STOP_WHEN_LOSS_BELOW = ${t.stopWhenLossBelow === undefined ? 'None' : py(t.stopWhenLossBelow)}  # stop once an epoch's training loss is below it`,
    `ACCURACY = ${f.accuracy === 'none' ? 'None' : pyStr(f.accuracy)}  # "argmax": the largest output is the class; "threshold": output ≥ 0.5 per output; None: regression`,
  ].join('\n');
}

/** NN Lab's random stream, validation split and batch order, in plain Python (no framework). */
export const PY_NNLAB_ORDER = `class Mulberry32:
    """NN Lab's seeded generator (mulberry32): uniform numbers in [0, 1), the same on every machine."""

    def __init__(self, seed):
        self.state = int(seed) & 0xFFFFFFFF

    def __call__(self):
        m = 0xFFFFFFFF
        self.state = (self.state + 0x6D2B79F5) & m
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & m
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & m)) & m
        return ((t ^ (t >> 14)) & m) / 4294967296


def permutation(rng, n):
    """A Fisher–Yates permutation of 0 … n−1, drawn as NN Lab draws it."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = int(rng() * (i + 1))
        order[i], order[j] = order[j], order[i]
    return order


def split_rows(n, validation_split, seed):
    """NN Lab's validation split: round(n · split) rows (at most n − 1) held out, chosen by a permutation
    seeded with the spec's seed (robust to files sorted by class). Returns (training rows, validation rows)."""
    n_val = max(0, min(n - 1, math.floor(n * validation_split + 0.5))) if validation_split > 0 else 0
    if n_val == 0:
        return list(range(n)), []
    order = permutation(Mulberry32(seed), n)
    return order[: n - n_val], order[n - n_val :]


class EpochOrders:
    """The order NN Lab's trainer visits the training rows in, epoch by epoch. One stream (mulberry32
    seeded with seed XOR 0x5BD1E995) draws each epoch's permutation, then one number per step (NN Lab's
    dropout seed: not used here, drawn so that the stream stays in step). Without shuffling, or with
    one batch per epoch, the rows keep their order."""

    def __init__(self, n, steps_per_epoch, shuffle, seed):
        self.n, self.steps, self.shuffle, self.seed = n, steps_per_epoch, shuffle, seed
        self._restart()

    def _restart(self):
        self.rng = Mulberry32((int(self.seed) & 0xFFFFFFFF) ^ 0x5BD1E995)
        self.epoch, self.order = -1, list(range(self.n))

    def __call__(self, epoch):
        """The row order of epoch \`epoch\` (0-based)."""
        if not self.shuffle:
            return list(range(self.n))
        if epoch < self.epoch:
            self._restart()
        while self.epoch < epoch:
            self.order = permutation(self.rng, self.n)
            for _ in range(self.steps):
                self.rng()
            self.epoch += 1
        return self.order
`;

/** Reads a safetensors file into NumPy arrays (safetensors' own reader when installed). */
export const PY_READ_SAFETENSORS = `def read_safetensors(path):
    """name → float32 NumPy array from a .safetensors file: the package's reader when it is installed,
    else the format read directly (8-byte header length, JSON header, raw little-endian tensors)."""
    try:
        from safetensors.numpy import load_file
    except ImportError:
        pass
    else:
        return load_file(str(path))
    with open(path, "rb") as f:
        header = json.loads(f.read(int.from_bytes(f.read(8), "little")))
        data = f.read()
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        start, end = info["data_offsets"]
        assert info["dtype"] == "F32", f"{name}: expected F32, got {info['dtype']}"
        out[name] = np.frombuffer(data[start:end], dtype="<f4").reshape(info["shape"]).copy()
    return out
`;

/** Applies preprocessing.json's standardisation to raw input rows (predict.py in both exports). */
const PY_STANDARDIZE = `def standardize(x):
    """Raw inputs → what the network was trained on: preprocessing.json's x' = (x − mean) / std per
    feature (x − mean where std = 0), the training rows' statistics. Without the file: unchanged."""
    path = HERE / "preprocessing.json"
    if not path.exists():
        return x.astype(np.float32)
    s = json.loads(path.read_text())["standardize"]
    mean, std = np.array(s["mean"], dtype=np.float64), np.array(s["std"], dtype=np.float64)
    flat = x.reshape(len(x), -1).astype(np.float64) - mean
    flat = np.where(std > 0, flat / np.where(std > 0, std, 1), flat)
    return flat.astype(np.float32).reshape(x.shape)
`;

/** Reading predict.py's input rows from the command line or a file. */
function pyReadInputs(inputShape: readonly number[]): string {
  return `def read_inputs(args):
    """Input rows as JSON (one sample per row, flat or shaped ${inputShape.join('×')}), in raw units."""
    text = args.input if args.input is not None else Path(args.file).read_text()
    x = np.array(json.loads(text), dtype=np.float64)
    per = ${inputShape.reduce((a, b) => a * b, 1)}
    if x.size % per or x.size == 0:
        sys.exit(f"predict.py: {x.size} numbers; each sample needs {per} (input shape ${inputShape.join('×')})")
    return x.reshape((-1,) + INPUT_SHAPE)
`;
}

/**
 * predict.py from its imports to its parsed arguments, the same in both exports: `framework` is the
 * module imported after numpy, the help texts name the export's own inputs and weight files. The
 * export's `main` goes on from there (`args` parsed, input or --file given) to load its weights.
 */
export function pyPredictArgs(o: { framework: string; inputShape: readonly number[]; inputHelp: string; weightsHelp: string }): string {
  return `import argparse
import json
import sys
from pathlib import Path

import numpy as np
import ${o.framework}

from model import INPUT_SHAPE, build_model, load_weights

HERE = Path(__file__).resolve().parent


${PY_STANDARDIZE}

${pyReadInputs(o.inputShape)}

def main(argv=None):
    p = argparse.ArgumentParser(description="Predict with the exported network.")
    p.add_argument("input", nargs="?", help=${pyStr(o.inputHelp)})
    p.add_argument("--file", help="read the JSON rows from a file")
    p.add_argument("--weights", help=${pyStr(o.weightsHelp)})
    args = p.parse_args(argv)
    if args.input is None and args.file is None:
        p.error("give the input rows as JSON or --file")`;
}

/** The README section both exports share: the files. */
export function filesTable(input: ExportInput, extra: [string, string][]): string {
  const rows: [string, string][] = [
    ...extra,
    ['`data/x.npy`, `data/y.npy`', `the ${input.data?.xShape[0] ?? 0} samples exactly as NN Lab trains on them (float32; x ${input.data?.xShape.slice(1).join('×')}, y ${input.data?.yShape[1]} per sample${input.data?.classes ? `, one-hot over ${input.data.classes.map((c) => `"${c}"`).join(', ')}` : ''}${input.preprocessing?.standardize ? ', features already standardised' : ''})`],
    ['`initial.safetensors`', `NN Lab's initial weights (seed ${input.spec.training.seed}), where training starts`],
  ];
  if (input.trained) rows.push(['`weights.safetensors`', `the trained weights of the run \`${input.source.path}\``]);
  if (input.preprocessing?.standardize) rows.push([`\`${PREPROCESSING_FILE}\``, "the training rows' mean and std per feature; `predict.py` applies them to raw inputs"]);
  rows.push(['`spec.nn.json`', 'the spec as NN Lab read it (defaults filled in)']);
  return ['| file | what |', '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
}
