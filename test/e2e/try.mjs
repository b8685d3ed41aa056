// `npm run try`: build and package NN Lab, install it into the local code-server (cached, see setup.mjs),
// and serve a copy of samples/ at http://127.0.0.1:PORT/ so anyone can try it in a browser without
// installing VS Code. Ctrl-C stops the server.
//   npm run try                      a fresh copy of samples/ in a temporary folder
//   npm run try -- --port 8080       a fixed port (default: a free one)
//   npm run try -- --folder DIR      serve DIR instead of a copy of samples/
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setup, cacheRoot } from './setup.mjs';
import { VSIX, copySamples, freePort, installExtensions, log, packageExtension, startCodeServer, stopProcess, writeUserSettings } from './lib.mjs';

const argv = process.argv.slice(2);
const opt = (name) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);

const { entry } = setup();
log('building and packaging NN Lab…');
packageExtension();
const tmp = mkdtempSync(join(tmpdir(), 'nnlab-try-'));
const folder = opt('--folder') ? resolve(opt('--folder')) : copySamples(join(tmp, 'samples'));
const userDataDir = join(cacheRoot(), 'try-user-data');
const extensionsDir = join(cacheRoot(), 'try-extensions');
writeUserSettings(userDataDir, { 'workbench.startupEditor': 'readme' });
installExtensions(entry, { userDataDir, extensionsDir }, [VSIX]);
const port = Number(opt('--port') ?? (await freePort()));
const server = await startCodeServer(entry, { port, userDataDir, extensionsDir, folder, logFile: join(tmp, 'code-server.log') });
const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}`;
console.log(`\nNN Lab is running in VS Code (code-server) at:\n\n  ${url}\n\nworkspace: ${folder}\nOpen xor.nn.json and press ▶ Train. Ctrl-C to stop.`);
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
