// A walkthrough as plain text for terminals (`nnlab walkthrough <example> --text`). Pure.
import { fmt } from './format';
import { RULE_TEXT, type Walkthrough } from './types';

const PHASE: Record<string, string> = { forward: 'forward', backward: 'backward', update: 'update', descent: 'descent', info: 'check' };

export function walkthroughText(w: Walkthrough): string {
  const out: string[] = [];
  out.push(w.title, '='.repeat(w.title.length), '', w.intro, '');
  if (w.params.length) out.push(`Inputs and weights: ${w.params.map((p) => `${p.label} = ${fmt(p.value)}`).join(', ')}`, '');
  let graph = -1;
  const width = String(w.steps.length).length;
  w.steps.forEach((s, i) => {
    if (s.graph !== graph) {
      graph = s.graph;
      const title = w.graphs[graph]?.title ?? '';
      out.push(`— ${title} —`);
    }
    const rule = s.ruleText ? `   (${s.ruleText})` : '';
    out.push(`${String(i + 1).padStart(width)}. [${PHASE[s.phase] ?? s.phase}] ${s.text}${s.phase === 'forward' && s.ruleText === RULE_TEXT.forward ? '' : rule}`);
  });
  if (w.descent) {
    out.push('', `  k  w_k          L(w_k)       ∇L(w_k)`);
    for (const r of w.descent.rows) out.push(`${String(r.k).padStart(3)}  ${fmt(r.w).padEnd(11)}  ${fmt(r.loss).padEnd(11)}  ${fmt(r.grad)}`);
    out.push(`α = ${fmt(w.descent.alpha)}: ${w.descent.behaviour}; stopped: ${w.descent.stopReason}`);
  }
  if (w.checks.length) {
    out.push('', 'Each gradient three ways (tape, closed form, difference quotient):');
    const nameW = Math.max(...w.checks.map((c) => c.name.length));
    for (const c of w.checks) {
      out.push(
        `  ${c.name.padEnd(nameW)}  tape ${fmt(c.tape).padEnd(10)} closed form ${(c.analytic === undefined ? '—' : fmt(c.analytic)).padEnd(10)} quotient ${fmt(c.numeric).padEnd(10)}${c.tfjs !== undefined ? ` tf.grads ${fmt(c.tfjs).padEnd(10)}` : ''} ${c.agree ? 'agree' : 'DISAGREE'}`,
      );
    }
  }
  if (w.update) out.push('', `Update with α = ${fmt(w.update.alpha)}: loss ${fmt(w.update.lossBefore)} → ${fmt(w.update.lossAfter)}`);
  if (w.notes.length) out.push('', ...w.notes.map((n) => `Note: ${n}`));
  return out.join('\n') + '\n';
}
