// The user-level scenarios of issue 5, driven through the workbench in Chromium. Each asserts on what
// a user would see (DOM text of editors, hovers, the Problems view, webview frames) and on what NN Lab
// writes (.nnlab/runs/), against an oracle computed outside VS Code (test/e2e/oracle.ts, NN Lab's core).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  closeAllEditors,
  codeLensTexts,
  hoverAt,
  lineOf,
  openFile,
  openWorkbench,
  problemsRows,
  goTo,
  runCommand,
  screenshot,
  showHover,
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
    let initial = true;
    const snap = () => {
      const now = initial ? -1 : performance.now();
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
    // what is on screen already is recorded with t = -1, so only what appears afterwards counts
    snap();
    initial = false;
  });
}
const seen = (page) => page.evaluate(() => window.__nnlabSeen ?? []);
const pageNow = (page) => page.evaluate(() => performance.now());

async function panelState(ctx, kind) {
  const states = await ctx.exec('nnlab._panelState');
  assert(Array.isArray(states), `nnlab._panelState returned ${JSON.stringify(states)}`);
  return states.filter((s) => s.panel === kind);
}

/** 1-based line and column of the first layer's "units" key (a hover there explains the layer). */
function unitsPosition(text) {
  const from = text.indexOf('"layers"');
  const at = text.indexOf('"units"', from);
  return { line: lineOf(text, '"units"', from), column: at - text.lastIndexOf('\n', at) + 2 };
}

async function openXor(ctx) {
  await closeAllEditors(ctx.page);
  await openFile(ctx.page, 'xor.nn.json');
}

// ---- the screenshot standard (issue 13): High Contrast and a narrow column, besides 1440×900 Dark Modern

const HC_THEME = 'Default High Contrast';

/** Switches the colour theme through the user settings and waits until the workbench wears it. */
async function useTheme(ctx, theme) {
  await ctx.settings({ 'workbench.colorTheme': theme });
  const hc = theme === HC_THEME;
  await waitFor(`the workbench in ${theme}`, async () => (await ctx.page.locator('.monaco-workbench.hc-black').count()) > 0 === hc, { timeout: 15_000 });
  await sleep(500);
}

/** xor.nn.json's lenses, once every layer's lens is there. */
async function xorLenses(ctx) {
  const [o] = oracle(ctx.root, [join(ctx.workspace, 'xor.nn.json')]);
  const expected = o.layers.map(expectedLensParts);
  return waitFor('the lenses of xor.nn.json', async () => {
    const ls = await codeLensTexts(ctx.page);
    return expected.every((parts) => ls.some((l) => parts.every((p) => l.includes(p)))) ? ls : undefined;
  }, { timeout: 20_000 });
}

/**
 * Each rendered lens item (a link or a text) that ends beyond what its editor shows (the text area left of
 * the minimap and the scrollbar, as VS Code clips code lenses there): { text, link, px }.
 */
async function lensesCutOff(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor');
    if (!editor) return [];
    const e = editor.getBoundingClientRect();
    const minimap = editor.querySelector('.minimap');
    const m = minimap && minimap.getBoundingClientRect().width > 0 ? minimap.getBoundingClientRect().left : e.right - 14;
    const right = Math.min(m, e.right - 14);
    const out = [];
    for (const l of editor.querySelectorAll('.codelens-decoration > *')) {
      const r = l.getBoundingClientRect();
      const text = (l.textContent ?? '').trim();
      if (text && r.right > right + 1) out.push({ text, link: l.tagName === 'A', px: Math.round(r.right - right), width: Math.round(r.width) });
    }
    return out;
  });
}

/** Trains xor.nn.json with its ▶ Train lens unless its loss panel already has a finished curve. */
async function ensureXorTrained(ctx) {
  const done = (await panelState(ctx, 'loss')).some((s) => s.points > 10 && s.specUri?.endsWith('/xor.nn.json'));
  if (done) return;
  const trainLens = ctx.page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /^\s*▶\s*Train\s*$/ }).first();
  await trainLens.waitFor({ timeout: 20_000 });
  await trainLens.click();
  await waitFor('a "Last run" lens', async () => ((await codeLensTexts(ctx.page)).some((l) => l.includes('Last run')) ? true : undefined), { timeout: 180_000, interval: 500 });
}

/** Opens the walkthrough on the sigmoid neuron and steps it to its 4th step (a gradient on the graph). */
async function walkthroughAt(ctx, steps = 4) {
  await runCommand(ctx.page, 'NN Lab: Walk Through Backpropagation…');
  const row = ctx.page.locator('.quick-input-widget .monaco-list-row', { hasText: /sigmoid neuron/i }).first();
  await row.waitFor({ timeout: 10_000 });
  await row.click();
  const frame = await webviewFrame(ctx.page, 'Backprop', { timeout: 20_000 });
  await ctx.exec('nnlab._walkthroughStep', steps);
  await waitFor(`the walkthrough at step ${steps}`, async () => ((await ctx.exec('nnlab._walkthroughState'))?.rendered?.position === steps ? true : undefined), { timeout: 10_000 });
  await sleep(500);
  return frame;
}

/** Text in a webview frame whose glyphs are smaller than `minPx` (computed font size): [text, px]. */
/**
 * The labels of the SVG `svgSel` in `frame` as drawn: how many, the smallest on screen (its CSS font size
 * times the SVG's scale) and every pair of labels or boxes (`boxSel`) that overlap, a label inside its
 * own box excepted.
 */
async function svgLabels(frame, svgSel, boxSel) {
  return frame.evaluate(([svgSel, boxSel]) => {
    const svg = document.querySelector(svgSel);
    const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() && t.getBoundingClientRect().width > 0);
    let minPx = Infinity;
    for (const t of texts) {
      const m = t.getScreenCTM();
      minPx = Math.min(minPx, parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b));
    }
    const boxes = [...texts, ...svg.querySelectorAll(boxSel)].map((e) => ({ e, b: e.getBoundingClientRect() }));
    const overlaps = [];
    for (let i = 0; i < boxes.length; i++)
      for (let j = i + 1; j < boxes.length; j++) {
        const [a, b] = [boxes[i], boxes[j]];
        if (a.e.parentNode === b.e.parentNode || a.e.closest('g') === b.e.closest('g')) continue;
        if (a.b.left < b.b.right - 0.5 && b.b.left < a.b.right - 0.5 && a.b.top < b.b.bottom - 0.5 && b.b.top < a.b.bottom - 0.5) overlaps.push(`${a.e.textContent || a.e.getAttribute('class')} × ${b.e.textContent || b.e.getAttribute('class')}`);
      }
    return { texts: texts.length, minPx, overlaps };
  }, [svgSel, boxSel]);
}

/**
 * Waits for the lab panel's finished `kind` experiment and checks its table, as reported and as shown in
 * the DOM, against the CLI's rows `want` (column 6, the time, left out of both).
 */
async function labTableIsCli(ctx, kind, want) {
  const frame = await webviewFrame(ctx.page, 'Lab', { timeout: 20_000 });
  const [lab] = await waitFor(`the lab panel to report its finished ${kind} table`, async () => {
    const ls = (await panelState(ctx, 'lab')).filter((s) => s.lab?.phase === 'done' && s.lab.kind === kind && s.lab.table?.length);
    return ls.length ? ls : undefined;
  }, { timeout: 90_000 });
  const got = lab.lab.table.map((r) => r.filter((_, i) => i !== 5));
  assert(JSON.stringify(got) === JSON.stringify(want), `lab table ${JSON.stringify(got)}\n  CLI table ${JSON.stringify(want)}`);
  const cells = await frame.evaluate(() => [...document.querySelectorAll('#lab-table tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.innerText.trim())));
  assert(JSON.stringify(cells.map((r) => r.filter((_, i) => i !== 5))) === JSON.stringify(want), `table in the DOM: ${JSON.stringify(cells)}`);
  return { frame, cells };
}

/**
 * A panel's rows (#app's children) as laid out: which overlap the next one, which have content running out
 * of their box, and the loss plot's drawing-area height (0 where there is none).
 */
async function panelLayout(frame) {
  return frame.evaluate(() => {
    const app = document.getElementById('app');
    const kids = [...app.children].filter((e) => !e.hidden && e.getBoundingClientRect().height > 0);
    const overlaps = [];
    for (let i = 1; i < kids.length; i++) {
      const a = kids[i - 1].getBoundingClientRect();
      const b = kids[i].getBoundingClientRect();
      if (a.bottom > b.top + 1) overlaps.push(`${kids[i - 1].id || kids[i - 1].className} (bottom ${Math.round(a.bottom)}) over ${kids[i].id || kids[i].className} (top ${Math.round(b.top)})`);
    }
    const cut = kids.filter((e) => e.scrollHeight > e.clientHeight + 1 && getComputedStyle(e).overflowY === 'visible').map((e) => e.id || e.className);
    return { overlaps, cut, plot: Math.round(document.querySelector('#chart .u-over')?.getBoundingClientRect().height ?? 0) };
  });
}

async function smallText(frame, minPx) {
  return frame.evaluate((min) => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      const t = (n.textContent ?? '').replace(/\u200b/g, '').trim();
      // KaTeX's sub- and superscripts are typeset at 0.7 of the formula's size, as in print
      if (!el || !t || el.closest('.katex-mathml, .katex .msupsub, [hidden], script, style')) continue;
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const px = parseFloat(getComputedStyle(el).fontSize);
      if (px < min) out.push([t.slice(0, 40), px]);
    }
    return out;
  }, minPx);
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
      const { line, column } = unitsPosition(text);
      const [ni, no] = dense.weightShape;
      const hover = norm(await hoverAt(page, line, column));
      for (const want of [`${ni}·${no} + ${no} = ${dense.params}`, `W ${dims([ni, no])}`, 'x·W + b']) {
        assert(hover.includes(want), `hover on layer 1 lacks "${want}": ${hover.slice(0, 600)}`);
      }
      await page.keyboard.press('Escape');
      // Status bar: NN Lab's item names the backend.
      const item = page.locator('.statusbar-item[id^="nnlab.nnlab"]');
      await waitFor('an NN Lab status bar item naming the backend', async () => BACKENDS.test(await item.allInnerTexts().then((t) => t.join(' '))), {
        timeout: 15_000,
      }).catch(async (e) => {
        const mine = (await item.count()) ? `NN Lab's item reads "${(await item.allInnerTexts()).join(' ').trim()}" (tooltip: ${await item.first().getAttribute('aria-label')})` : `no NN Lab item; status bar: ${await statusBarText(page)}`;
        throw new Error(`${e.message}: ${mine}`);
      });
    },
  },
  {
    name: '1c spiral.nn.json (wasm, 32 rows per step): the status bar tooltip says why one thread, at 1440x900 dark and High Contrast and in a narrow window',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page } = ctx;
      await closeAllEditors(page);
      await openFile(page, 'spiral.nn.json');
      const item = page.locator('.statusbar-item[id^="nnlab.nnlab"]');
      // the backend probe's answer for this spec: wasm, one thread, the thresholds of src/core/train/size.ts
      const WHY = /WebAssembly SIMD \(XNNPACK, 1 thread: small network \(35,840 MACs per step < [\d,]+ at 32 rows per step\), threads cost more than they save\)/;
      await waitFor('the status bar item naming wasm', async () => ((await item.count()) && /\bwasm\b/.test(await item.first().innerText()) ? true : undefined), { timeout: 30_000 }).catch(async (e) => {
        throw new Error(`${e.message}: ${(await item.count()) ? `item "${await item.first().innerText()}"` : `no NN Lab item; status bar: ${await statusBarText(page)}`}`);
      });
      const hover = page.locator('.monaco-hover:visible, .workbench-hover:visible');
      /** Hovers the item until its tooltip shows; the tooltip's text. */
      const showTooltip = async () => {
        await page.mouse.move(5, 5);
        await item.first().hover();
        const text = await waitFor('the status bar tooltip', async () => ((await hover.count()) > 0 ? (await hover.first().innerText()).replace(/\s+/g, ' ') : undefined), { timeout: 10_000 });
        await sleep(400);
        return text;
      };
      const tip = await showTooltip();
      ctx.note?.(`status bar tooltip: ${tip.slice(0, 300)}`);
      assert(WHY.test(tip), `the tooltip does not say why one thread: ${tip.slice(0, 600)}`);
      await ctx.shot('1c status bar tooltip spiral dark 1440x900');
      await useTheme(ctx, HC_THEME);
      try {
        await showTooltip();
        await ctx.shot('1c status bar tooltip spiral high contrast 1440x900');
        await page.setViewportSize({ width: 960, height: 800 });
        await sleep(500);
        await showTooltip();
        await ctx.shot('1c status bar tooltip spiral high contrast narrow 960x800');
      } finally {
        await page.setViewportSize({ width: 1440, height: 900 });
        await useTheme(ctx, 'Default Dark Modern');
      }
    },
  },
  {
    name: '1b a typo "tanhh": the lenses stay on their lines, the layer is marked NN105, one problem (not the schema\'s too)',
    async run(ctx) {
      const { page, workspace } = ctx;
      const text = readFileSync(join(workspace, 'xor.nn.json'), 'utf8');
      await openXor(ctx);
      await waitFor('the xor lenses', async () => ((await codeLensTexts(page)).some((l) => l.includes('→ tanh →')) ? true : undefined), { timeout: 20_000 });
      const line = lineOf(text, '"activation": "tanh"');
      const column = text.split('\n')[line - 1].indexOf('"tanh"') + 1 + 5; // after "tanh, before the closing quote
      await goTo(page, line, column);
      await page.keyboard.type('h');
      const lenses = await waitFor('the NN105 lens', async () => {
        const ls = await codeLensTexts(page);
        return ls.some((l) => l.includes('NN105 Unknown activation "tanhh"')) ? ls : undefined;
      }, { timeout: 20_000 });
      ctx.note?.(`lenses with the typo: ${lenses.join(' | ')}`);
      assert(lenses.some((l) => l.includes('wait for the error in layer 1')), `the second layer keeps a lens: ${lenses.join(' | ')}`);
      assert(!lenses.some((l) => /▶\s*Train/.test(l)), `no Train lens while the spec has an error: ${lenses.join(' | ')}`);
      await sleep(2500); // the JSON language server validates against the schema too
      const rows = (await problemsRows(page)).map((r) => `${r.aria} ${r.text}`);
      ctx.note?.(`problems: ${rows.join(' | ')}`);
      // the file row ("1 problems in file xor.nn.json") and exactly one problem row, NN Lab's (not the schema's "Value is not accepted")
      const problems = rows.filter((r) => !/problems? in file/.test(r));
      assert(problems.length === 1 && /generated by nnlab/.test(problems[0]) && /Unknown activation "tanhh"/.test(problems[0]), `one problem for the typo, NN Lab's: ${rows.join(' | ')}`);
      assert(rows.some((r) => /^1 problems? in file xor\.nn\.json/.test(r)), `the file has one problem: ${rows.join(' | ')}`);
      await screenshot(page, join(ctx.outDir, '1b-typo-lenses-and-problems.png'));
      await openFile(page, 'xor.nn.json');
      await page.keyboard.press('Control+Z');
      await waitFor('the dimensions back after undo', async () => ((await codeLensTexts(page)).some((l) => l.includes('→ tanh →')) ? true : undefined), { timeout: 20_000 });
      await runCommand(page, 'File: Save');
      // the save reaches the disk after the command returns: wait for it rather than read at once
      await waitFor('xor.nn.json back as it was on disk', async () => (readFileSync(join(workspace, 'xor.nn.json'), 'utf8') === text ? true : undefined), { timeout: 10_000 });
    },
  },
  {
    name: '2 samples/invalid: each expected diagnostic in the Problems view at its line',
    timeoutMs: 360_000,
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
      // later scenarios measure panels at 1440x900: give the editor area its height back
      await ctx.exec('workbench.action.closePanel').catch(() => undefined);
    },
  },
  {
    name: '3 ▶ Train on XOR: progress, live loss panel with a falling curve, below target, last-run lens, complete run folder',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      const file = join(workspace, 'xor.nn.json');
      const spec = JSON.parse(readFileSync(file, 'utf8'));
      const target = spec.training?.stopWhenLossBelow ?? 0.01;
      await openXor(ctx);
      const before = new Set(listRuns(workspace));
      const trainLens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /^\s*▶\s*Train\s*$/ }).first();
      await trainLens.waitFor({ timeout: 20_000 });
      await startObserver(page);
      const tClick = await pageNow(page);
      await trainLens.click();
      // The run ends: a new "Last run …: loss …" lens.
      const lastRun = await waitFor(
        'a new "Last run" lens',
        async () => (await seen(page)).find((e) => e.kind === 'lens' && e.t >= tClick && e.text.includes('Last run'))?.text,
        { timeout: 180_000, interval: 500 },
      );
      assert(/Last run[^|]*: loss \d/.test(lastRun), `last-run lens: ${lastRun}`);
      const events = await seen(page);
      const progress = events.find((e) => e.kind === 'notification' && /train/i.test(e.text) && e.t >= tClick);
      assert(progress, `no progress notification appeared; seen after the click: ${JSON.stringify(events.filter((e) => e.t >= tClick).map((e) => e.text))}`);
      // The loss panel opened and received a falling curve (the panel's own report of the points it got).
      await webviewFrame(page, 'Loss', { timeout: 20_000 });
      // (a fast run sends few live points; at its end the panel loads every row of the run's metrics.csv)
      const [loss] = await waitFor('the loss panel to report its points', async () => {
        const ls = (await panelState(ctx, 'loss')).filter((s) => s.points > 10);
        return ls.length ? ls : undefined;
      }).catch(async () => panelState(ctx, 'loss'));
      assert(loss.points > 10, `the loss panel received ${loss.points} points`);
      assert(loss.lastLoss < loss.firstLoss, `the loss curve did not fall: first ${loss.firstLoss}, last ${loss.lastLoss}`);
      // The run folder: complete, and the final loss below the target.
      const fresh = listRuns(workspace).filter((d) => !before.has(d));
      assert(fresh.length === 1, `expected one new folder in .nnlab/runs, found ${JSON.stringify(fresh)}`);
      const runDir = join(workspace, '.nnlab/runs', fresh[0]);
      const files = readdirSync(runDir);
      // complete: the spec as trained, every metric row, the summary, the trained model (see src/core/train/runs.ts)
      for (const f of ['spec.nn.json', 'metrics.csv', 'summary.json', 'model.json', 'weights.bin']) {
        assert(files.includes(f), `${runDir} lacks ${f} (has ${files.join(', ')})`);
      }
      const summary = JSON.parse(readFileSync(join(runDir, 'summary.json'), 'utf8'));
      assert(['lossBelowTarget', 'completed'].includes(summary.stopReason), `run stopped with ${summary.stopReason}`);
      assert(summary.finalLoss < target, `final loss ${summary.finalLoss} is not below the target ${target}`);
      const rows = readFileSync(join(runDir, 'metrics.csv'), 'utf8').trim().split('\n');
      assert(rows.length > 10, `metrics.csv has ${rows.length} lines`);
      ctx.note?.(`run ${fresh[0]}: final loss ${summary.finalLoss} in ${summary.elapsedMs} ms on ${summary.backend?.active}; panel got ${loss.points} points`);
    },
  },
  {
    // The shipped XOR reaches its target in well under a second here, too fast to hover during it, so
    // this trains the same network without the early stop (a copy beside it in the temporary workspace).
    name: '3b the editor stays responsive during training: live lens, a hover answers while it runs, Stop',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      const spec = JSON.parse(readFileSync(join(workspace, 'xor.nn.json'), 'utf8'));
      spec.name = 'xor-long';
      // ~28,000 epochs/s here on the cpu backend: long enough to hover during it, and it is stopped below
      spec.training = { ...spec.training, epochs: 1_000_000 };
      delete spec.training.stopWhenLossBelow;
      writeFileSync(join(workspace, 'xor-long.nn.json'), JSON.stringify(spec, null, 2) + '\n');
      const text = readFileSync(join(workspace, 'xor-long.nn.json'), 'utf8');
      await closeAllEditors(page);
      await openFile(page, 'xor-long.nn.json');
      const trainLens = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /^\s*▶\s*Train\s*$/ }).first();
      await trainLens.waitFor({ timeout: 20_000 });
      const { line, column } = unitsPosition(text);
      await goTo(page, 1, 1); // the Train lens sits above line 1: keep it on screen
      await startObserver(page);
      const tClick = await pageNow(page);
      await trainLens.click();
      await waitFor('the live "Training… epoch n/N" lens', async () => (await seen(page)).find((e) => e.kind === 'lens' && e.t >= tClick && /Training… epoch \d+\/\d+/.test(e.text)), {
        timeout: 30_000,
        interval: 100,
      });
      // The cursor to "units", then ask for the hover (Ctrl+K Ctrl+I) and time it in the page.
      await goTo(page, line, column);
      const h0 = await pageNow(page);
      const hover = norm(await showHover(page));
      const hoverMs = (await pageNow(page)) - h0;
      await page.keyboard.press('Escape');
      await goTo(page, 1, 1); // back to the lens above line 1 (a small editor may have scrolled it away)
      const stillLive = await waitFor('the live lens after the hover', async () => (await codeLensTexts(page)).some((l) => /Training… epoch \d+\/\d+/.test(l)), {
        timeout: 3000,
      }).catch(() => false);
      assert(hover.includes('·'), `hover during training: ${hover.slice(0, 200)}`);
      assert(stillLive, 'training had already ended when the hover answered (the test proves nothing then)');
      assert(hoverMs < 2500, `the hover took ${hoverMs.toFixed(0)} ms during training`);
      ctx.note?.(`hover during training answered in ${hoverMs.toFixed(0)} ms`);
      await runCommand(page, 'NN Lab: Stop Training');
      const stopped = await waitFor(
        'the "Last run (stopped …)" lens',
        async () => (await seen(page)).find((e) => e.kind === 'lens' && e.t >= tClick && e.text.includes('Last run'))?.text,
        { timeout: 30_000, interval: 250 },
      );
      assert(/stopped/i.test(stopped), `after Stop the lens reads: ${stopped}`);
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
      const [g] = await waitFor('the graph panel to report its nodes', async () => {
        const gs = (await panelState(ctx, 'graph')).filter((s) => s.nodes > 0);
        return gs.length ? gs : undefined;
      });
      const units = o.layers.filter((l) => l.type === 'dense').map((l) => l.outputShape[1]);
      const inputs = o.layers[0].inputShape[1];
      // neuron view: one node per input and per unit; layers view: Input, one node per spec layer, Output
      const want = g.view === 'neuron' ? inputs + units.reduce((a, b) => a + b, 0) : o.layers.length + 2;
      assert(g.nodes === want, `graph (${g.view} view) draws ${g.nodes} nodes, expected ${want}`);
      const drawn = await graph.evaluate(() => document.querySelectorAll('#graph-svg g.node').length);
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
      const [a] = await waitFor('the activation panel to report ELU with α = 0.5', async () => {
        const as = (await panelState(ctx, 'activations')).filter((s) => s.activation === 'elu' && Math.abs(s.alpha - 0.5) < 1e-9);
        return as.length ? as : undefined;
      });
      assert(a, 'activation panel state missing');
      const body = await act.evaluate(() => document.body.innerText);
      assert(/ELU/.test(body) && /0\.5/.test(body), `activation panel text lacks ELU / α 0.5: ${body.slice(0, 300)}`);
    },
  },
  {
    name: '4b graph panel: fills the panel, zoom and Fit, labels of 12 px or more at Fit, hover shows every entry, sample picker (issue 13 item 2)',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page, workspace, outDir } = ctx;
      // the webviews' own errors, for the failure message
      const errors = [];
      const onConsole = (m) => m.type() === 'error' && errors.push(m.text().slice(0, 300));
      const onError = (e) => errors.push(String(e).slice(0, 300));
      page.on('console', onConsole);
      page.on('pageerror', onError);
      await openXor(ctx);
      // weights to show: a real XOR run (the graph panel then reads this window's run)
      const runsBefore = listRuns(workspace).length;
      await runCommand(page, 'NN Lab: Train');
      await waitFor('the XOR run to finish', async () => listRuns(workspace).length > runsBefore && listRuns(workspace).some((d) => existsSync(join(workspace, '.nnlab/runs', d, 'summary.json'))), { timeout: 120_000, interval: 500 });
      await runCommand(page, 'NN Lab: Show Graph');
      // On this loaded 2-core machine (eight e2e runs at once) a new graph webview's frame sometimes never
      // loads (NN Lab's start watch recreates it and gives up: "did not start"); that is not what this
      // scenario tests, so such a panel is closed and opened once more, and the retry is reported.
      const opened = await webviewFrame(page, 'Graph', { timeout: 45_000 }).catch(async () => {
        ctx.note?.('4b: the graph webview did not start in 45 s; closing the panel and showing it again');
        await runCommand(page, 'View: Close Editor');
        await runCommand(page, 'NN Lab: Show Graph');
        return undefined;
      });
      const graph = opened ?? await webviewFrame(page, 'Graph', { timeout: 60_000 }).catch(async (e) => {
        // what each webview document holds: its script loaded and ran, or not
        const frames = [];
        for (const f of page.frames()) {
          if (!f.parentFrame()?.parentFrame()) continue;
          frames.push(
            await f
              .evaluate(() => `${document.title}: app ${document.getElementById('app')?.childElementCount ?? 'none'}, scripts ${[...document.scripts].map((s) => s.src.split('/').pop()).join(',')}, resources ${performance.getEntriesByType('resource').map((r) => `${r.name.split('/').pop()}:${r.responseStatus ?? '?'}:${Math.round(r.duration)}ms`).join(',')}`)
              .catch((x) => String(x).slice(0, 120)),
          );
        }
        throw new Error(`${e.message}; errors in the page: ${errors.join(' | ')}; webview documents: ${frames.join(' || ')}`);
      });
      page.off('console', onConsole);
      page.off('pageerror', onError);
      await waitFor('the graph panel to draw weights', async () => (await panelState(ctx, 'graph')).some((s) => /^weights/.test(s.weights ?? '')), { timeout: 30_000 });
      const problems = [];
      /** what the stage shows: the panel's and the drawing's boxes, the smallest label on screen, overlapping labels */
      const measure = () =>
        graph.evaluate(() => {
          const comp = !document.querySelector('#compgraph')?.hidden;
          const svg = comp ? document.querySelector('#compgraph svg') : document.querySelector('#graph-svg');
          const content = comp ? svg.querySelector('.cg-nodes') : document.querySelector('#viewport .nodes');
          const r = (el) => {
            const b = el.getBoundingClientRect();
            return { x: b.x, y: b.y, w: b.width, h: b.height };
          };
          return { comp, panel: { w: innerWidth, h: innerHeight }, svg: r(svg), stage: r(document.querySelector('#stage')), content: r(content), viewBox: svg.getAttribute('viewBox'), transform: document.querySelector('#viewport')?.getAttribute('transform') };
        }).then(async (m) => ({ ...m, ...(await svgLabels(graph, m.comp ? '#compgraph svg' : '#graph-svg', m.comp ? '.cg-box' : '.node-shape, .neuron-shape')) }));
      const check = (what, m) => {
        if (m.svg.w < 0.9 * m.panel.w || m.svg.h < 0.6 * m.panel.h) problems.push(`${what}: the SVG (${m.svg.w.toFixed(0)}×${m.svg.h.toFixed(0)}) does not fill the panel (${m.panel.w}×${m.panel.h})`);
        // at Fit the drawing spans the stage in one direction (less the margin)
        if (m.content.w < 0.8 * m.svg.w && m.content.h < 0.8 * m.svg.h) problems.push(`${what}: at Fit the drawing (${m.content.w.toFixed(0)}×${m.content.h.toFixed(0)}) is small in the SVG (${m.svg.w.toFixed(0)}×${m.svg.h.toFixed(0)})`);
        if (!(m.minPx >= 12)) problems.push(`${what}: the smallest label is ${m.minPx.toFixed(2)} px on screen at Fit`);
        if (m.overlaps.length) problems.push(`${what}: labels overlap: ${m.overlaps.slice(0, 5).join('; ')}`);
        ctx.note?.(`${what}: panel ${m.panel.w}×${m.panel.h}, stage ${m.stage.w.toFixed(0)}×${m.stage.h.toFixed(0)}, drawing ${m.content.w.toFixed(0)}×${m.content.h.toFixed(0)}, ${m.texts} labels, smallest ${m.minPx.toFixed(2)} px`);
      };
      const fitNow = async () => {
        await graph.locator('#fit').click();
        await sleep(300);
      };
      for (const view of ['layers', 'neurons', 'compgraph']) {
        await graph.locator(`#view-${view}`).click();
        await waitFor(`the ${view} view`, async () => (await panelState(ctx, 'graph')).some((s) => s.view === (view === 'neurons' ? 'neuron' : view) && s.nodes > 0));
        await sleep(800);
        await fitNow();
        check(view, await measure());
      }
      await screenshot(page, join(outDir, 'graph-compgraph-fit-1440x900.png'));
      // the computational graph of the output layer has its values drawn
      const values = await graph.locator('#compgraph .cg-value').count();
      if (values < 5) problems.push(`the computational graph draws ${values} values, expected x, W, xW, b, z, a, L, y`);
      // zoom in, Fit, the wheel and the keys all change what is shown; Fit comes back to the same view
      const fitted = (await measure()).viewBox;
      await graph.locator('#zoom-in').click();
      const zoomed = (await measure()).viewBox;
      if (zoomed === fitted) problems.push(`Zoom in did not change the view (${fitted})`);
      const vw = (vb) => Number(vb.split(' ')[2]);
      if (!(vw(zoomed) < vw(fitted))) problems.push(`Zoom in did not enlarge: viewBox ${fitted} → ${zoomed}`);
      await fitNow();
      if ((await measure()).viewBox !== fitted) problems.push(`Fit did not return to the fitted view: ${fitted} → ${(await measure()).viewBox}`);
      const stage = graph.locator('#stage');
      await stage.hover({ position: { x: 40, y: 40 } });
      await page.mouse.wheel(0, 300);
      await sleep(300);
      const wheeled = (await measure()).viewBox;
      if (!(vw(wheeled) > vw(fitted))) problems.push(`the mouse wheel (down) did not zoom out: ${fitted} → ${wheeled}`);
      await stage.focus();
      await page.keyboard.press('0');
      await sleep(200);
      if ((await measure()).viewBox !== fitted) problems.push(`the key 0 did not fit: ${(await measure()).viewBox}, fitted ${fitted}`);
      await page.keyboard.press('+');
      await sleep(200);
      if (!(vw((await measure()).viewBox) < vw(fitted))) problems.push(`the key + did not zoom in: ${(await measure()).viewBox}`);
      await page.keyboard.press('0');
      await sleep(200);
      // hover W: the tooltip shows every entry of W (4×1 for XOR's output layer) and of ∂L/∂W
      await graph.locator('#compgraph .cg-node[data-id="W"]').hover();
      const tip = await waitFor('the tooltip over W', async () => {
        const t = await graph.locator('#tooltip').evaluate((el) => (el.hidden ? '' : el.textContent));
        return t ? t : undefined;
      }, { timeout: 5000 }).catch(() => '');
      const rows = tip.split('\n').filter((l) => /^\s+\[[-+−\d.e, ]+\]$/.test(l));
      if (rows.length !== 8) problems.push(`the tooltip over W should list 4 rows of W and 4 of ∂L/∂W, it reads: ${JSON.stringify(tip)}`);
      await screenshot(page, join(outDir, 'graph-compgraph-hover-W.png'));
      // the sample picker: sample 3 of XOR's 4
      const picked = await graph.evaluate(() => {
        const sel = document.querySelector('#sample-select');
        if (!sel) return 'no #sample-select';
        sel.value = '2';
        sel.dispatchEvent(new Event('change', { bubbles: true }));
        return '';
      });
      if (picked) problems.push(picked);
      const caption = await waitFor('the caption to name sample 3', async () => {
        const t = await graph.locator('#legend').innerText();
        return /for sample 3:/.test(t) ? t : undefined;
      }, { timeout: 5000 }).catch(async () => graph.locator('#legend').innerText());
      if (!/for sample 3:/.test(caption)) problems.push(`after picking sample 3 the caption reads: ${caption}`);
      assert(problems.length === 0, problems.join('\n'));
    },
  },
  {
    name: '4c graph panel flatten card: image-3x3 and MNIST pixels next to the flattened vector, index mapping on hover, prediction (issue 16 item 6)',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page, workspace, outDir } = ctx;
      const problems = [];
      // the panel titled "Graph: <spec name>" (another spec's graph panel may be open too)
      const showGraph = async (title) => {
        await runCommand(page, 'NN Lab: Show Graph');
        return webviewFrame(page, title, { timeout: 45_000 }).catch(async () => {
          ctx.note?.(`4c: the ${title} webview did not start in 45 s; closing the panel and showing it again`);
          await runCommand(page, 'View: Close Editor');
          await runCommand(page, 'NN Lab: Show Graph');
          return webviewFrame(page, title, { timeout: 60_000 });
        });
      };
      /** hovers pixel (row, col) (1-based) of the card's grid and returns the mapping line */
      const hoverPixel = async (frame, row, col, n) => {
        const box = await frame.locator('#flatten-grid').boundingBox();
        const cell = box.width / n;
        await frame.locator('#flatten-grid').hover({ position: { x: (col - 0.5) * cell, y: (row - 0.5) * cell } });
        await sleep(200);
        return (await frame.locator('#flatten-mapping').innerText()).trim();
      };
      // image-3x3, trained: the card's prediction for sample 1
      await closeAllEditors(page);
      await openFile(page, 'image-3x3.nn.json');
      const before = listRuns(workspace).filter((d) => d.endsWith('image-3x3')).length;
      await runCommand(page, 'NN Lab: Train');
      await waitFor('the image-3x3 run to finish', async () => listRuns(workspace).filter((d) => d.endsWith('image-3x3') && existsSync(join(workspace, '.nnlab/runs', d, 'summary.json'))).length > before, { timeout: 120_000, interval: 500 });
      await openFile(page, 'image-3x3.nn.json');
      const g3 = await showGraph('Graph: image-3x3');
      await waitFor('the flatten card with a prediction', async () => (await g3.locator('#flatten-card:not([hidden]) .flatten-bar').count()) === 2, { timeout: 20_000 });
      const title3 = (await g3.locator('#flatten-title').innerText()).replace(/\s+/g, '');
      if (title3 !== 'Flatten:3×3image→x∈ℝ1×9') problems.push(`image-3x3: card title ${title3}`);
      const m3 = await hoverPixel(g3, 2, 3, 3);
      if (!m3.startsWith('pixel (2, 3) ↔ x6 = x[(2 − 1)·3 + 3] = ')) problems.push(`image-3x3: hovering pixel (2, 3) says ${m3}`);
      const mark = await g3.locator('.flatten-vector-box .flatten-mark').evaluate((el) => !el.hidden);
      if (!mark) problems.push('image-3x3: hovering a pixel does not mark its entry of the vector');
      const bars = await g3.locator('.flatten-bar-value').allInnerTexts();
      const sum = bars.reduce((a, b) => a + Number(b), 0);
      if (Math.abs(sum - 1) > 0.002) problems.push(`image-3x3: the class probabilities ${bars.join(', ')} do not sum to 1`);
      const said = await g3.locator('#flatten-prediction').innerText();
      // sample 1 is a vertical bar: class 1; the trained net gets it right
      if (!/Sample 1: predicted class 1, target class 1/.test(said)) problems.push(`image-3x3: ${said.split('\n')[0]}`);
      await screenshot(page, join(outDir, 'graph-flatten-image-3x3.png'));
      // MNIST, untrained: the digit of sample 1 and its 784 entries
      await closeAllEditors(page);
      await openFile(page, 'mnist.nn.json');
      const gm = await showGraph('Graph: mnist');
      await waitFor('the MNIST flatten card', async () => (await gm.locator('#flatten-card:not([hidden])').count()) === 1 && /1×784/.test(await gm.locator('#flatten-title').innerText()), { timeout: 60_000 });
      const mm = await hoverPixel(gm, 15, 10, 28);
      if (!mm.startsWith('pixel (15, 10) ↔ x402 = x[(15 − 1)·28 + 10]')) problems.push(`MNIST: hovering pixel (15, 10) says ${mm}`);
      // a digit: along row 15 some pixels are ink (> 0.5) and some background (0), as the hover reads them
      const row = [];
      for (let c = 1; c <= 28; c += 1) row.push(Number((await hoverPixel(gm, 15, c, 28)).split(' = ').pop()));
      // (a hover that lands before the card reacts reads no value: NaN, left out)
      const read = row.filter(Number.isFinite);
      if (!(read.length >= 20 && Math.max(...read) > 0.5 && Math.min(...read) === 0)) problems.push(`MNIST: row 15 of sample 1 reads ${row.join(' ')}`);
      ctx.note?.(`4c: MNIST sample 1, row 15: ${row.map((v) => (v > 0.5 ? '#' : v > 0 ? '+' : '.')).join('')}`);
      await screenshot(page, join(outDir, 'graph-flatten-mnist.png'));
      assert(problems.length === 0, problems.join('\n'));
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
      // Step to the end with the panel's own End button.
      const end = frame.locator('#end');
      await waitFor('the walkthrough End button', async () => (await end.count()) > 0 && (await end.getAttribute('disabled')) === null);
      await end.evaluate((el) => el.click());
      const counter = await waitFor('the step counter to read n / n', async () => {
        const t = (await frame.locator('#counter').innerText().catch(() => '')).trim();
        const m = /^(\d+)\s*\/\s*(\d+)$/.exec(t);
        return m && m[1] === m[2] ? t : undefined;
      });
      ctx.note?.(`walkthrough at step ${counter}`);
      const body = await waitFor('∂f/∂w₁ = −0.235004 in the walkthrough panel', async () => {
        const t = norm(await frame.evaluate(() => document.body.innerText));
        return /∂f\/∂w₁\s*=\s*[−-]0\.235004/.test(t) ? t : undefined;
      });
      assert(body, 'walkthrough text missing');
    },
  },
  {
    // issue 13 item 20 (i13-compare): two runs of xor with different learning rates, trained with the CLI
    name: '13c compare runs: the loss panel names two xor runs by their learning rate, its table equals the CLI and summary.json',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const xor = JSON.parse(readFileSync(join(workspace, 'xor.nn.json'), 'utf8'));
      const file = join(workspace, 'cmp.nn.json');
      const cli = {};
      for (const lr of [0.05, 0.5]) {
        writeFileSync(file, JSON.stringify({ ...xor, name: 'cmp', optimizer: { type: 'adam', learningRate: lr } }, null, 2));
        const r = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'train', file, '--backend', 'cpu'], { cwd: workspace, encoding: 'utf8' });
        assert(r.status === 0, `nnlab train (lr ${lr}) failed: ${r.stderr}`);
        // the CLI's own lines: "epoch 58/500, steps …" and "loss 0.000994, best …"
        cli[lr] = { epochs: /^(epoch \d+\/\d+),/m.exec(r.stdout)?.[1], loss: /^loss (\S+), best/m.exec(r.stdout)?.[1], run: /^run: (.+)$/m.exec(r.stdout)?.[1].trim().split(/[\\/]/).pop() };
      }
      await closeAllEditors(page);
      await openFile(page, 'cmp.nn.json');
      await runCommand(page, 'NN Lab: Show Loss Curves');
      const frame = await webviewFrame(page, 'Loss', { timeout: 30_000 });
      const rows = await waitFor('the runs table with both runs', async () => {
        const rs = await frame.locator('#runs-table tbody tr[data-run]').evaluateAll((trs) => trs.map((tr) => ({
          id: tr.getAttribute('data-run'),
          name: tr.querySelector('.run-name')?.firstChild?.textContent ?? '',
          loss: tr.querySelector('.run-loss')?.textContent ?? '',
          epochs: tr.querySelector('.run-epochs')?.textContent ?? '',
        })));
        return rs.length >= 2 ? rs : undefined;
      }, { timeout: 30_000 });
      for (const lr of [0.05, 0.5]) {
        const row = rows.find((r) => r.id === cli[lr].run);
        assert(row, `no table row for the lr ${lr} run ${cli[lr].run}: ${JSON.stringify(rows)}`);
        assert(row.name === `lr ${lr}`, `the lr ${lr} run is named "${row.name}"`);
        // the oracle: the CLI's words and summary.json, formatted by nothing in the panel
        const summary = JSON.parse(readFileSync(join(workspace, '.nnlab/runs', cli[lr].run, 'summary.json'), 'utf8'));
        assert(row.loss === cli[lr].loss, `lr ${lr}: table loss ${row.loss}, CLI ${cli[lr].loss} (summary.json ${summary.finalLoss})`);
        assert(Math.abs(Number(row.loss) - summary.finalLoss) <= 5e-4 * Math.max(1, summary.finalLoss) + 1e-6 || /e/.test(row.loss), `lr ${lr}: ${row.loss} vs summary.json ${summary.finalLoss}`);
        assert(row.epochs === cli[lr].epochs && row.epochs.startsWith(`epoch ${summary.epochs}/`), `lr ${lr}: table ${row.epochs}, CLI ${cli[lr].epochs}, summary.json ${summary.epochs}`);
      }
      const common = await frame.locator('#runs-common').innerText();
      assert(common.startsWith('All runs: 2-4-1 · tanh/sigmoid') && !/lr \d/.test(common), `shared line: ${common}`);
      // the chart's legend names the other run by its learning rate
      const legend = await frame.locator('.u-legend').innerText();
      assert(/lr 0\.05 \(epoch loss\)/.test(legend), `legend: ${legend}`);
      await screenshot(page, join(ctx.outDir, '13c-compare-runs.png'));
      ctx.note?.(`table: ${rows.map((r) => `${r.name} ${r.loss} ${r.epochs}`).join('; ')}`);
      // rename the lr 0.05 run with its ✎: VS Code's input box; the name goes into the run's run.json
      // and replaces "lr 0.05" in the table and the legend
      const slow = cli[0.05].run;
      await frame.locator(`#runs-table button.run-rename[data-run="${slow}"]`).click();
      const box = page.locator('.quick-input-widget .quick-input-box input');
      await box.waitFor({ state: 'visible', timeout: 10_000 });
      await box.fill('slow start');
      await box.press('Enter');
      await waitFor('the table to name the run "slow start"', async () => (await frame.locator(`#runs-table tr[data-run="${slow}"] .run-name`).innerText()).startsWith('slow start'), { timeout: 10_000 });
      const meta = JSON.parse(readFileSync(join(workspace, '.nnlab/runs', slow, 'run.json'), 'utf8'));
      assert(meta.label === 'slow start', `run.json: ${JSON.stringify(meta)}`);
      await waitFor('the legend to name it too', async () => /slow start \(epoch loss\)/.test(await frame.locator('.u-legend').innerText()), { timeout: 10_000 });
      // the export buttons: VS Code's save dialog (in the browser its own path box), proposed next to the spec
      for (const format of ['png', 'svg', 'csv']) {
        const target = join(workspace, `cmp-loss.${format}`);
        rmSync(target, { force: true });
        await frame.locator(`#btn-${format}`).click();
        await box.waitFor({ state: 'visible', timeout: 10_000 });
        // the dialog fills in the folder, then the proposed name
        const proposed = await waitFor(`the save dialog to propose cmp-loss.${format}`, async () => {
          const v = await box.inputValue();
          return v.endsWith(`cmp-loss.${format}`) ? v : undefined;
        }, { timeout: 10_000 });
        assert(proposed === target, `the save dialog proposes ${proposed}, expected ${target} (next to the spec)`);
        await box.press('Enter');
        await waitFor(`${target} to be written`, async () => existsSync(target) && statSync(target).size > 0, { timeout: 15_000 });
      }
      const png = readFileSync(join(workspace, 'cmp-loss.png'));
      const [pw, ph] = [png.readUInt32BE(16), png.readUInt32BE(20)];
      assert(png.subarray(1, 4).toString() === 'PNG' && pw === 2400 && ph === 1350, `cmp-loss.png is ${pw}×${ph}, expected 2400×1350 (1200×675 at 2×)`);
      const svg = readFileSync(join(workspace, 'cmp-loss.svg'), 'utf8');
      assert(svg.startsWith('<svg') && svg.includes('slow start') && svg.includes('lr 0.5'), 'the SVG names both runs as the table does');
      const csv = readFileSync(join(workspace, 'cmp-loss.csv'), 'utf8').trim().split('\n');
      assert(csv[0] === 'kind,step,epoch,batch_epoch,loss,val_loss,accuracy,val_accuracy,elapsed_ms' && csv.length > 2, `cmp-loss.csv: ${csv.slice(0, 2).join(' / ')}`);
      ctx.note?.(`exports: cmp-loss.png ${pw}×${ph}, cmp-loss.svg ${svg.length} chars, cmp-loss.csv ${csv.length - 1} rows`);
    },
  },
  {
    // issue 16 item 7 (i13-compare): NN Lab: Train Several Seeds, the band and the spread
    name: '13d train several seeds: three runs grouped, the mean ± std band in the chart, the spread in the table equals numpy',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      const xor = JSON.parse(readFileSync(join(workspace, 'xor.nn.json'), 'utf8'));
      const file = join(workspace, 'seeds.nn.json');
      const text = JSON.stringify({ ...xor, name: 'seeds', training: { epochs: 60, batchSize: 4, seed: 42 } }, null, 2);
      writeFileSync(file, text);
      await closeAllEditors(page);
      await openFile(page, 'seeds.nn.json');
      const summaries = await ctx.exec('nnlab.trainSeeds', file, 3);
      assert(Array.isArray(summaries) && summaries.length === 3, `trainSeeds returned ${JSON.stringify(summaries)?.slice(0, 300)}`);
      assert(readFileSync(file, 'utf8') === text, 'the spec was modified');
      const dirs = summaries.map((s) => s.runDir);
      const seeds = dirs.map((d) => JSON.parse(readFileSync(join(d, 'spec.nn.json'), 'utf8')).training.seed);
      assert(JSON.stringify(seeds) === '[42,43,44]', `seeds ${seeds}`);
      const groups = dirs.map((d) => JSON.parse(readFileSync(join(d, 'run.json'), 'utf8')).seedGroup);
      assert(groups[0] && groups.every((g) => g === groups[0]), `groups ${groups}`);
      // the oracle: numpy's mean and sample std (ddof=1) of the summary.json final losses
      const losses = dirs.map((d) => JSON.parse(readFileSync(join(d, 'summary.json'), 'utf8')).finalLoss);
      const np = spawnSync('python3', ['-c', 'import sys, json, numpy as n; a = n.array(json.loads(sys.argv[1])); print(json.dumps([a.mean(), a.std(ddof=1)]))', JSON.stringify(losses)], { encoding: 'utf8' });
      assert(np.status === 0, np.stderr);
      const [mean, std] = JSON.parse(np.stdout);
      await runCommand(page, 'NN Lab: Show Loss Curves');
      const frame = await webviewFrame(page, 'Loss', { timeout: 30_000 });
      const spread = await waitFor('the seed spread row', async () => {
        const t = await frame.locator('#runs-table .spread-loss').first().innerText().catch(() => '');
        return t ? t : undefined;
      }, { timeout: 30_000 });
      const m = /^(\S+) ± (\S+) \(3 seeds\)$/.exec(spread);
      assert(m, `spread cell: ${spread}`);
      const close = (shown, want) => Math.abs(Number(shown) - want) <= 0.5e-4 * Math.max(1, Math.abs(want)) + 1e-12 || Math.abs(Number(shown) - want) / Math.abs(want) < 5e-3;
      assert(close(m[1], mean) && close(m[2], std), `table ${spread}, numpy mean ${mean} std ${std}`);
      const legend = await frame.locator('.u-legend').innerText();
      assert(legend.includes('mean (dotted) ± std of 3 seeds'), `legend: ${legend}`);
      const names = await frame.locator('#runs-table .run-name').allInnerTexts();
      assert(['seed 42', 'seed 43', 'seed 44'].every((n) => names.some((t) => t.startsWith(n))), `names: ${names}`);
      // the "3 seeds trained" toast would cover the table's spread row
      await runCommand(page, 'Notifications: Clear All Notifications').catch(() => undefined);
      await frame.locator('#runs-table .seed-spread').scrollIntoViewIfNeeded().catch(() => undefined);
      await screenshot(page, join(ctx.outDir, '13d-seeds-band.png'));
      ctx.note?.(`seeds: losses ${losses.join(', ')}; table ${spread}; numpy ${mean} ± ${std}`);
    },
  },
  {
    name: '7 stepping xor: a sample from the lens, a batch from the palette; the loss panel shows the core\'s numbers',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const file = join(workspace, 'xor.nn.json');
      // the oracle: the same two steps taken by NN Lab's core outside VS Code (test/e2e/step-oracle.ts)
      const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/e2e/step-oracle.ts'), file, 'sample', 'batch'], { cwd: root, encoding: 'utf8' });
      assert(r.status === 0, `step oracle failed: ${r.stderr}`);
      const [sample, batch] = JSON.parse(r.stdout);
      await openXor(ctx);
      // untrained: the "Step" lens starts the run paused and steps its first sample
      const lens = page.locator('.codelens-decoration a', { hasText: /^\s*\S*\s*Step\s*$/ }).first();
      await waitFor('the Step lens', async () => (await lens.count()) > 0, { timeout: 20_000 });
      await lens.click();
      const loss = await webviewFrame(page, 'Loss', { timeout: 30_000 });
      const values = (frame, sel) => frame.evaluate((q) => [...document.querySelectorAll(q)].map((e) => Number(e.getAttribute('data-value'))), sel);
      const closeTo = (got, want, what) => {
        assert(got.length === want.length, `${what}: ${got.length} numbers in the panel, the core has ${want.length}`);
        got.forEach((g, i) => assert(Math.abs(g - want[i]) <= 1e-6 * Math.max(1, Math.abs(want[i])), `${what}[${i + 1}]: panel ${g}, core ${want[i]}`));
      };
      await waitFor('the step area to show sample 1', async () => (await loss.evaluate(() => document.querySelector('#step')?.getAttribute('data-unit'))) === 'sample', { timeout: 30_000 });
      const title = norm(await loss.locator('#step-title').innerText());
      assert(title.startsWith('sample 1 of 4 (data row 1), batch 1/1 of epoch 1'), `step title: ${title}`);
      closeTo(await values(loss, '#step-loss .num'), [sample.loss], 'Lᵢ');
      closeTo(await values(loss, '#step-output .num'), sample.output, 'ŷ');
      closeTo(await values(loss, '#step-a1 .num'), sample.forward[0].a, 'a¹');
      closeTo(await values(loss, '#step-share-db1 td'), sample.grads[0].db, '(1/4)·∂Lᵢ/∂b¹');
      await screenshot(page, join(ctx.outDir, '7-step-sample-xor-1440x900.png'));
      // then one batch from the command palette: the update, with W before / ∂L/∂W / W after
      await runCommand(page, 'NN Lab: Step One Batch');
      await waitFor('the step area to show the batch', async () => (await loss.evaluate(() => document.querySelector('#step')?.getAttribute('data-unit'))) === 'batch', { timeout: 30_000 });
      const bt = norm(await loss.locator('#step-title').innerText());
      assert(bt.startsWith('Batch 1/1 of epoch 1 (4 samples, 1 of its 4 samples stepped first): update 1 applied'), `batch title: ${bt}`);
      assert(norm(await loss.locator('#step-rule').innerText()).includes('α = 0.05 (Adam)'), 'the update rule names Adam and α');
      closeTo(await values(loss, '#step-batch-loss .num'), [batch.loss], 'batch loss');
      for (const [i, l] of batch.layers.entries()) {
        closeTo(await values(loss, `#step-W${i + 1} td`), l.W.flat(), `W${i + 1} before`);
        closeTo(await values(loss, `#step-dW${i + 1} td`), l.dW.flat(), `∂L/∂W${i + 1}`);
        closeTo(await values(loss, `#step-Wafter${i + 1} td`), l.WAfter.flat(), `W${i + 1} after`);
      }
      ctx.note?.(`step panel: sample loss ${sample.loss}, batch loss ${batch.loss}, as the core computes them`);
      await screenshot(page, join(ctx.outDir, '7-step-xor-1440x900.png'));
      await runCommand(page, 'NN Lab: Stop Training');
    },
  },
  {
    name: '5b graph formula card: click a weight of XOR, its formula with the numbers; edit it, loss and regions follow; Write Edited Weights to Spec',
    timeoutMs: 180_000,
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const spec = join(workspace, 'xor.nn.json');
      const onDisk = readFileSync(spec, 'utf8');
      const target = { kind: 'weight', layer: 0, from: 1, to: 0 };
      const expected = (edited) => {
        const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'test/e2e/formula-oracle.ts'), spec, JSON.stringify(target), '1', ...(edited === undefined ? [] : [String(edited)])], { cwd: root, encoding: 'utf8' });
        if (r.status !== 0) throw new Error(`formula oracle failed: ${r.stderr}`);
        return JSON.parse(r.stdout);
      };
      await openXor(ctx);
      await runCommand(page, 'NN Lab: Show Graph');
      // a busy 2-core machine takes a while to start a webview
      let graph = await webviewFrame(page, 'Graph', { timeout: 60_000 });
      await graph.locator('#view-neurons').click();
      await waitFor('the neuron view with weights', async () => {
        const [g] = await panelState(ctx, 'graph');
        return g && g.view === 'neuron' && g.nodes > 0 && !/initial view/.test(g.weights ?? '') ? g : undefined;
      }, { timeout: 20_000 });
      // click the weight from input 2 to unit 1 of layer 1, then the card's next sample (sample 2: x = [0, 1])
      await graph.locator('[data-edge="w0_1_0"]').dispatchEvent('click');
      await graph.locator('#formula-card:not([hidden])').waitFor({ timeout: 10_000 });
      await graph.locator('#fc-next').click();
      const want = expected();
      ctx.note?.(`panel weights: ${want.weights}`);
      const shown = await waitFor('the card to read the core\'s text for sample 2', async () => {
        const [g] = await panelState(ctx, 'graph');
        return g?.card === want.text ? g : undefined;
      }, { timeout: 15_000 }).catch(async () => {
        const [g] = await panelState(ctx, 'graph');
        throw new Error(`card text differs:\n${g?.card}\n--- expected ---\n${want.text}`);
      });
      assert(Math.abs(shown.dataLoss - want.loss) < 1e-9, `loss on the data ${shown.dataLoss}, core ${want.loss}`);
      // KaTeX typeset every equation (MathML inside)
      const eqs = await graph.locator('#formula-card .fc-eq .katex').count();
      assert(eqs === want.text.split('\n').length - 2, `${eqs} typeset equations, expected ${want.text.split('\n').length - 2}`);
      const regionsBefore = await graph.locator('#fc-regions').evaluate((c) => c.toDataURL());
      // edit: type 2.5
      await graph.locator('#fc-value').fill('2.5');
      const editedWant = expected(2.5);
      const after = await waitFor('the card, the loss and the edit count to follow the edit', async () => {
        const [g] = await panelState(ctx, 'graph');
        return g?.edited === 1 && g.card === editedWant.text ? g : undefined;
      }, { timeout: 10_000 });
      assert(Math.abs(after.dataLoss - editedWant.loss) < 1e-9 && after.dataLoss !== shown.dataLoss, `loss after the edit ${after.dataLoss}, core ${editedWant.loss}, before ${shown.dataLoss}`);
      const regionsAfter = await graph.locator('#fc-regions').evaluate((c) => c.toDataURL());
      assert(regionsAfter !== regionsBefore, 'the decision regions did not change with the edit');
      const lossLine = await graph.locator('#fc-loss').innerText();
      ctx.note?.(lossLine);
      await screenshot(page, join(ctx.outDir, '5b-formula-card-edit.png'));
      // write back: the editor gets the values, unsaved
      await runCommand(page, 'NN Lab: Write Edited Weights to Spec');
      const editorText = await waitFor('init values in the editor', async () => {
        const t = (await page.locator('.editor-instance .view-lines').first().innerText().catch(() => '')).replace(/\u00a0/g, ' ');
        return /"init": \{ "values": \[\[/.test(t) && /2\.5/.test(t) ? t : undefined;
      }, { timeout: 10_000 });
      ctx.note?.(editorText.split('\n').find((l) => l.includes('"init"')));
      assert(readFileSync(spec, 'utf8') === onDisk, 'the file on disk changed: the write must not save');
      // unsaved, as VS Code keeps it (the extension host's documents, not a tab's CSS class)
      const docs = await ctx.exec('_nnlabTest.documents');
      const xorDocs = docs.filter((d) => d.path === spec);
      ctx.note?.(`documents of xor.nn.json: ${JSON.stringify(xorDocs.map((d) => ({ uri: d.uri, isDirty: d.isDirty, init: d.text.includes('"init"') })))}`);
      try {
        assert(xorDocs.length === 1 && xorDocs[0].isDirty && xorDocs[0].text.includes('"init": { "values": [['), `xor.nn.json after the write: ${JSON.stringify(xorDocs.map((d) => ({ uri: d.uri, isDirty: d.isDirty })))}`);
        assert(readFileSync(spec, 'utf8') === onDisk, 'the file on disk changed after the write');
        await screenshot(page, join(ctx.outDir, '5b-formula-written.png'));
      } finally {
        // xor.nn.json as it was on disk (later scenarios use it)
        await ctx.exec('_nnlabTest.revert', spec).catch(() => undefined);
      }
      assert(readFileSync(spec, 'utf8') === onDisk, 'the file on disk changed');
      // the card's walkthrough link: "This network" on the card's sample (XOR's row 2, `--sample 1`).
      // The revert above showed xor.nn.json in the graph's group: bring the graph back first.
      await runCommand(page, 'View: Focus First Editor Group');
      await openFile(page, 'xor.nn.json');
      await runCommand(page, 'NN Lab: Show Graph');
      graph = await webviewFrame(page, 'Graph', { timeout: 30_000 });
      await graph.locator('[data-edge="w0_1_0"]').waitFor({ timeout: 20_000 });
      await graph.locator('[data-edge="w0_1_0"]').dispatchEvent('click');
      await graph.locator('#formula-card:not([hidden])').waitFor({ timeout: 10_000 });
      const onSample = graph.locator('#formula-card', { hasText: 'sample 2' });
      if ((await onSample.count()) === 0) await graph.locator('#fc-next').click();
      await graph.locator('#fc-walkthrough').click();
      const wt = await waitFor('the walkthrough of xor on sample 2', async () => {
        const s = await ctx.exec('nnlab._walkthroughState');
        return s?.example === 'network' && /^Sample 2 \(/.test(s.intro ?? '') ? s : undefined;
      }, { timeout: 30_000 }).catch(async (e) => {
        throw new Error(`${e.message}; walkthrough state: ${JSON.stringify(await ctx.exec('nnlab._walkthroughState').catch(() => null))?.slice(0, 300)}`);
      });
      ctx.note?.(`walkthrough from the card: ${wt.title}, step ${wt.step + 1}/${wt.total}, ${wt.weights} weights`);
      const panelWeights = want.weights === 'initial' ? 'initial' : 'trained';
      assert(wt.weights === panelWeights, `the walkthrough uses the ${wt.weights} weights; the panel shows ${want.weights}`);
      // edit W¹[1][0] (the card's weight) in the walkthrough's own fields: it walks through the edited
      // network (its maths against the forward pass and difference quotients: test/unit/autodiff)
      const walk = await webviewFrame(page, 'Backprop', { timeout: 20_000 });
      const field = walk.locator('vscode-textfield[data-key="W¹[1][0]"] input');
      await field.fill('2.5');
      await field.press('Enter');
      const edited = await waitFor('the walkthrough to follow the edit', async () => {
        const s = await ctx.exec('nnlab._walkthroughState');
        return s?.params?.['W¹[1][0]'] === 2.5 ? s : undefined;
      }, { timeout: 15_000 });
      assert(/1 value edited/.test(edited.intro), `intro: ${edited.intro}`);
      assert(Number.isFinite(edited.loss) && edited.loss !== wt.loss, `the walkthrough's loss ${edited.loss}, before the edit ${wt.loss}`);
      assert(edited.checks.length === 17 && edited.checks.every((c) => c.agree), `checks: ${JSON.stringify(edited.checks.filter((c) => !c.agree))}`);
      await screenshot(page, join(ctx.outDir, '5b-walkthrough-edited.png'));
      await walk.locator('#reset-params').click();
      await waitFor('Original values to restore W¹[1][0]', async () => {
        const s = await ctx.exec('nnlab._walkthroughState');
        return s?.params?.['W¹[1][0]'] !== 2.5 && !/edited/.test(s?.intro ?? '') ? s : undefined;
      }, { timeout: 15_000 });
    },
  },
  {
    name: '6 Reload Window: open panels come back',
    async run(ctx) {
      const { page } = ctx;
      const PANEL = /^(Loss|Graph|Activation Functions|Backprop)\b/;
      const titles = async () => (await page.locator('.tabs-container .tab').allInnerTexts()).map((t) => t.trim()).filter((t) => PANEL.test(t));
      const before = await titles();
      assert(before.length > 0, 'no NN Lab panel is open before the reload (scenarios 3–5 open them)');
      // what the panels showed, to compare after the reload (e.g. scenario 4 left the explorer on ELU, α = 0.5)
      const statesBefore = await ctx.exec('nnlab._panelState');
      // and the walkthrough's example and step (scenario 5 left the sigmoid neuron at its last step)
      const walkBefore = await ctx.exec('nnlab._walkthroughState');
      const portBefore = ctx.bridgePort();
      await runCommand(page, 'Developer: Reload Window');
      await sleep(1000);
      await openWorkbench(page, page.url()).catch(() => undefined);
      await waitFor(`the tabs ${before.join(', ')} to come back`, async () => {
        const after = await titles();
        return before.every((t) => after.includes(t));
      });
      await waitFor('the reloaded extension host', async () => ctx.bridgePort() !== portBefore, { timeout: 30_000 });
      // A user clicks each tab: its webview must be restored by NN Lab (serializer + saved state) with content.
      const problems = [];
      for (const t of before) {
        try {
          // restoring a webview after a reload takes a while on a busy 2-core machine
          const frame = await webviewFrame(page, t, { timeout: 40_000 });
          const text = await frame.evaluate(() => document.body.innerText);
          if (t.startsWith('Backprop')) {
            if (!text.includes(t.replace(/^Backprop:\s*/, ''))) problems.push(`${t}: restored without its example (${text.slice(0, 120)})`);
            if (walkBefore) {
              // the same example at the same step, drawn by the restored webview
              const want = `${walkBefore.step} / ${walkBefore.total}`;
              const same = await waitFor(`${t} to come back on ${walkBefore.example} at step ${want}`, async () => {
                const w = await ctx.exec('nnlab._walkthroughState');
                const counter = (await frame.locator('#counter').innerText().catch(() => '')).trim().replace(/\s+/g, ' ');
                return w && w.example === walkBefore.example && w.step === walkBefore.step && w.rendered?.position === walkBefore.step && counter === want ? true : undefined;
              }, { timeout: 10_000 }).catch(() => false);
              if (!same) {
                const w = await ctx.exec('nnlab._walkthroughState').catch(() => undefined);
                problems.push(`${t}: came back on ${w?.example} step ${w?.step} (drawn ${w?.rendered?.position}), was ${walkBefore.example} step ${walkBefore.step}`);
              }
            }
            continue;
          }
          const kind = t.startsWith('Loss') ? 'loss' : t.startsWith('Graph') ? 'graph' : 'activations';
          const [restored] = await waitFor(`${t} to be restored by NN Lab`, async () => {
            const rs = await panelState(ctx, kind);
            return rs.length ? rs : undefined;
          }, { timeout: 15_000 });
          const was = statesBefore.find((x) => x.panel === kind);
          if (kind === 'activations' && was) {
            let last = restored;
            const same = await waitFor(`${t} to come back on ${was.activation} α = ${was.alpha}`, async () => {
              [last] = await panelState(ctx, kind);
              return last && last.activation === was.activation && last.alpha === was.alpha;
            }, { timeout: 10_000 }).catch(() => false);
            if (!same) problems.push(`${t}: came back on ${last?.activation} α = ${last?.alpha}, was ${was.activation} α = ${was.alpha}`);
          }
        } catch (e) {
          problems.push(`${t}: ${e instanceof Error ? e.message : e}`);
        }
      }
      assert(problems.length === 0, problems.join('\n'));
    },
  },
  {
    name: '7 Compare Initialisations on xor: the lab panel\'s results table equals nnlab lab init (the CLI as oracle)',
    async run(ctx) {
      const { page, workspace, root } = ctx;
      // the oracle: the CLI on the same file (same trainer, CPU backend, same seed); times differ, so column 6 is left out
      const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'lab', 'init', join(workspace, 'xor.nn.json'), '--json'], { cwd: root, encoding: 'utf8' });
      assert(cli.status === 0, `nnlab lab init failed: ${cli.stderr}`);
      const want = JSON.parse(cli.stdout).table.rows.map((r) => r.filter((_, i) => i !== 5));
      await openXor(ctx);
      await runCommand(page, 'NN Lab: Compare Initialisations');
      // what the user reads: the CLI's cells in the panel's table, and one heatmap per variant, layer and quantity
      const { frame } = await labTableIsCli(ctx, 'init', want);
      const heatmaps = await frame.evaluate(() => document.querySelectorAll('#hist-grid canvas').length);
      assert(heatmaps === 4 * 2 * 3, `${heatmaps} histograms drawn, expected 24 (4 variants × 2 layers × 3 quantities)`);
      const text = norm(await frame.evaluate(() => document.body.innerText));
      assert(/4 units, 1 distinct/.test(text), 'the zeros column says its 4 hidden units are 1 distinct unit');
      await screenshot(page, join(ctx.outDir, '7-lab-compare-initialisations.png'));
      // the histograms, with the panel's group maximised
      await runCommand(page, 'View: Toggle Maximize Editor Group').catch(() => undefined);
      await sleep(1500);
      await frame.evaluate(() => document.getElementById('hist-box')?.scrollIntoView());
      await sleep(500);
      await screenshot(page, join(ctx.outDir, '7b-lab-histograms.png'));
      await runCommand(page, 'View: Toggle Maximize Editor Group').catch(() => undefined);
    },
  },
  {
    // issue 16 item 5: the sweep from the palette on the exercise the README gives teachers
    name: '7d Sweep Learning Rate on samples/exercises/learning-rate: the lab table equals nnlab lab sweep, α = 3 diverges',
    async run(ctx) {
      const { page, workspace, root } = ctx;
      const file = join(workspace, 'exercises', 'learning-rate.nn.json');
      const cli = spawnSync(process.execPath, [join(root, 'dist/cli.js'), 'lab', 'sweep', file, '--json'], { cwd: root, encoding: 'utf8' });
      assert(cli.status === 0, `nnlab lab sweep failed: ${cli.stderr}`);
      const want = JSON.parse(cli.stdout).table.rows.map((r) => r.filter((_, i) => i !== 5));
      await closeAllEditors(page);
      await openFile(page, 'exercises/learning-rate.nn.json');
      await runCommand(page, 'NN Lab: Sweep Learning Rate / Batch Size');
      const { frame, cells } = await labTableIsCli(ctx, 'sweep', want);
      const diverged = cells.filter((r) => r.some((c) => /diverge/.test(c))).map((r) => r[0]);
      ctx.note?.(`sweep rows: ${cells.map((r) => r.join(' | ')).join(' / ')}`);
      assert(diverged.length === 1 && /3\b/.test(diverged[0]), `diverged rows: ${JSON.stringify(diverged)} (expected only α = 3: |1 − 2α| = 5 > 1)`);
      // the loss chart is drawn (a throwing axis formatter once left it blank)
      const plots = await frame.evaluate(() => [...document.querySelectorAll('.chart-box .uplot canvas')].map((c) => c.width));
      assert(plots.length === 1 && plots[0] > 0, `the sweep's loss chart: ${JSON.stringify(plots)}`);
      await screenshot(page, join(ctx.outDir, '7d-lab-sweep.png'));
    },
  },
  {
    name: '7 High Contrast at 1440x900: lenses on xor.nn.json, the loss panel after training, the walkthrough',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page } = ctx;
      await useTheme(ctx, HC_THEME);
      await openXor(ctx);
      const lenses = await xorLenses(ctx);
      await ctx.shot('7a high contrast lenses xor');
      ctx.note?.(`HC lenses: ${lenses.join(' | ')}`);
      await ensureXorTrained(ctx);
      await runCommand(page, 'NN Lab: Show Loss Curves');
      const loss = await webviewFrame(page, 'Loss', { timeout: 20_000 });
      await sleep(800);
      await ctx.shot('7b high contrast loss panel after training');
      const footer = await loss.evaluate(() => document.body.innerText);
      assert(!/lossBelowTarget/.test(footer), `the loss panel shows the raw stop code: ${footer.slice(0, 400)}`);
      await walkthroughAt(ctx);
      await ctx.shot('7c high contrast walkthrough');
    },
  },
  {
    name: '8 narrow column (960x800, side bar hidden, two 480 px groups) in High Contrast: lenses, loss panel, walkthrough',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page } = ctx;
      await useTheme(ctx, HC_THEME);
      await page.setViewportSize({ width: 960, height: 800 });
      try {
        await runCommand(page, 'View: Toggle Primary Side Bar Visibility');
        await openXor(ctx);
        await ensureXorTrained(ctx);
        await runCommand(page, 'NN Lab: Show Loss Curves');
        await webviewFrame(page, 'Loss', { timeout: 20_000 });
        await runCommand(page, 'View: Focus First Editor Group');
        await openFile(page, 'xor.nn.json');
        const width = await page.evaluate(() => document.querySelector('.editor-group-container.active')?.getBoundingClientRect().width ?? 0);
        ctx.note?.(`spec column: ${Math.round(width)} px`);
        assert(width > 380 && width < 560, `the spec's column is ${width} px wide, not a narrow column`);
        const lenses = await xorLenses(ctx);
        await sleep(500);
        await ctx.shot('8a narrow lenses xor');
        const cut = await lensesCutOff(page);
        ctx.note?.(`lens items cut off in the ${Math.round(width)} px column: ${JSON.stringify(cut)}`);
        // every action (Train, Graph, …, Open run) stays wholly in view; a long text (the summary, the last
        // run, a layer's derivation) keeps its start in view: what is cut in so narrow a column (about 55
        // characters beside the minimap) is its end
        const ACTIONS = /^(▶ Train|Graph|Activations|Walk through backprop|Open run|.*(Pause|Resume|Stop|Step))$/;
        const lost = cut.filter((c) => (c.link && ACTIONS.test(c.text)) || c.px > c.width - 150);
        assert(lost.length === 0, `lens actions fall off the ${Math.round(width)} px column: ${JSON.stringify(lost)} (all: ${lenses.join(' | ')})`);
        const loss = await webviewFrame(page, 'Loss', { timeout: 20_000 });
        await sleep(800);
        await ctx.shot('8b narrow loss panel after training');
        const tiny = await smallText(loss, 10);
        assert(tiny.length === 0, `text below 10 px in the narrow loss panel: ${JSON.stringify(tiny.slice(0, 8))}`);
        await walkthroughAt(ctx);
        await ctx.shot('8c narrow walkthrough');
        // issue 16's panels in the narrow High Contrast column: the formula card, a sample step, the lab,
        // the flatten card (each screenshot read by a person; here: no text below 10 px)
        await runCommand(page, 'View: Focus First Editor Group');
        await openFile(page, 'xor.nn.json');
        await runCommand(page, 'NN Lab: Show Graph');
        const graph = await webviewFrame(page, 'Graph', { timeout: 30_000 });
        await graph.locator('#view-neurons').click();
        await graph.locator('[data-edge="w0_1_0"]').waitFor({ timeout: 20_000 });
        await graph.locator('[data-edge="w0_1_0"]').dispatchEvent('click');
        await graph.locator('#formula-card:not([hidden])').waitFor({ timeout: 10_000 });
        await graph.locator('#formula-card').scrollIntoViewIfNeeded();
        await sleep(800);
        await ctx.shot('8d narrow graph formula card');
        const tinyCard = await smallText(graph, 10);
        assert(tinyCard.length === 0, `text below 10 px in the narrow graph panel: ${JSON.stringify(tinyCard.slice(0, 8))}`);
        await runCommand(page, 'View: Focus First Editor Group');
        await openFile(page, 'xor.nn.json');
        await runCommand(page, 'NN Lab: Step One Sample');
        const stepped = await webviewFrame(page, 'Loss', { timeout: 30_000 });
        await waitFor('the step area', async () => (await stepped.evaluate(() => document.querySelector('#step')?.getAttribute('data-unit'))) === 'sample', { timeout: 30_000 });
        await stepped.locator('#step').scrollIntoViewIfNeeded();
        await sleep(800);
        await ctx.shot('8e narrow loss panel step area');
        await runCommand(page, 'NN Lab: Stop Training');
        await runCommand(page, 'View: Focus First Editor Group');
        await openFile(page, 'xor.nn.json');
        await runCommand(page, 'NN Lab: Compare Initialisations');
        await webviewFrame(page, 'Lab', { timeout: 20_000 });
        await waitFor('the lab to finish', async () => ((await panelState(ctx, 'lab')).some((s) => s.lab?.phase === 'done') ? true : undefined), { timeout: 90_000 });
        await sleep(800);
        await ctx.shot('8f narrow lab');
        await runCommand(page, 'View: Focus First Editor Group');
        await openFile(page, 'image-3x3.nn.json');
        await runCommand(page, 'NN Lab: Show Graph');
        const flat = await webviewFrame(page, 'Graph: image', { timeout: 30_000 }).catch(() => webviewFrame(page, 'Graph', { timeout: 10_000 }));
        await flat.locator('#flatten-title').waitFor({ timeout: 20_000 }).catch(() => undefined);
        await sleep(800);
        await ctx.shot('8g narrow graph flatten card');
        const flatLayout = await panelLayout(flat);
        assert(flatLayout.overlaps.length === 0 && flatLayout.cut.length === 0, `the narrow graph panel's rows overlap: ${JSON.stringify(flatLayout)}`);
      } finally {
        await runCommand(page, 'View: Toggle Primary Side Bar Visibility').catch(() => undefined);
        await page.setViewportSize({ width: 1440, height: 900 });
      }
    },
  },
  {
    name: '9 projector: High Contrast with editor.fontSize 22, the loss panel and the walkthrough follow the editor (1.57x)',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page } = ctx;
      await useTheme(ctx, HC_THEME);
      await openXor(ctx);
      await ensureXorTrained(ctx);
      await runCommand(page, 'NN Lab: Show Loss Curves');
      await webviewFrame(page, 'Loss', { timeout: 20_000 });
      const [before] = await waitFor('the loss panel to report its font size', async () => {
        const ls = (await panelState(ctx, 'loss')).filter((s) => s.fontPx > 0);
        return ls.length ? ls : undefined;
      });
      await ctx.settings({ 'editor.fontSize': 22 });
      try {
        const [after] = await waitFor('the loss panel to draw larger text', async () => {
          const ls = (await panelState(ctx, 'loss')).filter((s) => s.fontPx > before.fontPx * 1.4);
          return ls.length ? ls : undefined;
        });
        ctx.note?.(`loss panel text: ${before.fontPx} px → ${after.fontPx} px with editor.fontSize 22`);
        await webviewFrame(page, 'Loss', { timeout: 20_000 });
        await sleep(1000);
        await ctx.shot('9a projector loss panel font 22');
        // at 1.57× nothing overlaps: the panel's rows keep their content's height (the panel scrolls
        // instead), and the plot's drawing area keeps a usable height under the larger axis labels
        const geometry = await panelLayout(await webviewFrame(page, 'Loss', { timeout: 20_000 }));
        ctx.note?.(`loss panel at font 22: plot area ${geometry.plot} px high; overlaps ${JSON.stringify(geometry.overlaps)}; overflowing ${JSON.stringify(geometry.cut)}`);
        assert(geometry.overlaps.length === 0 && geometry.cut.length === 0, `the loss panel's rows overlap at font 22: ${JSON.stringify(geometry)}`);
        assert(geometry.plot >= 120, `the plot's drawing area is ${geometry.plot} px high at font 22, expected at least 120`);
        // keyboard zoom in the focused panel: Ctrl + = one level up (110 %), Ctrl + 0 back; the page, not
        // the workbench, takes the keys
        const frame = await webviewFrame(page, 'Loss', { timeout: 20_000 });
        await frame.locator('#header').click();
        await page.keyboard.press('Control+Equal');
        const [zoomed] = await waitFor('the loss panel zoomed to 110 %', async () => {
          const ls = (await panelState(ctx, 'loss')).filter((s) => s.zoom === 1.1 && Math.abs(s.fontPx - after.fontPx * 1.1) < 0.2);
          return ls.length ? ls : undefined;
        });
        ctx.note?.(`Ctrl+= in the loss panel: ${after.fontPx} → ${zoomed.fontPx} px`);
        await page.keyboard.press('Control+Digit0');
        await waitFor('the loss panel back to 100 %', async () => ((await panelState(ctx, 'loss')).some((s) => s.zoom === 1 && Math.abs(s.fontPx - after.fontPx) < 0.2) ? true : undefined));
        await walkthroughAt(ctx);
        await ctx.shot('9b projector walkthrough font 22');
        await openFile(page, 'xor.nn.json');
        await sleep(500);
        await ctx.shot('9c projector lenses font 22');
      } finally {
        await ctx.settings({ 'editor.fontSize': undefined, 'workbench.colorTheme': 'Default Dark Modern' });
      }
    },
  },
  {
    // Issue 13 items 6, 8 and 15 in real VS Code (their fixes had unit tests only).
    name: '13e issue 13 items 6, 8, 15: circle\'s loss chart keeps its height when the run ends, the activation explorer opens on xor\'s tanh, predict first allows retries and Show me',
    timeoutMs: 300_000,
    async run(ctx) {
      const { page } = ctx;
      // (6) circle.nn.json: a 2-input classifier, so the loss panel adds decision regions when the run ends.
      // The loss panel is opened first; in it, every 25 ms, the chart's height and the run's status.
      await closeAllEditors(page);
      await openFile(page, 'circle.nn.json');
      await runCommand(page, 'NN Lab: Show Loss Curves');
      let loss = await webviewFrame(page, 'Loss', { timeout: 20_000 });
      await loss.evaluate(() => {
        const w = window;
        w.__nnlabHeights = [];
        setInterval(() => {
          const c = document.getElementById('chart');
          w.__nnlabHeights.push({ phase: (document.getElementById('hdr-phase')?.textContent ?? '').trim(), h: c ? c.getBoundingClientRect().height : -1 });
        }, 25);
      });
      // the panel's own Train button (the panel has the focus)
      await loss.locator('#btn-train').click();
      await waitFor('the run on circle.nn.json to end', async () => ((await loss.evaluate(() => document.getElementById('hdr-phase')?.textContent ?? '')).includes('done') ? true : undefined), { timeout: 180_000, interval: 500 });
      await sleep(2000); // the regions and the full run are drawn
      loss = await webviewFrame(page, 'Loss', { timeout: 20_000 });
      const heights = await loss.evaluate(() => window.__nnlabHeights ?? []);
      const running = heights.filter((x) => /running/.test(x.phase) && x.h > 0);
      assert(running.length > 0, `no sample of the chart while running (${heights.length} samples, phases ${[...new Set(heights.map((x) => x.phase))].join(', ')})`);
      const hRun = Math.max(...running.map((x) => x.h));
      const end = await loss.evaluate(() => ({ phase: (document.getElementById('hdr-phase')?.textContent ?? '').trim(), h: document.getElementById('chart')?.getBoundingClientRect().height ?? -1, regions: document.body.innerText.includes('region') }));
      assert(/done/.test(end.phase), `the run's status after the run: ${end.phase}`);
      assert(end.h >= 0.9 * hRun, `the loss chart shrank when the run ended: ${hRun.toFixed(0)} px while running, ${end.h.toFixed(0)} px after`);
      ctx.note?.(`circle loss chart: ${hRun.toFixed(0)} px while running (${running.length} samples), ${end.h.toFixed(0)} px after the run (${end.phase}; regions text: ${end.regions})`);
      await ctx.shot('13e-1 circle loss panel after the run');

      // (8) the activation explorer from xor.nn.json (hidden layer tanh, output sigmoid): on tanh, not ReLU
      await closeAllEditors(page);
      await openFile(page, 'xor.nn.json');
      await runCommand(page, 'NN Lab: Show Activation Functions');
      const act = await webviewFrame(page, 'Activation', { timeout: 20_000 });
      // xor's panel (not another spec's), once it has the spec: the function it settles on
      let seenAct;
      const [a] = await waitFor('the activation panel to report tanh', async () => {
        const as = (await panelState(ctx, 'activations')).filter((x) => typeof x.activation === 'string' && x.specUri?.endsWith('/xor.nn.json'));
        seenAct = as;
        return as.some((x) => x.activation === 'tanh') ? as.filter((x) => x.activation === 'tanh') : undefined;
      }, { timeout: 15_000 }).catch(() => seenAct ?? [{}]);
      const sel = await act.evaluate(() => ({ layer: document.querySelector('#layer-select')?.value ?? null, text: document.body.innerText }));
      assert(a.activation === 'tanh', `the activation explorer opened on ${a.activation} beside xor's tanh layer`);
      assert(!/relu/i.test(sel.text.split('\n').filter((l) => /dead/i.test(l)).join(' ')), `a ReLU dead-unit count beside tanh: ${sel.text.slice(0, 300)}`);
      ctx.note?.(`activation explorer on xor: ${a.activation}, layer select ${sel.layer}`);
      await ctx.shot('13e-2 activation explorer on xor tanh');
      // the hover's link passes the layer's function: the same
      await ctx.exec('nnlab.showActivations', 'tanh');
      await waitFor('the activation panel on tanh after the hover link', async () => ((await panelState(ctx, 'activations')).some((s) => s.activation === 'tanh') ? true : undefined));

      // (15) the walkthrough with Predict first: two wrong answers keep the answer hidden; Show me reveals it
      await runCommand(page, 'NN Lab: Walk Through Backpropagation…');
      const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: /sigmoid neuron/i }).first();
      await row.waitFor({ timeout: 10_000 });
      await row.click();
      const wt = await webviewFrame(page, 'Backprop', { timeout: 20_000 });
      await wt.locator('#predict').click();
      await waitFor('Predict first on', async () => ((await ctx.exec('nnlab._walkthroughState'))?.rendered?.predict ? true : undefined), { timeout: 10_000 });
      const guess = wt.locator('#guess');
      for (let i = 0; i < 12 && !(await guess.isVisible().catch(() => false)); i++) {
        await wt.locator('#next').click();
        await sleep(300);
      }
      await guess.waitFor({ timeout: 5000 });
      const question = (await wt.locator('#predict-area .ask').textContent()) ?? '';
      const before = (await ctx.exec('nnlab._walkthroughState'))?.rendered?.position;
      for (const n of [1, 2]) {
        await guess.click();
        await page.keyboard.press('Control+A');
        await page.keyboard.type('12345');
        await wt.locator('#check').click();
        const verdict = await waitFor(`the verdict after wrong try ${n}`, async () => {
          const t = (await wt.locator('#verdict').textContent()) ?? '';
          return t.includes(`${n} tr`) ? t : undefined;
        });
        assert(/Not yet/.test(verdict) && !verdict.includes('='), `wrong try ${n}: ${verdict}`);
        assert(await guess.isVisible(), `the question closed after wrong try ${n}`);
      }
      assert((await ctx.exec('nnlab._walkthroughState'))?.rendered?.position === before, 'the step was revealed after two wrong tries');
      await sleep(300);
      await ctx.shot('13e-3 predict first after two wrong tries');
      await wt.locator('#show-me').click();
      const shown = await waitFor('the answer after Show me', async () => {
        const t = (await wt.locator('#verdict').textContent()) ?? '';
        return t.includes('=') ? t : undefined;
      });
      assert(/after 2 tries/.test(shown), `Show me: ${shown}`);
      await waitFor('the step revealed after Show me', async () => ((await ctx.exec('nnlab._walkthroughState'))?.rendered?.position > before ? true : undefined), { timeout: 5000 });
      ctx.note?.(`predict first: "${question}" → after two wrong tries and Show me: "${shown}"`);
      await sleep(300);
      await ctx.shot('13e-4 predict first shown');
    },
  },
  {
    // Issue 13 item 18 in the graph panel: the computational graph's labels follow editor.fontSize too.
    name: '13f graph panel at editor.fontSize 22: the computational graph\'s labels at 12 px × 1.57, Fit fits them, none overlap',
    timeoutMs: 240_000,
    async run(ctx) {
      const { page, workspace } = ctx;
      await openXor(ctx);
      const runsBefore = listRuns(workspace).length;
      await runCommand(page, 'NN Lab: Train');
      await waitFor('the XOR run to finish', async () => listRuns(workspace).some((d) => existsSync(join(workspace, '.nnlab/runs', d, 'summary.json'))) && listRuns(workspace).length > runsBefore, { timeout: 120_000, interval: 500 });
      await runCommand(page, 'NN Lab: Show Graph');
      let graph = await webviewFrame(page, 'Graph', { timeout: 45_000 });
      await waitFor('the graph panel to draw weights', async () => (await panelState(ctx, 'graph')).some((s) => /^weights/.test(s.weights ?? '')), { timeout: 30_000 });
      await graph.locator('#view-compgraph').click();
      await waitFor('the compgraph view', async () => (await panelState(ctx, 'graph')).some((s) => s.view === 'compgraph' && s.nodes > 0));
      // the labels' CSS size, the smallest on screen, overlaps on screen, the drawing inside the SVG
      const measure = () =>
        graph.evaluate(() => {
          const svg = document.querySelector('#compgraph svg');
          const s = svg.getBoundingClientRect();
          const c = svg.querySelector('.cg-nodes').getBoundingClientRect();
          const inside = c.left >= s.left - 1 && c.top >= s.top - 1 && c.right <= s.right + 1 && c.bottom <= s.bottom + 1;
          return { cssPx: parseFloat(getComputedStyle(svg.querySelector('.cg-value') ?? svg.querySelector('text')).fontSize), inside, scale: parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--nnlab-font-scale')) };
        }).then(async (m) => ({ ...m, ...(await svgLabels(graph, '#compgraph svg', '.cg-box')) }));
      await graph.locator('#fit').click();
      await sleep(500);
      const before = await measure();
      try {
        await ctx.settings({ 'editor.fontSize': 22 });
        await waitFor('the graph panel at font scale 1.57', async () => ((await measure()).scale > 1.5 ? true : undefined), { timeout: 15_000 });
        await sleep(800);
        graph = await webviewFrame(page, 'Graph', { timeout: 20_000 });
        await graph.locator('#fit').click();
        await sleep(500);
        const after = await measure();
        ctx.note?.(`compgraph labels: CSS ${before.cssPx} px, smallest ${before.minPx.toFixed(2)} px on screen at Fit (scale ${before.scale}) → CSS ${after.cssPx} px, smallest ${after.minPx.toFixed(2)} px (scale ${after.scale})`);
        await ctx.shot('13f graph compgraph at editor font 22');
        assert(Math.abs(after.cssPx - 12 * after.scale) < 0.1, `the labels' CSS size at scale ${after.scale}: ${after.cssPx} px, not 12 × scale`);
        assert(after.overlaps.length === 0, `labels overlap at scale ${after.scale}: ${after.overlaps.slice(0, 5).join('; ')}`);
        assert(after.inside, 'at Fit the drawing is not inside the panel');
        assert(after.minPx >= before.minPx - 0.01, `the smallest label on screen shrank: ${before.minPx} → ${after.minPx} px`);
      } finally {
        await ctx.settings({ 'editor.fontSize': undefined });
      }
    },
  },
];
