// The ONE request/response helper for every channel NN Lab has: host ↔ training worker (weights,
// probe) and host ↔ webviews (listRuns, weights, sample, runMetrics). A request is
// `{ type: 'request', id, method, params }`, its answer `{ type: 'response', id, ok, result | error }`;
// `Requester` sends and matches answers (with a time-out), `answerRequest` answers with a handler table.
// Also the two validation helpers every message parser uses (`Parsed`, `isRecord`). Pure: no vscode, no DOM.

export type Parsed<T> = { ok: true; value: T } | { ok: false; error: string };

export function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
export const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

export interface RequestMessage<M extends string = string, P = unknown> {
  type: 'request';
  id: number;
  method: M;
  params: P;
}
export type ResponseMessage<R = unknown> =
  | { type: 'response'; id: number; ok: true; result: R }
  | { type: 'response'; id: number; ok: false; error: string };

/** A map of method name → { params, result } (an interface works: no index signature needed). */
export type MethodMap<M> = { [K in keyof M]: { params: unknown; result: unknown } };

/** The request messages of a method map, one union member per method (params typed). */
export type RequestOf<M extends MethodMap<M>> = { [K in Extract<keyof M, string>]: RequestMessage<K, M[K]['params']> }[Extract<keyof M, string>];

/** Checks the result of `method` before the requester resolves with it (answers from another process). */
export type ResultCheck = (method: string, result: unknown) => Parsed<unknown>;

export interface RequesterOptions {
  timeoutMs?: number;
  /** what a time-out says; default `request <method> #<id> timed out after <ms> ms` */
  timeoutMessage?: (method: string, id: number, ms: number) => string;
  /** validates results (an invalid one rejects the request with the check's error) */
  check?: ResultCheck;
}

/**
 * Sends requests over any `post` channel and resolves them when the matching response comes back
 * through `handle`. Requests time out (rejecting with a clear error) rather than hanging forever.
 */
export class Requester<M extends MethodMap<M>> {
  private next = 1;
  private readonly pending = new Map<number, { method: string; resolve: (v: unknown) => void; reject: (e: Error) => void; timer: ReturnType<typeof setTimeout> }>();
  private readonly options: RequesterOptions;

  constructor(
    private readonly post: (msg: RequestOf<M>) => void,
    options: number | RequesterOptions = 15_000,
  ) {
    this.options = typeof options === 'number' ? { timeoutMs: options } : options;
  }

  /** `timeoutMs`: this request's own limit (default the requester's) */
  request<K extends Extract<keyof M, string>>(method: K, params: M[K]['params'], timeoutMs?: number): Promise<M[K]['result']> {
    const id = this.next++;
    const ms = timeoutMs ?? this.options.timeoutMs ?? 15_000;
    return new Promise<M[K]['result']>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(this.options.timeoutMessage?.(method, id, ms) ?? `request ${method} #${id} timed out after ${ms} ms`));
      }, ms);
      this.pending.set(id, { method, resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        // a RequestMessage<K, params of K> is the member of RequestOf<M> for K (TypeScript cannot see it)
        this.post({ type: 'request', id, method, params } as RequestMessage<K, M[K]['params']> as unknown as RequestOf<M>);
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(id);
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  }

  /** Feed every incoming message; returns true when it was a response to one of our requests. */
  handle(msg: unknown): boolean {
    if (!isRecord(msg) || msg.type !== 'response' || typeof msg.id !== 'number') return false;
    const p = this.pending.get(msg.id);
    if (!p) return false;
    this.pending.delete(msg.id);
    clearTimeout(p.timer);
    if (msg.ok !== true) {
      p.reject(new Error(typeof msg.error === 'string' ? msg.error : 'request failed'));
      return true;
    }
    const checked = this.options.check ? this.options.check(p.method, msg.result) : { ok: true as const, value: msg.result };
    if (checked.ok) p.resolve(checked.value);
    else p.reject(new Error(`invalid answer to ${p.method}: ${checked.error}`));
    return true;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Rejects every pending request with `reason` (the channel closed, the process ended). */
  dispose(reason = 'channel closed'): void {
    for (const [, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new Error(reason));
    }
    this.pending.clear();
  }
}

/** Answers one request with the matching handler; unknown methods and thrown errors become `ok: false`. */
export async function answerRequest<M extends MethodMap<M>>(
  req: RequestMessage,
  handlers: { [K in keyof M]: (params: M[K]['params']) => M[K]['result'] | Promise<M[K]['result']> },
  post: (res: ResponseMessage) => void,
): Promise<void> {
  const h = (handlers as Record<string, ((p: unknown) => unknown) | undefined>)[req.method];
  if (!h || !Object.prototype.hasOwnProperty.call(handlers, req.method)) {
    post({ type: 'response', id: req.id, ok: false, error: `unknown method "${req.method}"` });
    return;
  }
  try {
    const result = await h(req.params);
    post({ type: 'response', id: req.id, ok: true, result });
  } catch (e) {
    post({ type: 'response', id: req.id, ok: false, error: e instanceof Error ? e.message : String(e) });
  }
}
