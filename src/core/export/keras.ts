// `--to keras`: Keras 3 code for the same model and training (any Keras backend: JAX, TensorFlow,
// PyTorch), the run's trained weights loaded from weights.safetensors. The same data, split, batch
// order and initial weights as the PyTorch export (python.ts). Pure: no fs, no `vscode`, no DOM.
import { alphaOf } from '../nn/activations';
import { EPSILON } from '../nn/loss';
import type { Activation, Initializer, NetworkSpec } from '../spec/types';
import { denseModules, filesTable, initWords, layerSummary, py, PY_NNLAB_ORDER, PY_READ_SAFETENSORS, pyPredictArgs, pythonModules, pythonUnsupported, pyStr, sharedFiles, trainingConstants, trainingFacts, type PyModule } from './python';
import { pyText } from './text';
import type { ExportFile, ExportInput, Exporter } from './types';

function kerasActivation(a: Activation, name: string): string {
  switch (a.name) {
    case 'leakyRelu':
      return `layers.LeakyReLU(negative_slope=${py(alphaOf('leakyRelu', a.alpha))}, name="${name}")`;
    case 'elu':
      return `layers.ELU(alpha=${py(alphaOf('elu', a.alpha))}, name="${name}")`;
    default:
      return `layers.Activation("${a.name}", name="${name}")`;
  }
}

function kerasInit(init: Initializer, nIn: number, nOut: number): string {
  switch (init.type) {
    case 'zeros':
      return '"zeros"';
    case 'constant':
      return `initializers.Constant(${py(init.value)})`;
    case 'normal':
      return `initializers.RandomNormal(mean=${py(init.mean)}, stddev=${py(init.std)}, seed=SEED)`;
    case 'uniform':
      return `initializers.RandomUniform(${py(init.min)}, ${py(init.max)}, seed=SEED)`;
    case 'he':
      // Keras' HeNormal is a truncated normal; the spec's He is N(0, 2/nᵢ)
      return `initializers.RandomNormal(mean=0.0, stddev=math.sqrt(2 / ${nIn}), seed=SEED)`;
    case 'glorot':
      return `initializers.RandomUniform(-math.sqrt(6 / (${nIn} + ${nOut})), math.sqrt(6 / (${nIn} + ${nOut})), seed=SEED)`;
    case 'values':
      // the spec's numbers as they are: Keras' kernel is nᵢ×nₒ like the spec's W
      return `lambda shape, dtype=None: np.array(${JSON.stringify(init.values)}, dtype="float32").reshape(shape)`;
  }
}

function modelPy(input: ExportInput, mods: PyModule[]): string {
  const spec = input.spec;
  const f = trainingFacts(input);
  const entries = mods.map((m) => {
    switch (m.kind) {
      case 'flatten':
        return `        layers.Flatten(name="${m.name}"),`;
      case 'dense':
        return `        # ${m.name}: z = x·W${m.layer.useBias ? ' + b' : ''}, kernel W ${m.nIn}×${m.nOut} (Keras keeps the course's layout); W ${initWords(m.layer.init, m.nIn, m.nOut)}\n        layers.Dense(${m.nOut}, use_bias=${m.layer.useBias ? 'True' : 'False'}, kernel_initializer=${kerasInit(m.layer.init, m.nIn, m.nOut)}${m.layer.useBias ? `, bias_initializer=${kerasInit(m.layer.biasInit, m.nIn, m.nOut)}` : ''}, name="${m.name}"),`;
      case 'activation':
        return `        ${kerasActivation(m.activation, m.name)},${m.output && f.logits ? '  # output activation: the loss folds it in (logits_of)' : ''}`;
      case 'dropout':
        return `        layers.Dropout(${py(m.rate)}, seed=SEED, name="${m.name}"),  # training only`;
    }
  });
  const dense = denseModules(mods);
  return `"""${pyText(spec.name)}: the network of ${pyText(input.specFile)} in Keras 3 (exported by NN Lab).

${layerSummary(spec)}, loss ${spec.loss}. Keras' Dense keeps its kernel as nᵢ×nₒ, the course's W
(PyTorch's nn.Linear stores the transpose; the .safetensors files here are in PyTorch's layout).
"""
import json
import math

import numpy as np
import keras
from keras import initializers, layers

INPUT_SHAPE = (${spec.input.shape.join(', ')}${spec.input.shape.length === 1 ? ',' : ''})
SEED = ${spec.training.seed}
DENSE = ${JSON.stringify(dense.map((m) => m.name))}  # the dense layers, in order
# ${f.logits ? `The output activation is folded into the loss (from_logits=True), as NN Lab's trainer does.` : 'The loss sees the output as it is.'}
LOSS_TAKES_LOGITS = ${f.logits ? 'True' : 'False'}


def build_model():
    """The layers of the spec, in order, named as NN Lab names them. The initialisers draw from the
    spec's distributions (Keras' own defaults differ), not NN Lab's numbers: initial.safetensors has those."""
    return keras.Sequential([
        keras.Input(shape=INPUT_SHAPE),
${entries.join('\n')}
    ], name=${pyStr(spec.name.replace(/[^A-Za-z0-9_.-]+/g, '_') || 'network')})


def logits_of(model):
    """The part of the model the loss sees (the same layers and weights)."""
    if not LOSS_TAKES_LOGITS:
        return model
    return keras.Sequential([keras.Input(shape=INPUT_SHAPE)] + model.layers[:-1])


${PY_READ_SAFETENSORS}

def load_weights(model, path):
    """Sets the dense layers from a .safetensors file (PyTorch layout: weight nₒ×nᵢ, so transposed to
    Keras' kernel nᵢ×nₒ) or a Keras .weights.h5 file."""
    if not str(path).endswith(".safetensors"):
        model.load_weights(path)
        return model
    t = read_safetensors(path)
    for name in DENSE:
        layer = model.get_layer(name)
        layer.set_weights([t[name + ".weight"].T] + ([t[name + ".bias"]] if layer.use_bias else []))
    return model
`;
}

function lossPy(spec: NetworkSpec, logits: boolean): string {
  switch (spec.loss) {
    case 'mse':
      return '# mse: the mean of (ŷ − y)² over every element\nLOSS = keras.losses.MeanSquaredError()';
    case 'binaryCrossentropy':
      return logits ? '# binary cross-entropy from the logits, averaged over every output\nLOSS = keras.losses.BinaryCrossentropy(from_logits=True)' : `# binary cross-entropy of probabilities (clipped at ${EPSILON}, as NN Lab)\nLOSS = keras.losses.BinaryCrossentropy()`;
    case 'categoricalCrossentropy':
      return logits
        ? '# categorical cross-entropy from the logits: −Σ y·log softmax(z), averaged over the batch\nLOSS = keras.losses.CategoricalCrossentropy(from_logits=True)'
        : '# categorical cross-entropy of probabilities (Keras rescales each row to sum 1 first; NN Lab does not)\nLOSS = keras.losses.CategoricalCrossentropy()';
  }
}

function optimizerPy(spec: NetworkSpec): string {
  const o = spec.optimizer;
  switch (o.type) {
    case 'sgd':
      return `return keras.optimizers.SGD(learning_rate=${py(o.learningRate)})`;
    case 'momentum':
      return `return keras.optimizers.SGD(learning_rate=${py(o.learningRate)}, momentum=${py(o.momentum)})`;
    case 'adam':
      return `# Keras adds ε to √v·… after the bias correction of the step size, TensorFlow.js (NN Lab) to √v̂: a hair apart\n    return keras.optimizers.Adam(learning_rate=${py(o.learningRate)}, beta_1=${py(o.beta1)}, beta_2=${py(o.beta2)}, epsilon=${py(o.epsilon)})`;
  }
}

function trainPy(input: ExportInput): string {
  const spec = input.spec;
  const f = trainingFacts(input);
  const metric = f.accuracy === 'argmax' ? '[keras.metrics.CategoricalAccuracy(name="accuracy")]' : f.accuracy === 'threshold' ? `[keras.metrics.BinaryAccuracy(name="accuracy", threshold=${f.logits ? '0.0' : '0.5'})]` : '[]';
  return `"""Train ${pyText(spec.name)} with Keras 3 as NN Lab trains it (exported by NN Lab from ${pyText(input.source.kind === 'run' ? `the run ${input.source.path}` : input.specFile)}).

    python train.py                  # KERAS_BACKEND=jax|tensorflow|torch picks the engine
    python train.py --init trained   # continue from the run's trained weights

The samples (data/*.npy), validation split, batch order and initial weights are NN Lab's.
Output: <--out>/metrics.csv and <--out>/model.keras.
"""
import argparse
import json
import math
import sys
from pathlib import Path

import numpy as np
import keras

from model import INPUT_SHAPE, build_model, load_weights, logits_of

HERE = Path(__file__).resolve().parent

# ---- the spec's training settings ------------------------------------------------------------------
${trainingConstants(input)}

${lossPy(spec, f.logits)}


def make_optimizer():
    ${optimizerPy(spec)}


# ---- NN Lab's validation split and batch order ------------------------------------------------------
${PY_NNLAB_ORDER}

class NNLabBatches(keras.utils.PyDataset):
    """The training rows in NN Lab's batches: EpochOrders' order, a new one every epoch."""

    def __init__(self, x, y, batch, shuffle, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch = x, y, batch
        self.orders = EpochOrders(len(x), math.ceil(len(x) / batch), shuffle, SEED)
        self.epoch, self.order = 0, self.orders(0)

    def __len__(self):
        return math.ceil(len(self.x) / self.batch)

    def __getitem__(self, i):
        rows = self.order[i * self.batch : (i + 1) * self.batch]
        return self.x[rows], self.y[rows]

    def on_epoch_end(self):
        self.epoch += 1
        self.order = self.orders(self.epoch)


class StopWhenLossBelow(keras.callbacks.Callback):
    def on_epoch_end(self, epoch, logs=None):
        if STOP_WHEN_LOSS_BELOW is not None and logs and logs["loss"] < STOP_WHEN_LOSS_BELOW:
            self.model.stop_training = True


def main(argv=None):
    p = argparse.ArgumentParser(description="Train ${pyText(spec.name)} with Keras as NN Lab does.")
    p.add_argument("--epochs", type=int, default=EPOCHS)
    p.add_argument("--init", choices=["nnlab", "spec", "trained"], default="nnlab",
                   help="NN Lab's initial weights (default), the spec's initialisers, or the run's trained weights")
    p.add_argument("--out", default="out")
    args = p.parse_args(argv)

    x, y = np.load(HERE / "data" / "x.npy"), np.load(HERE / "data" / "y.npy")
    train_rows, val_rows = split_rows(len(x), VALIDATION_SPLIT, SEED)
    x_train, y_train, x_val, y_val = x[train_rows], y[train_rows], x[val_rows], y[val_rows]
    n = len(x_train)
    batch = n if BATCH_SIZE == "full" else max(1, min(BATCH_SIZE, n))

    model = build_model()
    if args.init != "spec":
        file = HERE / ("weights.safetensors" if args.init == "trained" else "initial.safetensors")
        if not file.exists():
            sys.exit(f"train.py: {file.name} is not here (--init trained needs an export of a run)")
        load_weights(model, file)
    net = logits_of(model)
    net.compile(optimizer=make_optimizer(), loss=LOSS, metrics=${metric})
    out = HERE / args.out
    out.mkdir(parents=True, exist_ok=True)
    net.fit(
        NNLabBatches(x_train, y_train, batch, SHUFFLE and batch < n),
        epochs=args.epochs,
        validation_data=(x_val, y_val) if len(val_rows) else None,
        shuffle=False,  # the order is NN Lab's (NNLabBatches)
        callbacks=[keras.callbacks.CSVLogger(str(out / "metrics.csv")), StopWhenLossBelow()],
    )
    model.save(out / "model.keras")
    print(f"saved {out / 'model.keras'} and metrics.csv")


if __name__ == "__main__":
    main()
`;
}

function predictPy(input: ExportInput): string {
  return `"""The ${pyText(input.spec.name)} network's output for raw input rows, in Keras 3 (exported by NN Lab).

    python predict.py '[[…]]'   (weights.safetensors when here, else --weights out/model.keras)
"""
${pyPredictArgs({ framework: 'keras', inputShape: input.spec.input.shape, inputHelp: 'JSON rows', weightsHelp: 'a .safetensors, .weights.h5 or .keras file' })}
    weights = Path(args.weights) if args.weights else HERE / "weights.safetensors"
    if str(weights).endswith(".keras"):
        model = keras.saving.load_model(weights)
    elif weights.exists():
        model = load_weights(build_model(), weights)
    else:
        sys.exit("predict.py: no weights (weights.safetensors comes with an export of a run; or pass --weights out/model.keras)")
    print(json.dumps(np.asarray(model.predict(standardize(read_inputs(args)), verbose=0)).tolist()))


if __name__ == "__main__":
    main()
`;
}

function readme(input: ExportInput): string {
  const spec = input.spec;
  return `# ${spec.name} in Keras 3

Exported by NN Lab (\`nnlab export --to keras\`) from ${input.source.kind === 'run' ? `the run \`${input.source.path}\`` : `\`${input.specFile}\``}: ${layerSummary(spec)}, loss \`${spec.loss}\`.
Needs Python 3 with \`keras\` (3.x) and a backend (\`jax\`, \`tensorflow\` or \`torch\`; \`KERAS_BACKEND\` picks it).

\`\`\`sh
python train.py                  # NN Lab's data, split, batch order and initial weights → out/metrics.csv, out/model.keras
python train.py --init trained   # continue from the run's weights
python predict.py '[[…]]'        # raw input rows → outputs (weights.safetensors, or --weights out/model.keras)
\`\`\`

Keras' Dense kernel is nᵢ×nₒ, the course's W; the \`.safetensors\` files are in PyTorch's layout (nₒ×nᵢ)
and \`load_weights\` transposes them. Keras' Adam adds ε at a slightly different place than NN Lab's
(TensorFlow.js's), so losses agree closely but not to the last digit.

${filesTable(input, [
  ['`model.py`', 'the network as `keras.Sequential`, the spec\'s initialisers, `load_weights`'],
  ['`train.py`', 'the training (`model.fit` over NN Lab\'s batches)'],
  ['`predict.py`', 'the output for raw input rows'],
])}
`;
}

export const kerasExporter: Exporter = {
  title: 'Keras 3: model.py, train.py, predict.py, data and weights',
  unsupported: (input) => pythonUnsupported(input, 'keras'),
  export(input: ExportInput): ExportFile[] {
    const mods = pythonModules(input.spec);
    return [{ path: 'README.md', data: readme(input) }, { path: 'model.py', data: modelPy(input, mods) }, { path: 'train.py', data: trainPy(input) }, { path: 'predict.py', data: predictPy(input) }, ...sharedFiles(input, mods)];
  },
};
