// The one way the extension host keeps disposables (after vscode-hexeditor's src/dispose.ts): a class
// that owns listeners, timers or child objects extends `Disposable` and `register`s them; `dispose()`
// runs once and disposes them in reverse order. Only types from vscode: unit-testable under Node.
import type * as vscode from 'vscode';

/** Disposes every item, last first; one that throws does not stop the others (the first error is rethrown). */
export function disposeAll(items: vscode.Disposable[]): void {
  let first: unknown;
  for (const d of items.splice(0).reverse()) {
    try {
      d.dispose();
    } catch (e) {
      first ??= e;
    }
  }
  if (first !== undefined) throw first;
}

export abstract class Disposable implements vscode.Disposable {
  private disposed = false;
  private readonly owned: vscode.Disposable[] = [];

  protected get isDisposed(): boolean {
    return this.disposed;
  }

  /** Keeps `d` until this object is disposed (disposed at once when this object already is). */
  protected register<T extends vscode.Disposable>(d: T): T {
    if (this.disposed) d.dispose();
    else this.owned.push(d);
    return d;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeAll(this.owned);
  }
}
