// `npm run try`: build and package NN Lab, install it into the local code-server (cached, see setup.mjs),
// and serve a copy of samples/ at http://127.0.0.1:PORT/ so anyone can try it in a browser without
// installing VS Code. Ctrl-C stops the server.
//   npm run try                      a fresh copy of samples/ in a temporary folder
//   npm run try -- --port 8080       a fixed port (default: a free one)
//   npm run try -- --folder DIR      serve DIR instead of a copy of samples/
//   npm run try -- --screenshot docs/try-in-browser.png
//                                    open xor.nn.json in Chromium, train it, save a screenshot, exit
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setup, cacheRoot } from './setup.mjs';
import { VSIX, copySamples, freePort, installExtensions, launchChromium, log, packageExtension, startCodeServer, stopProcess, writeUserSettings } from './lib.mjs';
import { closeAllEditors, codeLensTexts, openFile, openWorkbench, sleep, waitFor } from './workbench.mjs';

/** The README's picture: XOR open with its lenses, trained, the loss panel beside it. */
async function screenshotTour(url, path) {
  const browser = await launchChromium();
  try {
    const page = await (await browser.newContext({ viewport: { width: 1440, height: 860 } })).newPage();
    await openWorkbench(page, url);
    await closeAllEditors(page);
    await openFile(page, 'xor.nn.json').catch(async (e) => {
      await page.screenshot({ path: `${path}.failed.png` });
      throw e;
    });
    const train = page.locator('.editor-group-container.active .codelens-decoration a', { hasText: /^\s*▶\s*Train\s*$/ }).first();
    await train.click({ timeout: 30_000 });
    await waitFor('the run to finish', async () => (await codeLensTexts(page)).some((l) => l.includes('Last run')), { timeout: 120_000 });
    await page.locator('.tabs-container .tab', { hasText: 'Loss' }).first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('Escape');
    await sleep(2500);
    await page.screenshot({ path });
    console.log(`wrote ${path}`);
  } finally {
    await browser.close();
  }
}

const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

const { entry } = setup();
// NNLAB_E2E_VSIX: serve an already packaged .vsix instead of building one
const vsix = process.env.NNLAB_E2E_VSIX ?? VSIX;
if (!process.env.NNLAB_E2E_VSIX) {
  log('building and packaging NN Lab…');
  packageExtension();
}
const tmp = mkdtempSync(join(tmpdir(), 'nnlab-try-'));
const folder = opt('--folder') ? resolve(opt('--folder')) : copySamples(join(tmp, 'samples'));
const userDataDir = join(cacheRoot(), 'try-user-data');
const extensionsDir = join(cacheRoot(), 'try-extensions');
writeUserSettings(userDataDir);
installExtensions(entry, { userDataDir, extensionsDir }, [vsix]);
const port = Number(opt('--port') ?? (await freePort()));
const server = await startCodeServer(entry, { port, userDataDir, extensionsDir, folder, logFile: join(tmp, 'code-server.log') });
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nNN Lab is running in VS Code (code-server) at:\n\n  ${url}\n\nworkspace: ${folder}\nOpen xor.nn.json and press ▶ Train. Ctrl-C to stop.`);
if (opt('--screenshot')) {
  try {
    await screenshotTour(url, resolve(opt('--screenshot')));
  } finally {
    await stopProcess(server);
  }
  process.exit(0);
}
const stop = async () => {
  await stopProcess(server);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
server.once('exit', (code) => {
  console.error(`code-server exited (${code}); log: ${join(tmp, 'code-server.log')}`);
  process.exit(1);
});
