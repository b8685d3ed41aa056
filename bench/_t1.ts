import { selectBackend } from '../src/core/train/select';
(async () => {
  for (const th of (process.argv[2] ?? '2,1,2').split(',').map(Number)) {
    const t0 = performance.now();
    const { backend } = await selectBackend('wasm', { modulePaths: [], wasmThreads: th });
    const tf = backend.tf;
    console.log(backend.device, 'load ms', (performance.now() - t0).toFixed(0));
    const a = tf.randomNormal([256, 1024], 0, 1, 'float32', 1); const b = tf.randomNormal([1024, 1024], 0, 1, 'float32', 2);
    for (let r = 0; r < 3; r++) { const t = performance.now(); let c: any; for (let i = 0; i < 10; i++) { c?.dispose(); c = tf.matMul(a, b); } const s = c.dataSync(); const ms = performance.now() - t; console.log(' 10 matmul ms', ms.toFixed(1), 'GFLOP/s', (10*2*256*1024*1024/(ms/1000)/1e9).toFixed(1), s[0], s[12345]); c.dispose(); }
    a.dispose(); b.dispose();
  }
})();
