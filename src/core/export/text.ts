// Text that goes inside generated Python source (docstrings, comments): names and paths without the
// characters that would end a string or start an escape. Pure.

/** A spec name or path made safe inside a Python docstring or f-string: no quotes, braces or backslashes. */
export function pyText(s: string): string {
  return s.replace(/\\/g, '/').replace(/["{}]/g, '');
}
