// The user-level scenarios of issue 5, driven through the workbench in Chromium. Each asserts on what
// a user would see (DOM text of editors, hovers, the Problems view, webview frames) and on what NN Lab
// writes (.nnlab/runs/), against an oracle computed outside VS Code (test/e2e/oracle.ts, NN Lab's core).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import {
  closeAllEditors,
  codeLensTexts,
  hoverAt,
  lineOf,
  openFile,
  openWorkbench,
  problemsRows,
  runCommand,
  sleep,
  statusBarText,
  waitFor,
  webviewFrame,
} from './workbench.mjs';

const BACKENDS = /\b(tfjs-node-gpu|tfjs-node|webgpu|wasm|cpu)\b/;

function assert(cond, msg) {
  if (!cond) throw new Error(msg);
}

/** What NN Lab's core says about spec files (see oracle.ts). */
export function oracle(root, files) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/e2e/oracle.ts'), ...files], { cwd: root, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`oracle failed: ${r.stderr}`);
  return JSON.parse(r.stdout);
}

const dims = (shape) => `(${shape.join('×')})`;
const norm = (s) => s.replace(/\s+/g, ' ').trim();

/** The parts of each layer's lens that must read exactly what shape inference says. */
function expectedLensParts(layer) {
  if (layer.type === 'dense') {
    const parts = [`x ${dims(layer.inputShape)}`, `W ${dims(layer.weightShape)}`];
    if (layer.biasShape) parts.push(`b ${dims(layer.biasShape)}`);
    parts.push(`→ ${layer.activation} → ${dims(layer.outputShape)}`, `${layer.params.toLocaleString('en-US')} param`);
    return parts;
  }
  return [dims(layer.inputShape), `→ ${dims(layer.outputShape)}`];
}

function listRuns(workspace) {
  const dir = join(workspace, '.nnlab/runs');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((d) => statSync(join(dir, d)).isDirectory());
}

/** Starts recording, inside the page, every notification / progress text and every code lens text with a timestamp. */
async function startObserver(page) {
  await page.evaluate(() => {
    const w = window;
    w.__nnlabSeen = [];
    w.__nnlabObserver?.disconnect();
    const seen = new Set();
    const snap = () => {
      const now = performance.now();
      for (const el of document.querySelectorAll('.notification-toast, .notifications-center .notification-list-item, .codelens-decoration, .statusbar-item')) {
        const t = (el.textContent ?? '').replace(/\u00a0/g, ' ').trim();
        const kind = el.classList.contains('codelens-decoration') ? 'lens' : el.classList.contains('statusbar-item') ? 'status' : 'notification';
        const key = `${kind}|${t}`;
        if (t && !seen.has(key)) {
          seen.add(key);
          w.__nnlabSeen.push({ t: now, kind, text: t });
        }
      }
    };
    w.__nnlabObserver = new MutationObserver(snap);
    w.__nnlabObserver.observe(document.body, { subtree: true, childList: true, characterData: true });
    snap();
  });
}
const seen = (page) => page.evaluate(() => window.__nnlabSeen ?? []);
const pageNow = (page) => page.evaluate(() => performance.now());

async function panelState(ctx, kind) {
  const states = await ctx.exec('nnlab._panelState');
  assert(Array.isArray(states), `nnlab._panelState returned ${JSON.stringify(states)}`);
  return states.filter((s) => s.panel === kind);
}

async function openXor(ctx) {
  await closeAllEditors(ctx.page);
  await openFile(ctx.page, 'xor.nn.json');
}

export const scenarios = [
  {
    name: '1 xor.nn.json: dimension lenses from shape inference, layer hover derivation, backend in the status bar',
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const file = join(workspace, 'xor.nn.json');
      assert(existsSync(file), 'samples/xor.nn.json does not exist');
      const [o] = oracle(root, [file]);
      assert(o.layers.length > 0, `shape inference gave no layers for xor.nn.json: ${JSON.stringify(o.problems)}`);
      await openXor(ctx);
      const expected = o.layers.map(expectedLensParts);
      const lenses = await waitFor(
        `lenses ${JSON.stringify(expected)}`,
        async () => {
          const ls = await codeLensTexts(page);
          return expected.every((parts) => ls.some((l) => parts.every((p) => l.includes(p)))) && ls.some((l) => l.includes(`${o.totalParams} params`)) ? ls : undefined;
        },
        { timeout: 20_000 },
      );
      ctx.note?.(`lenses: ${lenses.join(' | ')}`);
      // Hover on the first dense layer's "units": the derivation with the numbers filled in.
      const text = readFileSync(file, 'utf8');
      const dense = o.layers.find((l) => l.type === 'dense');
      const unitsAt = text.indexOf('"units"', text.indexOf('"layers"'));
      const line = lineOf(text, '"units"', text.indexOf('"layers"'));
      const col = unitsAt - text.lastIndexOf('\n', unitsAt) + 2;
      const [ni, no] = dense.weightShape;
      const hover = norm(await hoverAt(page, line, col));
      for (const want of [`${ni}·${no} + ${no} = ${dense.params}`, `W ${dims([ni, no])}`, 'x·W + b']) {
        assert(hover.includes(want), `hover on layer 1 lacks "${want}": ${hover.slice(0, 600)}`);
      }
      await page.keyboard.press('Escape');
      // Status bar: NN Lab's item names the backend.
      const item = page.locator('.statusbar-item[id^="nnlab.nnlab"]');
      await waitFor('an NN Lab status bar item naming the backend', async () => BACKENDS.test(await item.allInnerTexts().then((t) => t.join(' '))), {
        timeout: 15_000,
      }).catch(async (e) => {
        throw new Error(`${e.message}; status bar: ${await statusBarText(page)}`);
      });
    },
  },
  {
    name: '2 samples/invalid: each expected diagnostic in the Problems view at its line',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const dir = join(workspace, 'invalid');
      const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')).sort() : [];
      assert(files.length >= 3, `samples/invalid has ${files.length} spec files`);
      const expected = oracle(root, files.map((f) => join(dir, f)));
      const missing = [];
      for (const [i, f] of files.entries()) {
        const first = expected[i].problems.find((p) => p.severity === 'error') ?? expected[i].problems[0];
        assert(first, `the core reports no problem for invalid/${f}`);
        await closeAllEditors(page);
        await openFile(page, `invalid/${f}`);
        try {
          await waitFor(
            `invalid/${f}: "${first.message}" at Ln ${first.line}, Col ${first.column}`,
            async () => {
              const rows = await problemsRows(page);
              return rows.some((r) => norm(r.text).includes(norm(first.message)) && r.text.includes(`[Ln ${first.line}, Col ${first.column}]`) && r.text.includes(first.code));
            },
            { timeout: 15_000, interval: 500 },
          );
        } catch (e) {
          const rows = await problemsRows(page).catch(() => []);
          missing.push(`${e.message}; Problems view: ${rows.map((r) => norm(r.text)).join(' || ').slice(0, 500)}`);
        }
      }
      assert(missing.length === 0, `${missing.length}/${files.length} diagnostics missing:\n${missing.join('\n')}`);
    },
  },
  {
    name: '3 ▶ Train on XOR: progress, live loss panel with a falling curve, below target, last-run lens, complete run folder, responsive hover',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const file = join(workspace, 'xor.nn.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      const target = spec.training?.stopWhenLossBelow ?? 0.01;
      const [o] = oracle(root, [file]);
      await openXor(ctx);
      const before = new Set(listRuns(workspace));
      const trainLens = page.locator('.codelens-decoration a', { hasText: 'Train' }).first();
      await trainLens.waitFor({ timeout: 20_000 });
      await startObserver(page);
      const tClick = await pageNow(page);
      await trainLens.click();
      // While it runs: a hover on a layer answers.
      const text = readFileSync(file, 'utf8');
      const line = lineOf(text, '"units"', text.indexOf('"layers"'));
      const h0 = await pageNow(page);
      const hover = norm(await hoverAt(page, line, 8));
      const hoverMs = (await pageNow(page)) - h0;
      await page.keyboard.press('Escape');
      assert(hover.includes('params') || hover.includes('·'), `hover during training is empty: ${hover.slice(0, 200)}`);
      // The run ends: the lens turns into "Last run: …".
      const lastRun = await waitFor(
        'the "Last run" lens',
        async () => (await codeLensTexts(page)).find((l) => /^Last run/.test(l) || l.includes('Last run:')),
        { timeout: 180_000, interval: 500 },
      );
      const events = await seen(page);
      const progress = events.find((e) => e.kind === 'notification' && /train/i.test(e.text) && e.t >= tClick);
      assert(progress, `no progress notification appeared; seen: ${JSON.stringify(events.slice(0, 20))}`);
      const live = events.find((e) => e.kind === 'lens' && /Training… epoch \d+\/\d+/.test(e.text));
      const lastRunAt = events.find((e) => e.kind === 'lens' && e.text.includes('Last run'))?.t ?? Infinity;
      assert(live, `the live "Training… epoch n/N" lens never showed; lenses seen: ${events.filter((e) => e.kind === 'lens').map((e) => e.text).join(' | ')}`);
      assert(h0 + hoverMs < lastRunAt, `the hover answered only after training had finished (hover ${hoverMs.toFixed(0)} ms)`);
      assert(hoverMs < 3000, `the hover took ${hoverMs.toFixed(0)} ms during training`);
      // The loss panel opened and received a falling curve (the panel's own report of the points it got).
      await webviewFrame(page, 'Loss', { timeout: 20_000 });
      const [loss] = await panelState(ctx, 'loss');
      assert(loss, 'no loss panel is open');
      assert(loss.points > 10, `the loss panel received ${loss.points} points`);
      assert(loss.lastLoss < loss.firstLoss, `the loss curve did not fall: first ${loss.firstLoss}, last ${loss.lastLoss}`);
      // The run folder: complete, and the final loss below the target.
      const fresh = listRuns(workspace).filter((d) => !before.has(d));
      assert(fresh.length === 1, `expected one new folder in .nnlab/runs, found ${JSON.stringify(fresh)}`);
      const runDir = join(workspace, '.nnlab/runs', fresh[0]);
      const files = readdirSync(runDir);
      for (const f of ['metrics.csv', 'summary.json']) assert(files.includes(f), `${runDir} lacks ${f} (has ${files.join(', ')})`);
      const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
      assert(summary.finalLoss < target, `final loss ${summary.finalLoss} is not below the target ${target}`);
      const rows = readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n');
      assert(rows.length > 10, `metrics.csv has ${rows.length} lines`);
      assert(lastRun.includes('loss'), `last-run lens: ${lastRun}`);
      ctx.note?.(`run ${fresh[0]}: final loss ${summary.finalLoss} (${o.layers.length} layers), hover ${hoverMs.toFixed(0)} ms during training`);
    },
  },
  {
    name: '4 graph panel node count for XOR; activation explorer switches to ELU and moves α',
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const [o] = oracle(root, [join(workspace, 'xor.nn.json')]);
      await openXor(ctx);
      await runCommand(page, 'NN Lab: Show Graph');
      const graph = await webviewFrame(page, 'Graph', { timeout: 20_000 });
      const [g] = await waitFor('the graph panel to report its nodes', async () => (await panelState(ctx, 'graph')).filter((s) => s.nodes > 0));
      const units = o.layers.filter((l) => l.type === 'dense').map((l) => l.outputShape[1]);
      const inputs = o.layers[0].inputShape[1];
      const want = g.view === 'neuron' ? inputs + units.reduce((a, b) => a + b, 0) : 1 + o.layers.length;
      assert(g.nodes === want, `graph (${g.view} view) draws ${g.nodes} nodes, expected ${want}`);
      const drawn = await graph.evaluate(() => document.querySelectorAll('[data-node], .node, g.node').length);
      assert(drawn === want, `the graph webview's DOM has ${drawn} node elements, expected ${want}`);
      // Activation explorer: switch to ELU, move α.
      await runCommand(page, 'NN Lab: Show Activation Functions');
      const act = await webviewFrame(page, 'Activation', { timeout: 20_000 });
      const elu = act.locator('button, option, vscode-option, [role=tab], [role=radio], label', { hasText: /^\s*ELU\s*$/ }).first();
      if ((await act.locator('select').count()) > 0) await act.locator('select').first().selectOption({ label: 'ELU' }).catch(async () => elu.click());
      else await elu.click();
      const slider = act.locator('input[type=range]').first();
      await slider.waitFor({ timeout: 5000 });
      await slider.evaluate((el) => {
        el.value = '0.5';
        el.dispatchEvent(new Event('input', { bubbles: true }));
        el.dispatchEvent(new Event('change', { bubbles: true }));
      });
      const [a] = await waitFor('the activation panel to report ELU with α = 0.5', async () =>
        (await panelState(ctx, 'activations')).filter((s) => s.activation === 'elu' && Math.abs(s.alpha - 0.5) < 1e-9),
      );
      assert(a, 'activation panel state missing');
      const body = await act.evaluate(() => document.body.innerText);
      assert(/ELU/.test(body) && /0\.5/.test(body), `activation panel text lacks ELU / α 0.5: ${body.slice(0, 300)}`);
    },
  },
  {
    name: '5 Walk Through Backpropagation: sigmoid neuron stepped to the end shows ∂f/∂w₁ = −0.235004',
    async run(ctx) {
      const { page } = ctx;
      await runCommand(page, 'NN Lab: Walk Through Backpropagation…');
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: /sigmoid neuron/i }).first();
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const frame = await webviewFrame(page, 'Backprop', { timeout: 20_000 }).catch(() => webviewFrame(page, 'Walkthrough', { timeout: 5000 }));
      // Step to the end with the panel's own controls (the last step button, else Next until disabled).
      const end = frame.locator('button, vscode-button', { hasText: /^(⏭|End|Last|To the end)/ }).first();
      if (await end.count()) await end.click();
      else {
        const next = frame.locator('button, vscode-button', { hasText: /Next|Step/ }).first();
        for (let i = 0; i < 60 && (await next.isEnabled().catch(() => false)); i++) {
          await next.click();
          await sleep(50);
        }
      }
      const body = await waitFor('∂f/∂w₁ = −0.235004 in the walkthrough panel', async () => {
        const t = norm(await frame.evaluate(() => document.body.innerText));
        return /∂f\/∂w₁\s*=\s*[−-]0\.235004/.test(t) ? t : undefined;
      });
      assert(body, 'walkthrough text missing');
    },
  },
  {
    name: '6 Reload Window: open panels come back',
    async run(ctx) {
      const { page } = ctx;
      const titles = async () =>
        (await page.locator('.tabs-container .tab').allInnerTexts()).map((t) => t.trim()).filter((t) => /^(Loss|Graph|Activation Functions)/.test(t));
      const before = await titles();
      assert(before.length > 0, 'no NN Lab panel is open before the reload (scenarios 3 and 4 open them)');
      const portBefore = ctx.bridgePort();
      await runCommand(page, 'Developer: Reload Window');
      await sleep(1000);
      await openWorkbench(page, page.url()).catch(() => undefined);
      await waitFor('the panels to come back', async () => {
        const after = await titles();
        return before.every((t) => after.includes(t));
      });
      await waitFor('the reloaded extension host', async () => ctx.bridgePort() !== portBefore, { timeout: 30_000 });
      const states = await waitFor('restored panels to report', async () => {
        const s = await ctx.exec('nnlab._panelState');
        return Array.isArray(s) && s.length >= before.length ? s : undefined;
      });
      for (const t of before) {
        const kind = t.startsWith('Loss') ? 'loss' : t.startsWith('Graph') ? 'graph' : 'activations';
        assert(
          states.some((s) => s.panel === kind),
          `${t} has a tab but its panel was not restored by NN Lab: ${JSON.stringify(states)}`,
        );
      }
      await webviewFrame(page, before[0].split(':')[0], { timeout: 20_000 });
    },
  },
];
