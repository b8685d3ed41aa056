import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, makeNonce, panelHtml } from '../../../src/panels/html';

test('the panel CSP: nothing by default, scripts only by nonce, styles from the webview source or by nonce, fonts/images only from the webview source', () => {
  assert.equal(
    contentSecurityPolicy('https://x.vscode-cdn.net', 'abc'),
    "default-src 'none'; img-src https://x.vscode-cdn.net data: blob:; style-src https://x.vscode-cdn.net 'nonce-abc'; font-src https://x.vscode-cdn.net; script-src 'nonce-abc'",
  );
});

test('the HTML shell: every script carries the nonce, no inline handlers, boot data cannot close its script tag', () => {
  const html = panelHtml({
    kind: 'graph',
    title: 'Graph: <xor>',
    cspSource: 'https://x',
    nonce: 'N0nce',
    scriptUri: 'https://x/dist/webview/graph.js',
    styleUri: 'https://x/dist/webview/graph.css',
    codiconUri: 'https://x/dist/codicons/codicon.css',
    boot: { specUri: 'file:///a/</script><script>alert(1)</script>.nn.json' },
  });
  const scripts = html.match(/<script\b[^>]*>/g) ?? [];
  assert.equal(scripts.length, 2);
  for (const s of scripts) assert.match(s, /nonce="N0nce"/);
  assert.equal(html.includes('</script><script>alert'), false);
  assert.ok(html.includes('\\u003c/script>'));
  assert.ok(html.includes('<title>Graph: &lt;xor&gt;</title>'));
  assert.equal(/\son[a-z]+=/.test(html), false);
  assert.ok(html.includes(`content="default-src 'none';`));
});

test('nonces are 32 alphanumerics', () => {
  let i = 0;
  const n = makeNonce(() => ((i++ * 0.37) % 1));
  assert.match(n, /^[A-Za-z0-9]{32}$/);
});

test('the walkthrough uses the same shell: its kind on <body>, the #app root, no boot data, the same CSP', () => {
  const html = panelHtml({
    kind: 'walkthrough',
    title: 'Backpropagation walkthrough',
    cspSource: 'https://x',
    nonce: 'N0nce',
    scriptUri: 'https://x/dist/webview/walkthrough.js',
    styleUri: 'https://x/dist/webview/walkthrough.css',
    codiconUri: 'https://x/dist/codicons/codicon.css',
  });
  assert.ok(html.includes('<body data-panel="walkthrough">\n<div id="app"></div>\n<script type="application/json" id="boot" nonce="N0nce">{}</script>\n<script nonce="N0nce" src="https://x/dist/webview/walkthrough.js"></script>'));
  assert.ok(html.includes(`content="${contentSecurityPolicy('https://x', 'N0nce')}"`));
  assert.ok(html.includes('<link rel="stylesheet" href="https://x/dist/codicons/codicon.css" id="vscode-codicon-stylesheet">\n<link rel="stylesheet" href="https://x/dist/webview/walkthrough.css">'));
  assert.ok(html.includes('<title>Backpropagation walkthrough</title>'));
});

test('the font scale goes into the page as --nnlab-font-scale in the one nonce-carrying <style> (1 when unset or invalid)', () => {
  const page = (fontScale?: number): string =>
    panelHtml({ kind: 'loss', title: 'Loss', cspSource: 'https://x', nonce: 'N0nce', scriptUri: 's.js', styleUri: 's.css', codiconUri: 'c.css', ...(fontScale !== undefined ? { fontScale } : {}) });
  const styles = (html: string): string[] => html.match(/<style\b[^>]*>[^<]*<\/style>/g) ?? [];
  assert.deepEqual(styles(page(1.57)), ['<style nonce="N0nce">:root { --nnlab-font-scale: 1.57; }</style>']);
  assert.deepEqual(styles(page()), ['<style nonce="N0nce">:root { --nnlab-font-scale: 1; }</style>']);
  assert.deepEqual(styles(page(Number.NaN)), ['<style nonce="N0nce">:root { --nnlab-font-scale: 1; }</style>']);
  assert.equal(/\sstyle=/.test(page(2)), false, 'no inline style attributes (the CSP would block them)');
});
