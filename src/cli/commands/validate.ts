// Placeholder: replaced when `nnlab validate` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab validate: not implemented yet\n');
  return 2;
}
