// The graph panel's state (src/core/view/graphState.ts), apart from its DOM: fit and zoom maths, the
// forward trace and gradients on the sample, and which worker events ask for fresh weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphState, ZOOM, bestFit, fitTransform, formulaSampleAt, labelPxAtFit, viewBoxOf, wheelFactor, zoomAbout, zoomKey } from '../../../src/core/view/graphState';
import { formulaCard } from '../../../src/core/explain/formula';
import { buildSpecView } from '../../../src/core/view/specView';

test('fit centres the drawing in the stage with a margin, at most 2×; zoom keeps the point under the cursor', () => {
  assert.deepEqual(fitTransform({ w: 100, h: 50 }, { w: 224, h: 124 }), { k: 2, tx: 12, ty: 12 });
  // a wide drawing in a small stage: scaled down to the width
  assert.deepEqual(fitTransform({ w: 976, h: 100 }, { w: 512, h: 400 }), { k: 0.5, tx: 12, ty: 175 });
  const t = zoomAbout({ tx: 0, ty: 0, k: 1 }, 2, 50, 30);
  assert.deepEqual(t, { k: 2, tx: -50, ty: -30 });
  // the world point under (50, 30) before and after
  assert.deepEqual([(50 - t.tx) / t.k, (30 - t.ty) / t.k], [50, 30]);
  assert.equal(zoomAbout(t, 100, 0, 0).k, ZOOM.max);
  assert.equal(zoomAbout(t, 1e-6, 0, 0).k, ZOOM.min);
});

test('the trace and gradients of one sigmoid unit on one sample', () => {
  const s = new GraphState();
  s.spec = buildSpecView('file:///w/one.nn.json', JSON.stringify({ input: { shape: [2] }, layers: [{ type: 'dense', units: 1, activation: 'sigmoid' }], loss: 'mse' }));
  assert.equal(s.recompute(), undefined);
  assert.equal(s.trace, undefined, 'no weights yet: nothing computed');
  s.setWeights([{ layer: 0, name: 'dense_1', W: [[0.5], [-0.25]], b: [0.1] }], 7);
  s.sample = { x: [[1, 2]], y: [[1]] };
  assert.equal(s.recompute(), undefined);
  const a = 1 / (1 + Math.exp(-0.1)); // z = 1·0.5 + 2·(−0.25) + 0.1 = 0.1
  assert.ok(Math.abs(s.trace!.z[0]![0]! - 0.1) < 1e-12);
  assert.ok(Math.abs(s.trace!.a[0]![0]! - a) < 1e-12);
  const g = s.grads!.layers.find((l) => l.layer === 0)!;
  // ∂L/∂w₁ and ∂L/∂w₂ differ by the input: x₂ = 2·x₁
  assert.ok(g.dW[0]![0]! < 0, 'raising w₁ raises ŷ towards y = 1');
  assert.ok(Math.abs(g.dW[1]![0]! - 2 * g.dW[0]![0]!) < 1e-12);
  assert.equal(s.weightsStep, 7);
  // weights that do not fit the spec: the reason, nothing computed
  s.setWeights([{ layer: 0, name: 'dense_1', W: [[0.5]], b: [0.1] }], 8);
  assert.equal(typeof s.recompute(), 'string');
  assert.equal(s.trace, undefined);
});

test('worker events: epochs, pauses and the end fetch weights; batches too outside the layers view; a new run forgets them', () => {
  const s = new GraphState();
  s.setWeights([{ layer: 0, name: 'd', W: [[1]] }], 3);
  const batch = { type: 'batch', step: 9, epoch: 2, batch: 1, loss: 0.5, elapsedMs: 1 } as const;
  assert.deepEqual(s.onTrain(batch, 'layers'), { fetchWeights: false, reloadSample: false });
  assert.equal(s.weightsStep, 3);
  assert.deepEqual(s.onTrain(batch, 'neurons'), { fetchWeights: true, reloadSample: false });
  assert.equal(s.weightsStep, 9);
  assert.deepEqual(s.onTrain({ type: 'paused', step: 9 }, 'layers'), { fetchWeights: true, reloadSample: false });
  assert.deepEqual(s.onTrain({ type: 'resumed' }, 'neurons'), { fetchWeights: false, reloadSample: false });
  assert.deepEqual(s.onTrain({ type: 'started', epochs: 3, stepsPerEpoch: 4 }, 'neurons'), { fetchWeights: false, reloadSample: true });
  assert.equal(s.weights, undefined);
});

test('the info line names where the weights come from: none yet, this window\'s run, or a saved run', () => {
  const s = new GraphState();
  assert.equal(s.weightsText(), 'initial view (no run yet)');
  const w = [{ layer: 0, name: 'dense_1', W: [[0.5]], b: [0.1] }];
  s.setWeights(w, 240, '20261207-195500-123-xor');
  assert.equal(s.weightsText(), 'weights of run 20261207-195500-123-xor (step 240)');
  s.setWeights(w, 12);
  assert.equal(s.weightsText(), 'weights at step 12');
});

test('label size at Fit, the better of two layouts, the viewBox of a transform, wheel and key zoom', () => {
  // a 12 px label of an 800×200 drawing in a 688×660 stage is drawn at 12·(664/800) = 9.96 px: too small;
  // the same graph laid out top down (420×520) is shown at 12·min(664/420, 636/520) = 14.68 px
  const stage = { w: 688, h: 660 };
  assert.equal(+labelPxAtFit(12, { w: 800, h: 200 }, stage).toFixed(2), 9.96);
  assert.equal(+labelPxAtFit(12, { w: 420, h: 520 }, stage).toFixed(2), 14.68);
  assert.equal(bestFit([{ w: 800, h: 200 }, { w: 420, h: 520 }], stage), 1);
  // maximised (1400 wide) left to right wins; a tie keeps the first
  assert.equal(bestFit([{ w: 800, h: 200 }, { w: 420, h: 520 }], { w: 1400, h: 660 }), 0);
  assert.equal(bestFit([{ w: 100, h: 100 }, { w: 100, h: 100 }], stage), 0);
  // Fit never enlarges past 2×: a tiny drawing's 12 px labels stay at 24 px
  assert.equal(labelPxAtFit(12, { w: 10, h: 10 }, stage), 24);
  // an <svg> filling the stage shows with this viewBox what the transform shows
  const t = fitTransform({ w: 420, h: 520 }, stage);
  const [x, y, w, h] = viewBoxOf(t, stage);
  assert.ok(Math.abs(x * t.k + t.tx) < 1e-9 && Math.abs(y * t.k + t.ty) < 1e-9, 'the viewBox origin is the stage corner');
  assert.ok(Math.abs(w - stage.w / t.k) < 1e-9 && Math.abs(h - stage.h / t.k) < 1e-9);
  // the drawing's centre is the viewBox's centre
  assert.ok(Math.abs(x + w / 2 - 210) < 1e-9 && Math.abs(y + h / 2 - 260) < 1e-9);
  // a wheel notch zooms by 1.1 (in when scrolling up), a pinch by e^(−Δ/100); both clamp huge deltas
  assert.equal(wheelFactor(-100, false), 1.1);
  assert.equal(+wheelFactor(100, false).toFixed(6), +(1 / 1.1).toFixed(6));
  assert.equal(wheelFactor(-1000, false), 1.1);
  assert.equal(wheelFactor(-10, true), Math.exp(0.1));
  assert.equal(wheelFactor(500, true), Math.exp(-0.5));
  assert.deepEqual(['+', '=', '-', '0', 'a'].map(zoomKey), [1.25, 1.25, 0.8, 'fit', undefined]);
});

test('the sample picker numbers data rows from 1; a shorter sample resets the selection', () => {
  const s = new GraphState();
  assert.deepEqual(s.sampleChoices(), []);
  s.setSample({ x: [[0], [1], [2]], y: [[0], [0], [1]], rows: [0, 19, 38] });
  assert.deepEqual(s.sampleChoices(), [[0, 'sample 1'], [1, 'sample 20'], [2, 'sample 39']]);
  s.sampleIndex = 2;
  assert.equal(s.sampleNumber(), 39);
  // without rows (an older host): the rows are the data's first ones
  s.setSample({ x: [[0], [1], [2], [3]], y: [[0], [0], [1], [1]] });
  assert.equal(s.sampleIndex, 2);
  assert.equal(s.sampleNumber(), 3);
  s.setSample({ x: [[5]], y: [[1]] });
  assert.equal(s.sampleIndex, 0);
  // the trace follows the selected row
  s.spec = buildSpecView('file:///w/one.nn.json', JSON.stringify({ input: { shape: [1] }, layers: [{ type: 'dense', units: 1, activation: 'linear' }], loss: 'mse' }));
  s.setWeights([{ layer: 0, name: 'd', W: [[2]], b: [1] }], 1);
  s.setSample({ x: [[1], [3]], y: [[0], [0]] });
  s.sampleIndex = 1;
  s.recompute();
  assert.deepEqual(s.trace!.output, [7]);
});

test('the formula card numbers its sample as the picker does: the row in the spec\'s data, of all its rows', () => {
  const every19th = { x: [[0], [1], [2]], y: [[0], [0], [1]], rows: [0, 19, 38], total: 57 };
  assert.deepEqual(formulaSampleAt(every19th, 1), { x: [1], y: [0], index: 19, count: 57 });
  const spec = buildSpecView('file:///w/one.nn.json', JSON.stringify({ input: { shape: [1] }, layers: [{ type: 'dense', units: 1, activation: 'linear' }], loss: 'mse' }));
  const card = formulaCard(spec, [{ layer: 0, name: 'd', W: [[2]], b: [1] }], formulaSampleAt(every19th, 1), { kind: 'weight', layer: 0, from: 0, to: 0 });
  assert.match(card.subtitle, /^sample 20 of 57: /);
  // an older host without rows and total: the sample's own rows
  assert.deepEqual(formulaSampleAt({ x: [[5], [6]], y: [[1], [0]] }, 1), { x: [6], y: [0], index: 1, count: 2 });
});

test('after a step the graph keeps the weights before it (edge tooltips: before → after), even when the batch event moved weightsStep first', () => {
  const s = new GraphState();
  const w0 = [{ layer: 0, name: 'd', W: [[1]] }];
  const w1 = [{ layer: 0, name: 'd', W: [[0.75]] }];
  s.setWeights(w0, 0);
  assert.equal(s.previous, undefined);
  s.onTrain({ type: 'batch', step: 1, epoch: 1, batch: 1, loss: 0.5, elapsedMs: 1 }, 'neurons');
  s.setWeights(w1, 1);
  assert.deepEqual(s.previous, { layers: w0, step: 0 });
  s.setWeights(w1, 1); // the same weights again (a rate-limited fetch): still what the step changed
  assert.deepEqual(s.previous, { layers: w0, step: 0 });
  s.onTrain({ type: 'started', epochs: 3, stepsPerEpoch: 4 }, 'neurons');
  assert.equal(s.previous, undefined, 'a new run forgets them');
});

test('decision-region shades: one sigmoid output is P(class 1); with two softmax outputs a class-0 winner shades towards class 0 (the graph panel\'s edit view coloured it as class 1)', async () => {
  const { regionShade, singleOutput } = await import('../../../src/core/view/forward');
  const { editView } = await import('../../../src/core/view/edit');
  assert.equal(regionShade(0.9, 1, true), 0.9);
  assert.equal(regionShade(0.2, 0, true), 0.2, 'one output: P(class 1) itself, whatever the threshold says');
  assert.ok(Math.abs(regionShade(0.9, 0, false) - 0.1) < 1e-12, 'class 0 wins with 0.9: near class 0\'s colour');
  assert.equal(regionShade(0.9, 1, false), 0.9);
  // a 2-class softmax classifier on 2-D points whose weights make class 0 win everywhere
  const spec = buildSpecView('file:///w/two.nn.json', JSON.stringify({ input: { shape: [2] }, layers: [{ type: 'dense', units: 2, activation: 'softmax' }], loss: 'categoricalCrossentropy' }));
  assert.equal(singleOutput(spec), false);
  const view = editView(spec, [{ layer: 0, name: 'd', W: [[0, 0], [0, 0]], b: [3, 0] }], { x: [[0, 0], [1, 1]], y: [[1, 0], [0, 1]] });
  const r = view.regions!;
  assert.equal(r.singleOutput, false);
  assert.ok(r.cls.every((c) => c === 0));
  const shade = regionShade(r.p[0], r.cls[0], r.singleOutput);
  assert.ok(Math.abs(shade - (1 - 1 / (1 + Math.exp(-3)))) < 1e-6, `shade ${shade}: class 0 wins with softmax([3, 0])₀ = σ(3)`);
});

test('the panel\'s gradients are averaged over every sample row up to 256, fewer for a large network (MNIST: 19), never fewer than 8', async () => {
  const { gradientRows, GRADIENT_BUDGET } = await import('../../../src/core/view/graphState');
  assert.equal(gradientRows(17, 4), 4, 'XOR: its 4 rows');
  assert.equal(gradientRows(1185, 256), 256, 'spiral: all 256 panel rows');
  assert.equal(gradientRows(101_770, 256), 19, 'MNIST: 2,000,000 / 101,770 rows');
  assert.equal(gradientRows(10_000_000, 256), 8);
  assert.ok(19 * 101_770 <= GRADIENT_BUDGET);
  // the state says over how many rows its numbers are
  const s = new GraphState();
  s.spec = buildSpecView('file:///w/one.nn.json', JSON.stringify({ input: { shape: [1] }, layers: [{ type: 'dense', units: 1, activation: 'linear' }], loss: 'mse' }));
  s.setWeights([{ layer: 0, name: 'd', W: [[2]], b: [1] }], 1);
  s.setSample({ x: [[1], [3], [0]], y: [[0], [0], [1]] });
  s.recompute();
  assert.equal(s.gradRows, 3);
  // mean of (2x + 1 − y)² over the 3 rows: (9 + 49 + 0) / 3
  assert.ok(Math.abs(s.grads!.loss - 58 / 3) < 1e-9, `loss ${s.grads!.loss}`);
});
