// The panels' font scale (issue 13 item 18, projector size): src/core/view/fontScale.ts, with the
// setting's package.json range (src/config/settings.ts) in front of it as the host reads it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EDITOR_FONT_SIZE, nextZoom, panelFontScale, savedZoom, zoomKeyOf, ZOOM_LEVELS } from '../../../src/core/view/fontScale';
import { DEFAULTS, numberIn } from '../../../src/config/settings';

test('by default the panels follow the editor font size: 22 px on a 14 px default is 1.57×', () => {
  assert.equal(DEFAULTS['panel.fontScale'], 0, 'the default setting means "follow the editor"');
  assert.equal(panelFontScale(0, 22, 14), 1.57);
  assert.equal(panelFontScale(0, 14, 14), 1);
  assert.equal(panelFontScale(0, 12, 12), 1, 'macOS: 12 px is its default, so 1×, not 0.86×');
  assert.equal(panelFontScale(0, 18, 12), 1.5);
  assert.equal(panelFontScale(0, 10, 14), 0.71, 'a smaller editor font makes the panels smaller too');
  assert.equal(DEFAULT_EDITOR_FONT_SIZE, 14);
  assert.equal(panelFontScale(0, 28, undefined), 2, 'no default known: 14');
});

test('a positive setting overrides the editor: the number itself, within 0.5 … 4', () => {
  assert.equal(panelFontScale(2, 22, 14), 2);
  assert.equal(panelFontScale(1.25, 9, 14), 1.25);
  assert.equal(panelFontScale(0.2, 22, 14), 0.5);
  assert.equal(panelFontScale(10, 14, 14), 4);
  assert.equal(panelFontScale(0, 200, 14), 4, 'a huge editor font is capped too');
  assert.equal(panelFontScale(0, 1, 14), 0.5);
});

test('bad values fall back: the setting through package.json’s range, the editor size to its default', () => {
  assert.equal(numberIn('panel.fontScale', 'big'), 0);
  assert.equal(numberIn('panel.fontScale', -3), 0);
  assert.equal(numberIn('panel.fontScale', 9), 4);
  assert.equal(panelFontScale(Number.NaN, 22, 14), 1.57);
  assert.equal(panelFontScale(0, 'large', 14), 1);
  assert.equal(panelFontScale(0, -5, 14), 1);
  assert.equal(panelFontScale(0, 21, 0), 1.5, 'a zero default is not divided by');
});

test('keyboard zoom: Ctrl/Cmd + = / - / 0 step through the levels, clamped at 50 % and 300 %', () => {
  const k = (key: string, o: Partial<{ ctrlKey: boolean; metaKey: boolean; altKey: boolean; code: string }> = {}) => zoomKeyOf({ key, ctrlKey: true, metaKey: false, altKey: false, ...o });
  assert.equal(k('='), 'in');
  assert.equal(k('+'), 'in');
  assert.equal(k('-'), 'out');
  assert.equal(k('0'), 'reset');
  assert.equal(k('', { code: 'NumpadAdd' }), 'in');
  assert.equal(k('=', { ctrlKey: false, metaKey: true }), 'in', 'Cmd on macOS');
  assert.equal(k('=', { ctrlKey: false }), undefined, 'no modifier: typing "="');
  assert.equal(k('=', { altKey: true }), undefined);
  assert.equal(k('a'), undefined);
  assert.equal(nextZoom(1, 'in'), 1.1);
  assert.equal(nextZoom(1.1, 'in'), 1.25);
  assert.equal(nextZoom(1, 'out'), 0.9);
  assert.equal(nextZoom(1.3, 'out'), 1.25, 'an off-level zoom goes to its lower neighbour');
  assert.equal(nextZoom(3, 'in'), 3);
  assert.equal(nextZoom(0.5, 'out'), 0.5);
  assert.equal(nextZoom(2.5, 'reset'), 1);
  let z = 1;
  for (let i = 0; i < 20; i++) z = nextZoom(z, 'in');
  assert.equal(z, ZOOM_LEVELS[ZOOM_LEVELS.length - 1]);
  assert.equal(savedZoom(1.5), 1.5);
  assert.equal(savedZoom('2'), 1);
  assert.equal(savedZoom(40), 1);
  assert.equal(savedZoom(undefined), 1);
});
