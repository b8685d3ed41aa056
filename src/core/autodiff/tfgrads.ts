// The TensorFlow.js oracle: the same network, built by the trainer's own Model (src/core/train/model.ts)
// on tfjs-core's pure-JS CPU backend, differentiated by tf.variableGrads. Used by `nnlab grad` and the
// tests to check the tape. Not exported from ./index: it loads TensorFlow.js, which the extension host
// must not. Pure: no `vscode`, no DOM.
import type { NetworkSpec } from '../spec/types';
import type { LayerWeights } from '../../protocol/training';
import { Model } from '../train/model';
import { cpuBackend } from '../train/backends/cpu';
import type { TfCore } from '../train/backend';
import type { Sample } from './network';

let ready: Promise<TfCore> | undefined;
/** The trainer's own CPU backend loader (production mode, gradients registered). */
async function cpu(): Promise<TfCore> {
  ready ??= cpuBackend.load({ modulePaths: [] }).then((b) => b.tf);
  return ready;
}

export interface TfGradients {
  loss: number;
  /** per dense layer, in spec order */
  grads: { W: number[][]; b?: number[] }[];
}

/** ∂L/∂W and ∂L/∂b from tf.variableGrads for one sample (float32). */
export async function tfGradients(spec: NetworkSpec, weights: LayerWeights[], sample: Sample): Promise<TfGradients> {
  const tf = await cpu();
  const model = new Model(tf, spec, weights);
  try {
    const { value, grads } = tf.tidy(() => {
      const x = tf.tensor(sample.x, [1, ...spec.input.shape], 'float32');
      const y = tf.tensor2d(sample.y, [1, sample.y.length], 'float32');
      return tf.variableGrads(() => model.loss(model.forward(x, { training: false, logits: true }), y), model.variables());
    });
    const loss = (await value.data())[0];
    const out = model.dense.map((d) => {
      const gW = grads[d.W.name];
      const gb = d.b ? grads[d.b.name] : undefined;
      return { W: gW.arraySync() as number[][], b: gb ? (gb.arraySync() as number[]) : undefined };
    });
    value.dispose();
    for (const k of Object.keys(grads)) grads[k].dispose();
    return { loss, grads: out };
  } finally {
    model.dispose();
  }
}
