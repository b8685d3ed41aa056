// Placeholder: replaced when `nnlab walkthrough` lands.
export async function run(_args: string[]): Promise<number> {
  process.stderr.write('nnlab walkthrough: not implemented yet\n');
  return 2;
}
