// Topological order of a tape's nodes (scalar and matrix tapes alike). Pure.

/** Nodes that `root` depends on, inputs before the nodes that use them (recursion depth = graph depth). */
export function topoOrder(nodes: readonly { inputs: readonly number[] }[], root: number): number[] {
  const seen = new Set<number>();
  const order: number[] = [];
  const visit = (i: number): void => {
    if (seen.has(i)) return;
    seen.add(i);
    for (const j of nodes[i].inputs) visit(j);
    order.push(i);
  };
  visit(root);
  return order;
}
