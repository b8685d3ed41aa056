// Screenshot harness (development tool, not a unit test): serves the real panel bundles with the real
// CSP from src/panels/html.ts, stands in for the VS Code host, trains samples/<spec>.nn.json for real
// with the project's Trainer on the cpu backend, streams its real messages to the panels, and saves
// PNG screenshots under test-results/panels/. Needs `node scripts/build.mjs` and a Chromium:
//   node --import tsx test/unit/panels/harness/shoot.mts [--chromium /usr/bin/chromium] [--only=loss|graph|activations|walkthrough|stress|<spec>.nn.json]
import { createServer } from 'node:http';
import { mkdirSync, readFileSync, existsSync, writeFileSync } from 'node:fs';
import { join, extname } from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { panelHtml } from '../../../../src/panels/html';
import { builtin, BUILTINS } from '../../../../src/core/autodiff';
import { parsePanelMessage, type HostToPanel } from '../../../../src/protocol/walkthrough';
import { buildSpecView } from '../../../../src/core/view/specView';
import { parseSpec } from '../../../../src/core/spec';
import { loadData } from '../../../../src/core/data/index';
import { selectBackend } from '../../../../src/core/train/select';
import { Trainer } from '../../../../src/core/train/trainer';
import { parseWebviewMessage, type HostToWebview, type PanelKind, type DataSample } from '../../../../src/protocol/webview';
import type { LayerWeights, WorkerToHost } from '../../../../src/protocol/training';
import type { RunSeries } from '../../../../src/protocol/webview';
import { METRICS_HEADER, metricsLine, runStamp } from '../../../../src/core/train/runs';
import { parseMetricsCsv } from '../../../../src/core/view/metrics';

const root = new URL('../../../../', import.meta.url).pathname;
const out = join(root, 'test-results/panels');
mkdirSync(out, { recursive: true });
const exe = process.argv.includes('--chromium') ? process.argv[process.argv.indexOf('--chromium') + 1] : '/usr/bin/chromium';
const only = process.argv.find((a) => a.startsWith('--only='))?.slice(7);

const types: Record<string, string> = { '.js': 'text/javascript', '.css': 'text/css', '.ttf': 'font/ttf', '.woff2': 'font/woff2', '.html': 'text/html', '.map': 'application/json' };
const pages = new Map<string, string>();
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const page = pages.get(url.pathname);
  if (page) {
    res.writeHead(200, { 'content-type': 'text/html' });
    return void res.end(page);
  }
  const file = url.pathname.startsWith('/dist/') ? join(root, url.pathname) : url.pathname === '/theme.css' ? join(root, 'test/unit/panels/harness/theme-dark.css') : '';
  if (!file || !existsSync(file)) {
    res.writeHead(404);
    return void res.end();
  }
  res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' });
  res.end(readFileSync(file));
});
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
const port = (server.address() as { port: number }).port;
const origin = `http://127.0.0.1:${port}`;

function pageFor(kind: PanelKind, boot: Record<string, unknown>): string {
  const nonce = 'harnessNonce0123456789abcdefABCD';
  let html = panelHtml({ kind, title: kind, cspSource: origin, nonce, scriptUri: `${origin}/dist/webview/${kind}.js`, styleUri: `${origin}/dist/webview/${kind}.css`, codiconUri: `${origin}/dist/codicons/codicon.css`, boot: { panel: kind, ...boot } });
  // what VS Code adds around a webview: theme variables, a body class, and acquireVsCodeApi
  const stub = `<link rel="stylesheet" href="${origin}/theme.css"><script nonce="${nonce}">document.documentElement.style.colorScheme='dark';window.acquireVsCodeApi=()=>({postMessage:(m)=>window.__toHost(m),getState:()=>window.__state,setState:(s)=>{window.__state=s}});</script>`;
  html = html.replace('<link rel="stylesheet"', `${stub}\n<link rel="stylesheet"`).replace('<body ', '<body class="vscode-dark" ');
  const path = `/page/${kind}-${pages.size}.html`;
  pages.set(path, html);
  return `${origin}${path}`;
}

interface Session {
  page: Page;
  send(m: HostToWebview): Promise<void>;
  posted: unknown[];
  errors: string[];
}

// with real scrollbars, as in VS Code: Playwright hides them by default, and a scrollbar appearing for a
// frame was what wrapped the loss panel's decision regions under a shrunken chart (issue 13 #6)
const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox'], ignoreDefaultArgs: ['--hide-scrollbars'] });

interface Handlers {
  weights: () => LayerWeights[] | undefined;
  sample: () => Promise<DataSample | null>;
  /** the spec's runs on disk, newest first, as the host's listRuns/runMetrics read them from metrics.csv */
  runs?: () => RunSeries[];
}

async function open(kind: PanelKind, specFile: string | undefined, handlers: Handlers, boot: Record<string, unknown> = {}, size = { width: 1100, height: 640 }): Promise<Session> {
  const page = await browser.newPage({ viewport: size, deviceScaleFactor: 1 });
  const posted: unknown[] = [];
  const errors: string[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) errors.push(`${kind} console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`${kind} page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`${kind}: HTTP ${r.status()} for ${r.url()}`);
  });
  const send = async (m: HostToWebview): Promise<void> => page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  const specText = specFile ? readFileSync(join(root, 'samples', specFile), 'utf8') : undefined;
  await page.exposeFunction('__toHost', async (raw: unknown) => {
    const p = parseWebviewMessage(raw);
    if (!p.ok) return void errors.push(`${kind}: invalid message ${p.error}`);
    const m = p.value;
    posted.push(m);
    if (m.type === 'ready') await send({ type: 'init', panel: kind, spec: specText ? buildSpecView(`file:///samples/${specFile}`, specText) : undefined });
    if (m.type === 'request') {
      const result = m.method === 'weights' ? (handlers.weights() ? { layers: handlers.weights()!, step: 0 } : null) : m.method === 'sample' ? await handlers.sample() : m.method === 'listRuns' ? (handlers.runs?.() ?? []).slice(0, (m.params as { limit: number }).limit) : m.method === 'runMetrics' ? (handlers.runs?.()[0] ?? null) : null;
      await send({ type: 'response', id: m.id, ok: true, result });
    }
  });
  await page.goto(pageFor(kind, { specUri: specFile ? `file:///samples/${specFile}` : undefined, ...boot }));
  return { page, send, posted, errors };
}

/** Trains a sample; its metrics.csv rows (the trainer's onRow, written as RunWriter writes them) go to `csv`. */
async function trainSpec(specFile: string, onMsg: (m: WorkerToHost) => Promise<void>, onTrainer: (t: Trainer) => void, csv?: { runDir: string; lines: string[] }): Promise<{ trainer: Trainer; sample: DataSample }> {
  const path = join(root, 'samples', specFile);
  const spec = parseSpec(readFileSync(path, 'utf8')).spec!;
  const data = await loadData(spec, path);
  const { backend, report } = await selectBackend('cpu', { modulePaths: [] });
  await onMsg({ type: 'backend', report });
  const trainer = new Trainer({ backend, spec, data, maxEventsPerSec: 240, onEvent: (m) => void onMsg(m), onRow: (r) => void csv?.lines.push(metricsLine(r)) });
  onTrainer(trainer);
  await onMsg({ type: 'started', ...(csv ? { runDir: `/samples/.nnlab/runs/${csv.runDir}` } : {}), epochs: trainer.epochs, stepsPerEpoch: trainer.stepsPerEpoch });
  const t0 = Date.now();
  const result = await trainer.run();
  const w = data.x.length / data.xShape[0];
  const sample: DataSample = { x: [], y: [] };
  for (let i = 0; i < Math.min(400, data.xShape[0]); i++) {
    sample.x.push(Array.from(data.x.subarray(i * w, (i + 1) * w)));
    sample.y.push(Array.from(data.y.subarray(i * data.yShape[1], (i + 1) * data.yShape[1])));
  }
  await onMsg({
    type: 'done',
    summary: { backend: report, startedAt: new Date(t0).toISOString(), finishedAt: new Date().toISOString(), elapsedMs: Date.now() - t0, epochs: result.epochs, steps: result.steps, finalLoss: result.finalLoss, bestLoss: result.finalLoss, stopReason: result.stopReason },
  });
  return { trainer, sample };
}

const problems: string[] = [];
const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

for (const specFile of ['xor.nn.json', 'circle.nn.json', 'image-3x3.nn.json']) {
  if (only === 'stress' || (only && !['loss', 'graph', 'activations'].includes(only) && only !== specFile)) continue;
  const name = specFile.replace('.nn.json', '');
  let trainer: Trainer | undefined;
  let sample: DataSample | undefined;
  // this run's metrics.csv: on disk (listed by listRuns, read by runMetrics) once the run is done
  const csv = { runDir: `${runStamp(new Date())}-${specFile.replace('.nn.json', '')}`, lines: [] as string[] };
  let finished = false;
  const handlers: Handlers = {
    weights: () => trainer?.weights(),
    sample: async () => sample ?? null,
    runs: () => (finished ? [parseMetricsCsv([METRICS_HEADER, ...csv.lines].join('\n') + '\n', csv.runDir)] : []),
  };
  // sample first, so the decision region has its points
  {
    const path = join(root, 'samples', specFile);
    const spec = parseSpec(readFileSync(path, 'utf8')).spec!;
    const data = await loadData(spec, path);
    const w = data.x.length / data.xShape[0];
    sample = { x: [], y: [] };
    for (let i = 0; i < Math.min(400, data.xShape[0]); i++) {
      sample.x.push(Array.from(data.x.subarray(i * w, (i + 1) * w)));
      sample.y.push(Array.from(data.y.subarray(i * data.yShape[1], (i + 1) * data.yShape[1])));
    }
  }
  const loss = !only || only === 'loss' || only === specFile ? await open('loss', specFile, handlers, {}, { width: 1100, height: 760 }) : undefined;
  const graph = !only || only === 'graph' || only === specFile ? await open('graph', specFile, handlers) : undefined;
  await wait(500);
  const sessions = [loss, graph].filter((s): s is Session => !!s);
  let midShot = false;
  // the chart's box and plot while running and after the run ends (issue 13 #6: it shrank at 'done')
  const chartSize = async (s: Session): Promise<{ box: number; plot: number; legend: number; top: number; regionTop: number }> =>
    s.page.evaluate(() => {
      // no named helper here: tsx wraps named functions in esbuild's __name, which the page lacks
      const [chart, plot, legend, region] = ['#chart', '#chart .u-over', '#chart .u-legend', '#region'].map((sel) => document.querySelector(sel)?.getBoundingClientRect());
      return { box: Math.round(chart?.height ?? 0), plot: Math.round(plot?.height ?? 0), legend: Math.round(legend?.height ?? 0), top: Math.round(chart?.top ?? 0), regionTop: Math.round(region?.top ?? 0) };
    });
  let running: Awaited<ReturnType<typeof chartSize>> | undefined;
  const r = await trainSpec(specFile, async (m) => {
    if (m.type === 'done') finished = true;
    for (const s of sessions) await s.send({ type: 'train', message: m });
    if (m.type === 'epoch' && loss && !midShot && m.epoch >= Math.min(Math.floor(m.epochs / 3), 20)) {
      midShot = true;
      await wait(300);
      await loss.page.screenshot({ path: join(out, `loss-${name}-running.png`) });
      running = await chartSize(loss);
    }
  }, (t) => (trainer = t), csv).catch((e: unknown) => {
    problems.push(`${specFile}: training failed: ${e instanceof Error ? e.stack : String(e)}`);
    return undefined;
  });
  if (!r) continue;
  await wait(1200);
  if (loss) {
    await loss.page.screenshot({ path: join(out, `loss-${name}.png`) });
    const obs = loss.posted.filter((m) => (m as { type: string }).type === 'observe').pop();
    console.log(`loss ${name}: last observation ${JSON.stringify(obs)}`);
    const done = await chartSize(loss);
    console.log(`loss ${name}: chart while running ${JSON.stringify(running)}, after done ${JSON.stringify(done)}`);
    // the header may wrap to one line fewer at 'done' (no ETA), and the legend gain or lose a line: the
    // box may change by the header's shift, the plot by that and the legend's change, no more
    const shift = running ? Math.abs(done.top - running.top) : 0;
    const plotAndLegend = (c: typeof done): number => c.plot + c.legend;
    if (!running || Math.abs(done.box - running.box) > shift + 4 || Math.abs(plotAndLegend(done) - plotAndLegend(running)) > shift + 4) problems.push(`loss ${name}: the chart changed height when the run ended: ${JSON.stringify(running)} → ${JSON.stringify(done)}`);
    for (const c of [running, done]) if (c && c.regionTop !== c.top) problems.push(`loss ${name}: the decision regions wrapped under the chart in a 1100 px panel: ${JSON.stringify(c)}`);
    problems.push(...loss.errors);
  }
  if (graph) {
    await graph.send({ type: 'weights', layers: trainer?.weights() ?? [], step: 0 });
    await wait(800);
    await graph.page.screenshot({ path: join(out, `graph-${name}-layers.png`) });
    await graph.page.click('#view-neurons').catch((e: unknown) => problems.push(`graph: ${String(e)}`));
    await wait(1200);
    await graph.page.screenshot({ path: join(out, `graph-${name}-neurons.png`) });
    await graph.page.click('#view-compgraph').catch((e: unknown) => problems.push(`graph: ${String(e)}`));
    await wait(1200);
    await graph.page.screenshot({ path: join(out, `graph-${name}-compgraph.png`) });
    // as beside the editor in a 1440×900 window with the explorer open (e2e scenario 4b): 546×808
    await graph.page.setViewportSize({ width: 546, height: 808 });
    await wait(1000);
    await graph.page.screenshot({ path: join(out, `graph-${name}-compgraph-narrow.png`) });
    await graph.page.setViewportSize({ width: 1100, height: 640 });
    await wait(800);
    await graph.page.click('#export-svg');
    await graph.page.click('#export-png');
    await wait(800);
    const ex = graph.posted.filter((m) => (m as { type: string }).type === 'export') as { format: string; data: string }[];
    console.log(`graph ${name}: exports ${ex.map((e) => `${e.format} ${e.data.slice(0, 22)}… (${e.data.length} chars)`).join(', ')}`);
    if (!ex.some((e) => e.format === 'svg' && e.data.startsWith('<svg'))) problems.push(`graph ${name}: no SVG export`);
    if (!ex.some((e) => e.format === 'png' && e.data.startsWith('data:image/png;base64,'))) problems.push(`graph ${name}: no PNG export`);
    // issue 13 item 17: cropped to the drawing (smaller than the stage), the PNG at 2× the SVG, a print variant on white
    {
      const svgEx = ex.find((e) => e.format === 'svg');
      const pngEx = ex.find((e) => e.format === 'png');
      const size = (t: string): [number, number] => [Number(/ width="(\d+)"/.exec(t)?.[1]), Number(/ height="(\d+)"/.exec(t)?.[1])];
      const png = pngEx ? Buffer.from(pngEx.data.slice(pngEx.data.indexOf(',') + 1), 'base64') : Buffer.alloc(0);
      const [sw, sh] = svgEx ? size(svgEx.data) : [0, 0];
      const [pw, ph] = png.length > 24 ? [png.readUInt32BE(16), png.readUInt32BE(20)] : [0, 0];
      const stage = await graph.page.evaluate(() => document.querySelector('#stage')!.getBoundingClientRect().width);
      console.log(`graph ${name}: SVG export ${sw}×${sh} (stage ${Math.round(stage)} wide), PNG ${pw}×${ph}`);
      if (!(sw > 0 && sw < stage)) problems.push(`graph ${name}: the SVG export is not cropped: ${sw}×${sh} in a ${stage}-wide stage`);
      if (pw !== 2 * sw || ph !== 2 * sh) problems.push(`graph ${name}: the PNG (${pw}×${ph}) is not 2× the SVG (${sw}×${sh})`);
      writeFileSync(join(out, `graph-${name}-export-theme.png`), png);
      await graph.page.evaluate(() => {
        const sel = document.querySelector('#export-bg') as HTMLElement & { value: string };
        sel.value = 'print';
        sel.dispatchEvent(new Event('change', { bubbles: true }));
      });
      await graph.page.click('#export-png');
      await graph.page.click('#export-svg');
      await wait(800);
      const printed = graph.posted.filter((m) => (m as { type: string }).type === 'export').slice(-2) as { format: string; data: string }[];
      const pp = printed.find((e) => e.format === 'png');
      if (pp) writeFileSync(join(out, `graph-${name}-export-print.png`), Buffer.from(pp.data.slice(pp.data.indexOf(',') + 1), 'base64'));
      if (!printed.some((e) => e.format === 'svg' && e.data.includes('fill="#ffffff"'))) problems.push(`graph ${name}: the print SVG has no white background`);
    }
    const obs = graph.posted.filter((m) => (m as { type: string }).type === 'observe').pop();
    console.log(`graph ${name}: last observation ${JSON.stringify(obs)}`);
    problems.push(...graph.errors);
  }
  if ((!only || only === 'activations') && name === 'xor') {
    // opened as the lens does (spec only): the explorer shows the first layer's own function (tanh),
    // then follows the layer picked in the select (layer 2: sigmoid)
    const act = await open('activations', specFile, handlers);
    await wait(1500);
    await act.page.screenshot({ path: join(out, 'activations-xor-tanh.png') });
    const first = act.posted.filter((m) => (m as { type: string }).type === 'observe').pop() as { state?: { activation?: string } } | undefined;
    if (first?.state?.activation !== 'tanh') problems.push(`activations xor: opened on ${first?.state?.activation}, not the layer's tanh`);
    // vscode-single-select is no native <select>: set its value and fire the change it would
    await act.page
      .evaluate(() => {
        const sel = document.getElementById('layer-select') as unknown as { value: string; dispatchEvent(e: Event): boolean };
        sel.value = '1';
        sel.dispatchEvent(new Event('change'));
      })
      .catch((e: unknown) => problems.push(`activations xor: ${String(e)}`));
    await wait(800);
    await act.page.screenshot({ path: join(out, 'activations-xor-layer2.png') });
    const second = act.posted.filter((m) => (m as { type: string }).type === 'observe').pop() as { state?: { activation?: string } } | undefined;
    if (second?.state?.activation !== 'sigmoid') problems.push(`activations xor: layer 2 shows ${second?.state?.activation}, not its sigmoid`);
    console.log(`activations xor: opened on ${first?.state?.activation}, layer 2 → ${second?.state?.activation}`);
    problems.push(...act.errors);
  }
  if ((!only || only === 'activations') && name === 'circle') {
    const act = await open('activations', specFile, handlers, { activation: 'elu' });
    await wait(1500);
    await act.page.screenshot({ path: join(out, 'activations-elu-histogram.png') });
    await act.send({ type: 'select', activation: 'softmax' });
    await wait(600);
    await act.page.screenshot({ path: join(out, 'activations-softmax.png') });
    await act.send({ type: 'select', activation: 'sigmoid' });
    await wait(600);
    await act.page.screenshot({ path: join(out, 'activations-sigmoid.png') });
    const obs = act.posted.filter((m) => (m as { type: string }).type === 'observe').pop();
    console.log(`activations: last observation ${JSON.stringify(obs)}`);
    problems.push(...act.errors);
  }
}

// ---- the backprop walkthrough: the real bundle in the shared shell, driven with the host's messages
if (!only || only === 'walkthrough') {
  const page = await browser.newPage({ viewport: { width: 1100, height: 760 }, deviceScaleFactor: 1 });
  const errors: string[] = [];
  const rendered: { position: number; quantity: string }[] = [];
  page.on('console', (m) => {
    if ((m.type() === 'error' || m.type() === 'warning') && !m.text().startsWith('Failed to load resource')) errors.push(`walkthrough console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`walkthrough page error: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`walkthrough: HTTP ${r.status()} for ${r.url()}`);
  });
  const w = builtin('sigmoid-neuron');
  let position = 0;
  const send = async (m: HostToPanel): Promise<void> => page.evaluate((msg) => window.postMessage(msg, '*'), m as unknown as Record<string, unknown>);
  await page.exposeFunction('__toHost', async (raw: unknown) => {
    const p = parsePanelMessage(raw);
    if (!p.ok) return void errors.push(`walkthrough: invalid message ${p.error}`);
    const m = p.value;
    if (m.type === 'ready') await send({ type: 'load', walkthrough: w, position, examples: BUILTINS.map((b) => ({ id: b.id, title: b.title })), editable: true, persist: { example: w.id, position } });
    if (m.type === 'navigate') {
      const total = w.steps.length;
      position = Math.max(0, Math.min(total, m.to === 'next' ? position + 1 : m.to === 'previous' ? position - 1 : m.to === 'start' ? 0 : m.to === 'end' ? total : m.to));
      await send({ type: 'show', position });
    }
    if (m.type === 'rendered') rendered.push({ position: m.position, quantity: m.quantity });
  });
  await page.goto(pageFor('walkthrough', {}));
  await wait(1200);
  await page.screenshot({ path: join(out, 'walkthrough-start.png') });
  for (let i = 0; i < 8; i++) await page.click('#next');
  await wait(800);
  await page.screenshot({ path: join(out, 'walkthrough-step8.png') });
  await page.click('#end');
  await wait(800);
  await page.screenshot({ path: join(out, 'walkthrough-end.png'), fullPage: true });
  const last = rendered[rendered.length - 1];
  const summary = await page.locator('#summary').textContent().catch(() => null);
  console.log(`walkthrough: ${rendered.length} renders, last at ${last?.position}/${w.steps.length}; ${summary ?? 'no summary'}`);
  if (last?.position !== w.steps.length) problems.push(`walkthrough: last render at ${last?.position}, not the end (${w.steps.length})`);
  if (!summary?.includes('∂f/∂w₁ = −0.235004')) problems.push(`walkthrough: the summary lacks ∂f/∂w₁ = −0.235004: ${summary}`);
  if ((await page.locator('#app').count()) !== 1) problems.push('walkthrough: expected exactly one #app');
  // predict first (issue 13 item 15): a wrong guess keeps the answer hidden and stays; the right one
  // moves on; a wrong guess then "Show me" reveals it
  await page.click('#restart');
  await page.click('#predict');
  await wait(300);
  const verdict = async (): Promise<string> => (await page.locator('#verdict').textContent()) ?? '';
  const guess = async (v: string): Promise<void> => {
    await page.locator('#guess input').fill(v);
    await page.locator('#guess input').press('Enter');
    await wait(200);
  };
  await page.click('#next');
  await guess('-3');
  const wrong = await verdict();
  await page.screenshot({ path: join(out, 'walkthrough-predict-wrong.png') });
  if (wrong !== 'Not yet — try again (1 try so far), or press Show me.' || position !== 0) problems.push(`walkthrough predict: after a wrong guess "${wrong}" at ${position}`);
  await guess('-2');
  await wait(1200);
  const right = await verdict();
  if (right !== 'Right on try 2: a = −2.' || position !== 1) problems.push(`walkthrough predict: after the right guess "${right}" at ${position}`);
  await page.click('#next');
  await guess('5');
  await page.click('#show-me');
  await wait(1200);
  const shown = await verdict();
  await page.screenshot({ path: join(out, 'walkthrough-predict-shown.png') });
  if (shown !== 'b = 2 (after 1 try).' || position !== 2) problems.push(`walkthrough predict: after Show me "${shown}" at ${position}`);
  console.log(`walkthrough predict: "${wrong}" / "${right}" / "${shown}"`);
  problems.push(...errors);
}

// ---- 100,000 points: a restored panel replays a long run's history, then live events arrive fast
if (!only || only === 'stress') {
  const st = await open('loss', 'circle.nn.json', { weights: () => undefined, sample: async () => null });
  await wait(500);
  // built and posted inside the page (as VS Code's postMessage would deliver it), timed there;
  // tsx compiles named functions with esbuild's __name helper, which the page lacks
  await st.page.evaluate('window.__name = (f) => f');
  const timing = await st.page.evaluate(async () => {
    const history: unknown[] = [{ type: 'started', epochs: 1000, stepsPerEpoch: 100 }];
    let seed = 1;
    const rnd = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
    for (let i = 1; i <= 100_000; i++) {
      const loss = 0.7 * Math.exp(-i / 20_000) + 0.05 * rnd();
      history.push({ type: 'batch', step: i, epoch: Math.ceil(i / 100), batch: ((i - 1) % 100) + 1, loss, elapsedMs: i * 2 });
      if (i % 100 === 0) history.push({ type: 'epoch', step: i, epoch: i / 100, epochs: 1000, loss, valLoss: loss * 1.1, accuracy: 1 - loss, samplesPerSec: 50_000, elapsedMs: i * 2, etaMs: 1000 });
    }
    const pointsEl = (): string => document.getElementById('hdr-points')?.textContent ?? '';
    let draws = 0;
    new MutationObserver(() => draws++).observe(document.getElementById('header')!, { childList: true });
    const t0 = performance.now();
    window.postMessage({ type: 'history', messages: history }, '*');
    while (!pointsEl().includes('101000')) await new Promise((r) => setTimeout(r, 5));
    const firstDraw = performance.now() - t0;
    // 2 s of live events, one per millisecond (far above the worker's own rate limit)
    const d0 = draws;
    const t1 = performance.now();
    let sent = 0;
    await new Promise<void>((resolve) => {
      const iv = setInterval(() => {
        for (let k = 0; k < 5; k++) {
          sent++;
          window.postMessage({ type: 'train', message: { type: 'batch', step: 100_000 + sent, epoch: 1001, batch: 1, loss: 0.05, elapsedMs: 200_000 + sent } }, '*');
        }
        if (performance.now() - t1 > 2000) {
          clearInterval(iv);
          resolve();
        }
      }, 1);
    });
    await new Promise((r) => setTimeout(r, 300));
    const liveMs = performance.now() - t1;
    return { firstDraw, sent, liveMs, redraws: draws - d0 };
  });
  const perSec = (timing.redraws * 1000) / timing.liveMs;
  console.log(`stress: 101,000-point history: first draw ${timing.firstDraw.toFixed(0)} ms after the message; ${timing.sent} live events in ${timing.liveMs.toFixed(0)} ms → ${timing.redraws} redraws (${perSec.toFixed(1)}/s)`);
  if (perSec > 32) problems.push(`stress: ${perSec.toFixed(1)} redraws/s exceeds the 30/s cap`);
  const i = 100_000 + timing.sent;
  await st.page.screenshot({ path: join(out, 'loss-100k.png') });
  // exports post validated messages
  await st.page.click('#btn-csv');
  await st.page.click('#btn-png');
  await wait(300);
  const ex = st.posted.filter((m) => (m as { type: string }).type === 'export') as { format: string; data: string; name: string }[];
  const csvRows = ex.find((e) => e.format === 'csv')?.data.trim().split('\n').length ?? 0;
  console.log(`stress: CSV export ${csvRows - 1} rows; PNG export ${ex.find((e) => e.format === 'png')?.data.length ?? 0} chars`);
  if (csvRows - 1 !== 101_000 + (i - 100_000)) problems.push(`stress: CSV export has ${csvRows - 1} rows`);
  problems.push(...st.errors);
}

await browser.close();
server.close();
if (problems.length) {
  console.error(problems.join('\n'));
  process.exitCode = 1;
}
console.log(`screenshots in ${out}`);
