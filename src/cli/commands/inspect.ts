// Placeholder: replaced when `nnlab inspect` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab inspect: not implemented yet\n');
  return 2;
}
