// Placeholder: replaced when `nnlab train` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab train: not implemented yet\n');
  return 2;
}
