// The loss panel's table of runs (issue 13 item 20, issue 16 item 7): every run of the spec with its
// final loss, accuracy, epochs, time and stop reason (src/core/view/compare.ts runRow: the strings of
// summary.json and `nnlab train`), named by what sets it apart from the others (or the name the user gave
// it: ✎ asks the host, which keeps it in the run's run.json), a checkbox per run for the chart's overlay,
// and for runs trained as seeds of one spec the spread (mean ± std) of their final loss and accuracy.
import { h } from '../shared/dom';
import { groupSpread, runNames, runRow, type ComparedRun } from '../../src/core/view/compare';
import type { RunSeries } from '../../src/protocol/webview';

export interface TableRun {
  run: RunSeries;
  /** the run drawn live in the chart (always shown, no checkbox) */
  current: boolean;
}

const compared = (r: RunSeries): ComparedRun => ({
  folder: r.id,
  ...(r.hyper ? { hyper: r.hyper } : {}),
  ...(r.userLabel ? { label: r.userLabel } : {}),
  ...(r.seedGroup ? { seedGroup: r.seedGroup } : {}),
});

export class RunsTable {
  readonly el = h('div', { class: 'runs-table', id: 'runs-table' });
  private names = new Map<string, string>();
  private common = '';

  constructor(
    /** ids of the runs left out of the overlay (kept in the panel's saved state) */
    private hidden: Set<string>,
    private readonly hooks: { changed(hidden: Set<string>): void; rename(id: string): void },
  ) {}

  /** The name of a run among the runs of the table (its label, what sets it apart, or its folder). */
  name(id: string): string {
    return this.names.get(id) ?? id;
  }

  /** Whether a run is drawn over the chart. */
  shown(id: string): boolean {
    return !this.hidden.has(id);
  }

  /** What the compared runs share (the picture's subtitle). */
  shared(): string {
    return this.common;
  }

  render(rows: TableRun[]): void {
    const { names, common } = runNames(rows.map((r) => compared(r.run)));
    this.names = new Map(rows.map((r, i) => [r.run.id, names[i]!]));
    this.common = common;
    if (rows.length === 0) {
      this.el.replaceChildren();
      return;
    }
    const head = h('tr', {}, ...['', 'run', 'loss', 'accuracy', 'epochs', 'time', 'stop'].map((t) => h('th', {}, t)));
    const body = rows.map(({ run, current }) => {
      const cells = runRow(run.summary, run.plannedEpochs);
      const box = h('input', { type: 'checkbox', class: 'run-check', 'data-run': run.id, title: current ? 'the run drawn live' : 'draw this run over the chart' }) as HTMLInputElement;
      box.checked = current || this.shown(run.id);
      box.disabled = current;
      box.addEventListener('change', () => {
        if (box.checked) this.hidden.delete(run.id);
        else this.hidden.add(run.id);
        this.hooks.changed(this.hidden);
      });
      const rename = h('button', { class: 'run-rename', title: `Rename ${run.id} (kept in its run.json)`, 'data-run': run.id }, '✎');
      rename.addEventListener('click', () => this.hooks.rename(run.id));
      return h(
        'tr',
        { class: current ? 'current' : '', 'data-run': run.id },
        h('td', {}, box),
        h('td', { class: 'run-name', title: run.id }, this.name(run.id), current ? h('span', { class: 'muted' }, ' (this run)') : '', rename),
        h('td', { class: 'num run-loss' }, cells.loss),
        h('td', { class: 'num run-acc' }, cells.accuracy),
        h('td', { class: 'run-epochs' }, cells.epochs),
        h('td', { class: 'num run-time' }, cells.time),
        h('td', { class: 'run-stop' }, cells.stop),
      );
    });
    // one spread row per seed group with at least two runs here
    const groups = new Map<string, RunSeries[]>();
    for (const { run } of rows) if (run.seedGroup) groups.set(run.seedGroup, [...(groups.get(run.seedGroup) ?? []), run]);
    const spread = [...groups.values()]
      .filter((g) => g.length >= 2)
      .map((g) => {
        const s = groupSpread(g.map((r) => r.summary));
        return h('tr', { class: 'seed-spread' }, h('td', {}), h('td', {}, `${g.length} seeds, mean ± std`), h('td', { class: 'num spread-loss' }, s.loss), h('td', { class: 'num spread-acc' }, s.accuracy), h('td', {}), h('td', {}), h('td', {}));
      });
    this.el.replaceChildren(
      h('div', { class: 'muted runs-common', id: 'runs-common' }, common ? `All runs: ${common}` : ''),
      h('table', {}, h('thead', {}, head), h('tbody', {}, ...body, ...spread)),
    );
  }
}
