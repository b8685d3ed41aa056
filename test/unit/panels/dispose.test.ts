// The Disposable base (src/dispose.ts) every host class that owns listeners extends.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Disposable, disposeAll } from '../../../src/dispose';

class Owner extends Disposable {
  own(d: { dispose(): void }): void {
    this.register(d);
  }
  get gone(): boolean {
    return this.isDisposed;
  }
}

test('dispose() disposes what was registered once, last first', () => {
  const order: string[] = [];
  const o = new Owner();
  o.own({ dispose: () => order.push('a') });
  o.own({ dispose: () => order.push('b') });
  o.dispose();
  o.dispose();
  assert.deepEqual(order, ['b', 'a']);
  assert.equal(o.gone, true);
});

test('registering on a disposed owner disposes at once', () => {
  const o = new Owner();
  o.dispose();
  let n = 0;
  o.own({ dispose: () => n++ });
  assert.equal(n, 1);
});

test('disposeAll disposes every item even when one throws, then rethrows the first error', () => {
  const order: string[] = [];
  const items = [
    { dispose: () => order.push('1') },
    {
      dispose: () => {
        throw new Error('boom');
      },
    },
    { dispose: () => order.push('3') },
  ];
  assert.throws(() => disposeAll(items), /boom/);
  assert.deepEqual(order, ['3', '1']);
  assert.equal(items.length, 0);
});
