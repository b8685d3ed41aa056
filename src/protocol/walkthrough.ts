// Messages between the extension host and the walkthrough panel (webview/walkthrough). The host is the
// source of truth for the walkthrough and the position; the panel asks to move, the host answers with
// `show`. Every panel → host message is validated by parsePanelMessage before the host acts on it.
// Pure: no `vscode`, no DOM.
import type { Walkthrough } from '../core/autodiff/types';
import { finite, isRecord, type Parsed } from './rpc';

export interface ExampleChoice {
  id: string;
  title: string;
}

/** host → panel */
export type HostToPanel =
  /** a (re)computed walkthrough; the panel redraws everything */
  | { type: 'load'; walkthrough: Walkthrough; position: number; examples: ExampleChoice[]; editable: boolean; persist: PersistedState }
  /** move to a position (after a panel's `navigate`, a command, or a test) */
  | { type: 'show'; position: number }
  /** a problem the panel shows in place (bad number, failed recompute) */
  | { type: 'error'; message: string };

export type NavigateTarget = 'next' | 'previous' | 'start' | 'end';
export const NAVIGATE_TARGETS: readonly NavigateTarget[] = ['next', 'previous', 'start', 'end'];

/** panel → host */
export type PanelToHost =
  | { type: 'ready' }
  | { type: 'navigate'; to: NavigateTarget | number }
  /** an edited input or weight of a built-in example */
  | { type: 'setParam'; key: string; value: number }
  /** back to the example's own numbers */
  | { type: 'resetParams' }
  /** switch to another example */
  | { type: 'choose'; example: string }
  /** what the panel now displays, for the state tests observe */
  | { type: 'rendered'; position: number; quantity: string; equation: string; predict: boolean };

/** Panel state persisted by the webview (vscode.setState) and restored by the serializer. */
export interface PersistedState {
  example: string;
  values?: Record<string, number>;
  position: number;
  specUri?: string;
  sample?: number;
  /** "This network": start from the initial weights or the last-trained ones */
  weights?: WeightsChoice;
}

/** Which weights "This network" walks through: the spec's initial weights (seeded) or the last-trained ones. */
export type WeightsChoice = 'initial' | 'trained';

/** an example's input ("w1", "alpha"), or a field of "This network": x[0], W¹[1][0], b²[3] (src/core/autodiff/network.ts paramName) */
const KEY = /^(?:[A-Za-z][A-Za-z0-9_]{0,31}|x\[\d{1,6}\]|[Wb][¹²³⁴⁵⁶⁷⁸⁹⁰]{0,3}(?:\[\d{1,6}\]){1,2})$/;
const EXAMPLE = /^[a-z0-9-]{1,40}$/;

/** Checks a message from the walkthrough panel. Never throws. */
export function parsePanelMessage(m: unknown): Parsed<PanelToHost> {
  if (!isRecord(m)) return { ok: false, error: 'message: expected an object with a "type"' };
  switch (m.type) {
    case 'ready':
      return { ok: true, value: { type: 'ready' } };
    case 'navigate': {
      const to = m.to;
      if (typeof to === 'string' && NAVIGATE_TARGETS.includes(to as NavigateTarget)) return { ok: true, value: { type: 'navigate', to: to as NavigateTarget } };
      if (finite(to) && Number.isInteger(to) && to >= 0 && to <= 100_000) return { ok: true, value: { type: 'navigate', to } };
      return { ok: false, error: `navigate.to: expected ${NAVIGATE_TARGETS.join(', ')} or a step number from 0` };
    }
    case 'setParam':
      if (typeof m.key !== 'string' || !KEY.test(m.key)) return { ok: false, error: 'setParam.key: expected a parameter name' };
      if (!finite(m.value) || Math.abs(m.value) > 1e6) return { ok: false, error: `setParam.value: expected a finite number of at most 10⁶ in size for ${m.key}` };
      return { ok: true, value: { type: 'setParam', key: m.key, value: m.value } };
    case 'resetParams':
      return { ok: true, value: { type: 'resetParams' } };
    case 'choose':
      if (typeof m.example !== 'string' || !EXAMPLE.test(m.example)) return { ok: false, error: 'choose.example: expected an example id' };
      return { ok: true, value: { type: 'choose', example: m.example } };
    case 'rendered': {
      if (!finite(m.position) || !Number.isInteger(m.position) || m.position < 0) return { ok: false, error: 'rendered.position: expected a step number' };
      if (typeof m.quantity !== 'string' || typeof m.equation !== 'string') return { ok: false, error: 'rendered.quantity/equation: expected strings' };
      return {
        ok: true,
        value: { type: 'rendered', position: m.position, quantity: m.quantity.slice(0, 200), equation: m.equation.slice(0, 4000), predict: m.predict === true },
      };
    }
    default:
      return { ok: false, error: `message.type: unknown type ${JSON.stringify(m.type)}` };
  }
}

/** Validates persisted webview state before the serializer trusts it. */
export function parsePersistedState(s: unknown): PersistedState | undefined {
  if (!isRecord(s) || typeof s.example !== 'string' || !EXAMPLE.test(s.example)) return undefined;
  const out: PersistedState = { example: s.example, position: finite(s.position) && s.position >= 0 ? Math.trunc(s.position) : 0 };
  if (isRecord(s.values)) {
    const values: Record<string, number> = {};
    for (const [k, v] of Object.entries(s.values)) if (KEY.test(k) && finite(v)) values[k] = v;
    out.values = values;
  }
  if (typeof s.specUri === 'string' && s.specUri.length < 4096) out.specUri = s.specUri;
  if (finite(s.sample) && Number.isInteger(s.sample) && s.sample >= 0) out.sample = s.sample;
  if (s.weights === 'initial' || s.weights === 'trained') out.weights = s.weights;
  return out;
}
