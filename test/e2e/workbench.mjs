// Playwright helpers that drive the VS Code workbench the way a user does: command palette, quick
// open, hovers, the Problems view, webview panels (each webview is an iframe holding an iframe).

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Polls fn until it returns a truthy value; throws with the last value/error described. */
export async function waitFor(what, fn, { timeout = 15_000, interval = 250 } = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    try {
      const v = await fn();
      if (v) return v;
      last = v;
    } catch (e) {
      last = e instanceof Error ? e.message.split('\n')[0] : String(e);
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}${last ? ` (last: ${String(last).slice(0, 300)})` : ''}`);
    await sleep(interval);
  }
}

export async function openWorkbench(page, url) {
  // a loaded machine (2 cores shared by several runs) can take over 20 s to serve the workbench page
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: 30_000 });
  // The explorer lists the folder once the file service is connected to the server.
  await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 30_000 }).catch(() => undefined);
}

// The test runner's command bridge (run.mjs sets it for the scenarios; the untrusted launch has none).
// Opening the palette and quick open through it does not depend on where the keyboard focus is: F1 and
// Ctrl+P pressed while a webview holds the focus can stay inside the webview's iframe.
let bridge;
/** @param {((command: string, ...args: unknown[]) => Promise<unknown>) | undefined} exec */
export function useBridge(exec) {
  bridge = exec;
}

/** Shows the command palette ('commands') or quick open ('files'), through the bridge where there is one. */
async function showQuick(page, which) {
  await page.keyboard.press('Escape');
  if (bridge) await bridge(which === 'commands' ? 'workbench.action.showCommands' : 'workbench.action.quickOpen');
  else await page.keyboard.press(which === 'commands' ? 'F1' : 'Control+P');
}

async function quickInput(page, text) {
  const input = page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill(text);
  return input;
}

/** Runs a command by its palette title ("NN Lab: Show Graph"), choosing the row whose label matches exactly. */
export async function runCommand(page, title, { timeout = 20_000 } = {}) {
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: title }).first();
  const deadline = Date.now() + timeout;
  // The palette lists what is registered when it opens: right after start-up an extension's commands
  // may not be there yet, so reopen it until the command shows.
  for (;;) {
    await showQuick(page, 'commands');
    const typed = await quickInput(page, `>${title}`).then(() => true, (e) => e);
    if (typed !== true) {
      // F1 can stay inside a focused webview in a small window: give the workbench the focus, retry
      if (Date.now() > deadline) throw typed;
      await page.locator('.part.titlebar').click({ position: { x: 4, y: 4 } }).catch(() => undefined);
      continue;
    }
    const shown = await waitFor(`command "${title}" in the palette`, async () => (await row.count()) > 0 && (await row.isVisible()), { timeout: 3000 }).catch(
      (e) => e,
    );
    if (shown === true) break;
    if (Date.now() > deadline) throw shown;
  }
  await row.click();
}

/** Opens a workspace file by quick open ("Go to File", Ctrl+P), clicking the row of its relative path. */
export async function openFile(page, relPath) {
  const base = relPath.split('/').pop();
  const dir = relPath.includes('/') ? relPath.slice(0, relPath.lastIndexOf('/')) : '';
  const tab = page.locator('.tabs-container .tab.active', { hasText: base });
  for (let attempt = 1; ; attempt++) {
    await showQuick(page, 'files');
    await quickInput(page, relPath);
    // a file row: its label is the base name, its description the folder ("" at the root)
    const row = page.locator('.quick-input-widget .monaco-list-row').filter({ has: page.locator('.label-name', { hasText: new RegExp(`^${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) });
    const match = dir ? row.filter({ hasText: dir }) : row;
    const listed = await waitFor(`"${relPath}" in quick open`, async () => (await match.count()) > 0, { timeout: 8_000 }).catch(() => false);
    if (listed) {
      // Quick open re-sorts its list as results stream in (recent files, then the file search), so a click
      // can land on a row that has just moved: press Enter on the focused row when it is the file.
      const focused = match.and(page.locator('.monaco-list-row.focused'));
      if (await waitFor(`"${relPath}" focused in quick open`, async () => (await focused.count()) > 0, { timeout: 2_000 }).catch(() => false)) {
        await page.keyboard.press('Enter');
      } else await match.first().click();
    } else {
      // A file created a moment ago may not be in quick open's index yet: the explorer lists it once
      // the file watcher has seen it (files at the workspace root).
      await page.keyboard.press('Escape');
      const row = page.locator(`.explorer-folders-view .monaco-list-row[aria-label^="${base}"]`).first();
      if (!dir && (await waitFor(`${base} in the explorer`, async () => (await row.count()) > 0, { timeout: 10_000 }).catch(() => false))) await row.click();
      else if (bridge) await bridge('_nnlabTest.open', relPath);
      else throw new Error(`"${relPath}" is neither in quick open nor in the explorer`);
    }
    try {
      await waitFor(`editor tab for ${base}`, async () => (await tab.count()) > 0, { timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt >= 2) throw e;
    }
  }
  await page.locator('.editor-group-container.active .monaco-editor .view-lines').first().waitFor({ timeout: 10_000 });
}

export async function closeAllEditors(page) {
  const tabs = page.locator('.tabs-container .tab');
  for (let attempt = 1; (await tabs.count()) > 0; attempt++) {
    await runCommand(page, 'View: Close All Editors');
    await sleep(300);
    // A "save changes?" dialog means a test modified a file: don't save.
    const dontSave = page.locator('.monaco-dialog-box .monaco-button', { hasText: "Don't Save" });
    if (await dontSave.count()) await dontSave.first().click();
    if (attempt >= 3) throw new Error(`editors still open after Close All Editors: ${(await tabs.allInnerTexts()).join(', ')}`);
  }
}

/** The text of every code lens currently rendered in the active editor, top to bottom. */
export async function codeLensTexts(page) {
  return page.evaluate(() => {
    const editor = document.querySelector('.editor-group-container.active .monaco-editor') ?? document.querySelector('.monaco-editor');
    if (!editor) return [];
    const lenses = [...editor.querySelectorAll('.codelens-decoration')];
    lenses.sort((a, b) => parseFloat(a.parentElement?.style.top || '0') - parseFloat(b.parentElement?.style.top || '0'));
    return lenses.map((l) => (l.textContent ?? '').replace(/\u00a0/g, ' ').trim());
  });
}

/** Moves the cursor to (1-based) line/column with "Go to Line" and triggers the hover there. */
const visibleHover = (page) =>
  page.evaluate(() => {
    for (const h of document.querySelectorAll('.monaco-hover')) {
      if (h.classList.contains('hidden') || h.offsetParent === null) continue;
      const t = h.innerText.trim();
      if (t) return t;
    }
    return undefined;
  });

/** Shows the hover at the cursor of the focused editor (Ctrl+K Ctrl+I, as a user would) and returns its text. */
export async function showHover(page, { timeout = 10_000 } = {}) {
  // no hover left over from before, so the one read below is the answer to this request
  if (await visibleHover(page)) throw new Error('a hover is already showing');
  await page.keyboard.press('Control+K');
  await page.keyboard.press('Control+I');
  const text = await waitFor('a hover at the cursor', () => visibleHover(page), { timeout, interval: 50 });
  return text.replace(/\u00a0/g, ' ');
}

/** Moves the cursor to (1-based) line/column and shows the hover there. */
export async function hoverAt(page, line, column) {
  await goTo(page, line, column);
  try {
    return await showHover(page, { timeout: 5000 });
  } catch {
    await runCommand(page, 'Show or Focus Hover');
    return (await waitFor(`a hover at ${line}:${column}`, () => visibleHover(page), { timeout: 10_000 })).replace(/\u00a0/g, ' ');
  }
}

export async function goTo(page, line, column = 1) {
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+G');
  await quickInput(page, `:${line}:${column}`);
  await page.keyboard.press('Enter');
  await sleep(150);
}

/** 1-based line of the first line of the active editor's text containing `needle` (read from the model via the DOM is
 * unreliable for long files, so tests pass the file text they read from disk instead). */
export function lineOf(text, needle, from = 0) {
  const i = text.indexOf(needle, from);
  if (i < 0) throw new Error(`"${needle}" not found in file`);
  return text.slice(0, i).split('\n').length;
}

export async function statusBarText(page) {
  return (await page.locator('.part.statusbar').innerText()).replace(/\u00a0/g, ' ');
}

/** Text of every row in the Problems view (opened with the View: Focus Problems command). */
export async function problemsRows(page) {
  await runCommand(page, 'Problems: Focus on Problems View');
  await page.locator('.markers-panel').first().waitFor({ timeout: 10_000 });
  return page.evaluate(() =>
    [...document.querySelectorAll('.markers-panel .monaco-list-row')].map((r) => ({
      text: (r.textContent ?? '').replace(/\u00a0/g, ' '),
      aria: r.getAttribute('aria-label') ?? '',
    })),
  );
}

/**
 * The content frame of the webview panel whose tab title contains `title`: clicks the tab (VS Code
 * restores or shows a webview only when its tab is active), then finds the webview inside that tab's
 * editor group. VS Code renders each webview as iframe.webview (the host page) holding
 * iframe#active-frame (the extension's HTML).
 */
export async function webviewFrame(page, title, { timeout = 20_000 } = {}) {
  const tab = page.locator('.tabs-container .tab', { hasText: title }).first();
  await waitFor(`a tab "${title}"`, async () => (await tab.count()) > 0, { timeout });
  await tab.click();
  const group = tab.locator('xpath=ancestor::div[contains(concat(" ", normalize-space(@class), " "), " editor-group-container ")]').first();
  return waitFor(
    `the webview content of "${title}"`,
    async () => {
      const g = await group.boundingBox();
      if (!g) return undefined;
      for (const f of page.frames()) {
        // the extension's document: a frame inside a webview host frame (VS Code names it
        // pending-frame, then active-frame; Playwright may report either)
        const parent = f.parentFrame();
        if (!parent || !parent.parentFrame()) continue;
        const el = parent ? await parent.frameElement().catch(() => null) : null;
        if (!el || !(await el.isVisible().catch(() => false))) continue;
        const b = await el.boundingBox();
        if (!b) continue;
        const cx = b.x + b.width / 2;
        const cy = b.y + b.height / 2;
        if (cx < g.x || cx > g.x + g.width || cy < g.y || cy > g.y + g.height) continue;
        const len = await f.evaluate(() => document.body?.innerText?.trim().length ?? 0).catch(() => 0);
        if (len > 0) return f;
      }
      return undefined;
    },
    { timeout },
  );
}

export async function screenshot(page, path) {
  try {
    await page.screenshot({ path, timeout: 15_000 });
  } catch {
    // a screenshot must never turn a pass into a failure
  }
}
