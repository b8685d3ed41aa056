// Native TensorFlow (libtensorflow) through @tensorflow/tfjs-node. An optional package: its install
// downloads libtensorflow from outside npm, so it is often absent. Never bundled: it is resolved at run
// time from the folders in LoadOptions.modulePaths (setting nnlab.backendModulePath, the workspace,
// the extension), then from wherever Node would find it, and it brings its own tfjs-core copy.
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendUnavailable, type BackendCandidate, type BackendName, type LoadOptions, type TfCore } from '../backend';

/** Resolve a package from each module path in turn, then from this file's own resolution paths. */
export function resolveOptional(pkg: string, opts: LoadOptions): string | undefined {
  const bases = [...opts.modulePaths.flatMap((p) => [join(p, 'noop.js'), join(p, 'node_modules', 'noop.js')]), __filename];
  for (const base of bases) {
    try {
      return createRequire(base).resolve(pkg);
    } catch {
      /* try the next place */
    }
  }
  return undefined;
}

/** First line of an error, without the stack: what the user needs to read. */
function firstLine(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.split('\n').find((l) => l.trim() !== '')?.trim() ?? m;
}

/**
 * Load a native tfjs package (tfjs-node or tfjs-node-gpu) and return its tf namespace, or throw
 * BackendUnavailable with a reason such as "not installed" or "libtensorflow.so.2: cannot open …".
 */
export function loadNativeTf(name: BackendName, pkg: string, opts: LoadOptions): { tf: TfCore; path: string } {
  const path = resolveOptional(pkg, opts);
  if (!path) {
    const where = opts.modulePaths.filter((p) => existsSync(p));
    throw new BackendUnavailable(name, `not installed (${pkg} not found${where.length ? ` in ${where.join(', ')}` : ''})`);
  }
  let mod: TfCore;
  try {
    // A runtime require of a path the bundler cannot see: never bundled.
    mod = createRequire(path)(path) as TfCore;
  } catch (e) {
    throw new BackendUnavailable(name, `installed at ${path} but failed to load: ${firstLine(e)}`);
  }
  return { tf: mod, path };
}

export const nodeBackend: BackendCandidate = {
  name: 'tfjs-node',
  gpu: false,
  async load(opts) {
    const { tf } = loadNativeTf('tfjs-node', '@tensorflow/tfjs-node', opts);
    try {
      if (!(await tf.setBackend('tensorflow'))) throw new Error('setBackend("tensorflow") returned false');
      await tf.ready();
    } catch (e) {
      throw new BackendUnavailable('tfjs-node', `failed to initialise: ${firstLine(e)}`);
    }
    return { name: 'tfjs-node', tf, device: 'CPU (native TensorFlow, libtensorflow)' };
  },
};
