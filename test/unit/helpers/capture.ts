// Runs a CLI command in-process with what it writes to process.stdout/stderr captured (`nnlab grad` and
// `nnlab walkthrough` write there directly), optionally from another working directory.
export async function captureProcessOutput(f: () => Promise<number>, cwd?: string): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  // node:test reports through the same stdout in binary chunks: pass those on, keep the CLI's strings
  process.stdout.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? (out.push(s), true) : o(s, ...rest))) as typeof process.stdout.write;
  process.stderr.write = ((s: string | Uint8Array, ...rest: never[]) => (typeof s === 'string' ? (err.push(s), true) : e(s, ...rest))) as typeof process.stderr.write;
  const prev = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    return { code: await f(), out: out.join(''), err: err.join('') };
  } finally {
    process.chdir(prev);
    process.stdout.write = o;
    process.stderr.write = e;
  }
}
