// Reads a V8 CPU profile (node --cpu-prof) and prints where the time went: the top functions by self
// time, by file, and by total time (self + callees, each function counted once per stack), with file:line.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof dist/cli.js train spec.nn.json --backend cpu
//   node bench/cpuprofile.mjs /tmp/prof/CPU.*.cpuprofile [--top=40] [--match=regexp]
import { readFileSync } from 'node:fs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
if (!file) {
  console.error('usage: node bench/cpuprofile.mjs <file.cpuprofile> [--top=N] [--match=regexp]');
  process.exit(2);
}
const top = Number(args.find((a) => a.startsWith('--top='))?.slice(6) ?? 30);
const match = args.find((a) => a.startsWith('--match='))?.slice(8);
const prof = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of prof.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
// sample durations: timeDeltas[i] is the time before sample i
const selfUs = new Map();
for (let i = 0; i < prof.samples.length; i++) {
  const dt = prof.timeDeltas[i + 1] ?? 0;
  selfUs.set(prof.samples[i], (selfUs.get(prof.samples[i]) ?? 0) + dt);
}
const key = (n) => {
  const f = n.callFrame;
  const where = f.url ? `${f.url.replace(/^.*\/(node_modules|src|dist)\//, '$1/')}:${f.lineNumber + 1}` : '';
  return `${f.functionName || '(anonymous)'} ${where}`.trim();
};
const self = new Map();
const total = new Map();
let all = 0;
for (const [id, us] of selfUs) {
  all += us;
  const n = byId.get(id);
  self.set(key(n), (self.get(key(n)) ?? 0) + us);
  const seen = new Set();
  for (let p = id; p !== undefined; p = parent.get(p)) {
    const k = key(byId.get(p));
    if (seen.has(k)) continue;
    seen.add(k);
    total.set(k, (total.get(k) ?? 0) + us);
  }
}
const show = (title, m) => {
  console.log(`\n${title} (of ${(all / 1000).toFixed(0)} ms sampled)`);
  const rows = [...m].filter(([k]) => !match || new RegExp(match).test(k)).sort((a, b) => b[1] - a[1]).slice(0, top);
  for (const [k, us] of rows) console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / all).toFixed(1).padStart(5)} %  ${k}`);
};
show('self time', self);
const byFile = new Map();
for (const [k, us] of self) { const f = k.includes(' ') ? k.slice(k.indexOf(' ') + 1).replace(/:\d+$/, '') : k; byFile.set(f, (byFile.get(f) ?? 0) + us); }
show('self time by file', byFile);
show('total time', total);
