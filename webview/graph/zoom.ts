// Zoom, pan and fit of the graph panel's stage (issue 13 item 2): toolbar buttons, the mouse wheel and a
// trackpad pinch about the pointer, drag to pan, and the keys + / − / 0 while the stage has the focus.
// The maths is pure, in src/core/view/graphState.ts (fitTransform, zoomAbout, wheelFactor, zoomKey).
import { fitTransform, wheelFactor, zoomAbout, zoomKey, type Size, type Transform } from '../../src/core/view/graphState';

export class Zoomer {
  view: Transform = { tx: 0, ty: 0, k: 1 };
  private drag: { x: number; y: number; tx: number; ty: number } | undefined;

  /**
   * `content()`: the drawing's size at zoom 1; `apply(t, stage)`: shows the transform.
   * Pointer-downs on elements matching `noDrag` (hover targets) do not start a pan.
   */
  constructor(
    private readonly stage: HTMLElement,
    private readonly content: () => Size,
    private readonly apply: (t: Transform, stage: Size) => void,
    noDrag = '.hit, .cg-node',
  ) {
    stage.tabIndex = 0;
    stage.setAttribute('aria-label', 'Graph: + and − zoom, 0 fits, drag to pan');
    stage.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault();
        const r = stage.getBoundingClientRect();
        this.zoomBy(wheelFactor(e.deltaY, e.ctrlKey), e.clientX - r.left, e.clientY - r.top);
      },
      { passive: false },
    );
    stage.addEventListener('keydown', (e) => {
      if (e.altKey || e.metaKey || (e.ctrlKey && e.key !== '0')) return;
      const z = zoomKey(e.key);
      if (z === undefined) return;
      e.preventDefault();
      if (z === 'fit') this.fit();
      else this.zoomBy(z);
    });
    stage.addEventListener('pointerdown', (e) => {
      stage.focus({ preventScroll: true });
      if ((e.target as Element).closest(noDrag)) return;
      this.drag = { x: e.clientX, y: e.clientY, tx: this.view.tx, ty: this.view.ty };
      stage.setPointerCapture(e.pointerId);
    });
    stage.addEventListener('pointermove', (e) => {
      if (!this.drag) return;
      this.set({ ...this.view, tx: this.drag.tx + e.clientX - this.drag.x, ty: this.drag.ty + e.clientY - this.drag.y });
    });
    const end = (): void => (this.drag = undefined);
    stage.addEventListener('pointerup', end);
    stage.addEventListener('pointercancel', end);
  }

  size(): Size {
    return { w: this.stage.clientWidth || 800, h: this.stage.clientHeight || 500 };
  }

  set(t: Transform): void {
    this.view = t;
    this.apply(t, this.size());
  }

  fit(): void {
    this.set(fitTransform(this.content(), this.size()));
  }

  /** Zooms about a stage point (default: the centre). */
  zoomBy(f: number, cx = this.stage.clientWidth / 2, cy = this.stage.clientHeight / 2): void {
    this.set(zoomAbout(this.view, f, cx, cy));
  }
}
