// `npm run package`: the production build and dist-package/nnlab.vsix.
//   node scripts/package.mjs                   for this platform (e.g. linux-x64), with Dawn's WebGPU binding
//   node scripts/package.mjs --target win32-x64   for another platform (vsce's platform-specific package)
//   node scripts/package.mjs --universal       no native code at all: GPU backends are installed by the user
// A platform package carries the optional `webgpu` package (Dawn for Node) for its platform only, as
// dist/node_modules/webgpu: package.json, index.js, the licence and dist/<platform>/ (dawn.node, plus
// Windows' shader compilers). The training worker (dist/worker/train.js) finds it by Node's own lookup,
// so `auto` can train on the GPU straight after install wherever a Vulkan/Metal/D3D12 driver is there.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const args = process.argv.slice(2);
const explicit = args.includes('--target') ? args[args.indexOf('--target') + 1] : undefined;
const target = explicit ?? `${process.platform}-${process.arch}`;
const TARGETS = ['linux-x64', 'linux-arm64', 'win32-x64', 'win32-arm64', 'darwin-x64', 'darwin-arm64'];
const dawnDir = target.startsWith('darwin-') ? 'darwin-universal' : target;
const pkg = join(root, 'node_modules', 'webgpu');
let universal = args.includes('--universal');
if (!universal && explicit && !TARGETS.includes(explicit)) throw new Error(`unknown target ${explicit}: one of ${TARGETS.join(', ')}, or --universal`);
if (!universal && !existsSync(join(pkg, 'dist', dawnDir))) {
  // this platform has no Dawn build, or the optional dependency did not install: say so, ship without it
  if (explicit) throw new Error(`node_modules/webgpu has no dist/${dawnDir} (the optional dependency is not installed: npm ci)`);
  console.warn(`package: no Dawn build for ${target} in node_modules/webgpu: packaging without it (--universal)`);
  universal = true;
}

execFileSync(process.execPath, [join(root, 'scripts', 'build.mjs'), '--production'], { stdio: 'inherit' });
const vendor = join(root, 'dist', 'node_modules', 'webgpu');
rmSync(join(root, 'dist', 'node_modules'), { recursive: true, force: true });
if (!universal) {
  // dawn's folders: one per platform-arch, macOS one universal build
  mkdirSync(join(vendor, 'dist'), { recursive: true });
  for (const f of ['package.json', 'index.js', 'LICENSE.md']) cpSync(join(pkg, f), join(vendor, f));
  cpSync(join(pkg, 'dist', dawnDir), join(vendor, 'dist', dawnDir), { recursive: true });
  console.log(`vendored webgpu ${dawnDir}: ${readdirSync(join(vendor, 'dist', dawnDir)).join(', ')}`);
}
mkdirSync(join(root, 'dist-package'), { recursive: true });
const vsce = join(root, 'node_modules', '.bin', process.platform === 'win32' ? 'vsce.cmd' : 'vsce');
execFileSync(vsce, ['package', '--no-dependencies', ...(universal ? [] : ['--target', target]), '--out', join(root, 'dist-package', 'nnlab.vsix')], { cwd: root, stdio: 'inherit' });
