// Placeholder: replaced when `nnlab grad` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab grad: not implemented yet\n');
  return 2;
}
