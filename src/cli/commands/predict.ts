// Placeholder: replaced when `nnlab predict` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab predict: not implemented yet\n');
  return 2;
}
