// The start-up watch every NN Lab webview shares (src/panels/webviewHost.ts): a visible panel that
// never says `ready` gets its HTML again, then is recreated once; a hidden one waits until shown.
// The panel here is a stand-in with the three members the watch reads (visibility, column, the
// view-state event); time is node:test's mock clock, so the order of events is exact.
import { beforeEach, afterEach, mock, test } from 'node:test';
import assert from 'node:assert/strict';
import { watchWebviewStart, webviewOptions, type WebviewStartWatch } from '../../../src/panels/webviewHost';

type Listener = (e: { webviewPanel: { visible: boolean } }) => void;

function harness(opts: { visible?: boolean; ready?: () => boolean; current?: () => boolean; recreate?: boolean } = {}) {
  const listeners = new Set<Listener>();
  const panel = {
    visible: opts.visible ?? true,
    viewColumn: 3,
    onDidChangeViewState: (l: Listener) => {
      listeners.add(l);
      return { dispose: () => listeners.delete(l) };
    },
  };
  const events: string[] = [];
  const watch = {
    panel: panel as unknown as WebviewStartWatch['panel'], // only the three members above are read
    label: 'test panel',
    log: { warn: (m: string) => events.push(`warn ${m}`), error: (m: string) => events.push(`error ${m}`) } as unknown as WebviewStartWatch['log'],
    setHtml: (): void => void events.push('html'),
    isReady: opts.ready ?? (() => false),
    isCurrent: opts.current ?? (() => true),
    recreate: opts.recreate === false ? undefined : (column: number | undefined): void => void events.push(`recreate ${column}`),
    firstCheckMs: 20,
    retryCheckMs: 20,
  };
  const show = (visible: boolean): void => {
    panel.visible = visible;
    for (const l of listeners) l({ webviewPanel: panel });
  };
  return { watch, events, show, listeners };
}

beforeEach(() => mock.timers.enable({ apis: ['setTimeout'] }));
afterEach(() => mock.timers.reset());
/** advances the mock clock in 1 ms ticks (each timer fires at its own time, as it would) */
const sleep = (ms: number): void => {
  for (let i = 0; i < ms; i++) mock.timers.tick(1);
};

test('a visible panel that never says ready: HTML again after the first wait, then recreated in its column, once', () => {
  const h = harness();
  const d = watchWebviewStart(h.watch);
  sleep(19);
  assert.deepEqual(h.events, [], 'nothing before the first wait is over');
  sleep(1);
  assert.deepEqual(h.events, ['warn test panel: the webview did not start in time, loading it again (1)', 'html']);
  sleep(19);
  assert.equal(h.events.length, 2, 'the retry waits its own delay');
  sleep(1);
  sleep(150);
  assert.deepEqual(h.events, [
    'warn test panel: the webview did not start in time, loading it again (1)',
    'html',
    'warn test panel: the webview did not start, recreating the panel',
    'recreate 3',
  ]);
  d.dispose();
});

test('a replacement panel (no recreate) that never starts is logged as an error, not recreated again', () => {
  const h = harness({ recreate: false });
  const d = watchWebviewStart(h.watch);
  sleep(150);
  assert.deepEqual(h.events, [
    'warn test panel: the webview did not start in time, loading it again (1)',
    'html',
    'error test panel: the webview did not start (1 reload, recreated once)',
  ]);
  d.dispose();
});

test('a panel that says ready in time is left alone; one that starts after its HTML is set again is not recreated', () => {
  const a = harness({ ready: () => true });
  const da = watchWebviewStart(a.watch);
  let ready = false;
  const b = harness({ ready: () => ready });
  b.watch.setHtml = () => {
    b.events.push('html');
    ready = true;
  };
  const db = watchWebviewStart(b.watch);
  sleep(150);
  assert.deepEqual(a.events, []);
  assert.deepEqual(b.events, ['warn test panel: the webview did not start in time, loading it again (1)', 'html']);
  da.dispose();
  db.dispose();
});

test('a hidden panel is not reloaded; it is checked once it becomes visible', () => {
  const h = harness({ visible: false });
  const d = watchWebviewStart(h.watch);
  sleep(60);
  assert.deepEqual(h.events, []);
  h.show(true);
  sleep(30);
  assert.deepEqual(h.events, ['warn test panel: the webview did not start in time, loading it again (1)', 'html']);
  d.dispose();
});

test('a panel its owner replaced, or a disposed watch, does nothing', () => {
  const a = harness({ current: () => false });
  const da = watchWebviewStart(a.watch);
  const b = harness();
  const db = watchWebviewStart(b.watch);
  db.dispose();
  assert.equal(b.listeners.size, 0, 'the view-state listener is removed');
  b.show(true);
  sleep(100);
  assert.deepEqual(a.events, []);
  assert.deepEqual(b.events, []);
  da.dispose();
});

test('webview options: scripts on, context kept when hidden, resources only from the given roots', () => {
  const roots = [{ path: '/ext/dist' }, { path: '/ext/media' }] as unknown as Parameters<typeof webviewOptions>[0];
  const o = webviewOptions(roots);
  assert.equal(o.enableScripts, true);
  assert.equal(o.retainContextWhenHidden, true);
  assert.deepEqual(o.localResourceRoots, roots);
  assert.notEqual(o.localResourceRoots, roots, 'a copy, not the caller\'s array');
});

test('a created panel gets patience: recreated only after patienceMs silent while visible; a created replacement is loaded again, then reported', () => {
  const h = harness({ visible: false });
  const d = watchWebviewStart({ ...h.watch, start: 'created', patienceMs: 50 });
  sleep(200);
  assert.deepEqual(h.events, [], 'hidden: nothing said, nothing reloaded');
  h.show(true);
  sleep(49);
  assert.deepEqual(h.events, [], 'patience counts from when it is shown, and is not the restored panels\' 20 ms');
  sleep(1);
  assert.deepEqual(h.events, ['warn test panel: the webview did not start, recreating the panel', 'recreate 3']);
  sleep(500);
  assert.equal(h.events.length, 2, 'nothing more');
  d.dispose();
  assert.equal(h.listeners.size, 0, 'disposing removes its view-state listener');
  // the replacement: created, with no recreate of its own
  const r = harness({ recreate: false });
  const d2 = watchWebviewStart({ ...r.watch, start: 'created', patienceMs: 50 });
  sleep(50);
  assert.deepEqual(r.events, ['warn test panel: the webview did not start in time, loading it again (1)', 'html']);
  sleep(50);
  assert.deepEqual(r.events.slice(2), ['error test panel: the webview did not start (1 reload, recreated once)']);
  d2.dispose();
});

test('a created panel that starts within its patience: nothing logged, nothing reloaded', () => {
  let ready = false;
  const h = harness({ ready: () => ready });
  const d = watchWebviewStart({ ...h.watch, start: 'created', patienceMs: 50 });
  sleep(30);
  ready = true;
  sleep(500);
  assert.deepEqual(h.events, []);
  d.dispose();
});
