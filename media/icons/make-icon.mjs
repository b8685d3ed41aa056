// Draws media/icons/nnlab.png (128×128): an SVG rendered by Debian's Chromium through playwright-core.
//   node media/icons/make-icon.mjs
import { chromium } from 'playwright-core';
import { fileURLToPath } from 'node:url';

const out = fileURLToPath(new URL('./nnlab.png', import.meta.url));
// columns: x = 22, 50, 78, 106; rows as listed (first number of each list is unused padding)
const cols = [
  [[22, 46], [22, 82]],
  [[50, 28], [50, 64], [50, 100]],
  [[78, 46], [78, 82]],
  [[106, 64]],
];
const edges = [];
for (let i = 0; i + 1 < cols.length; i++) {
  for (const [x1, y1] of cols[i]) for (const [x2, y2] of cols[i + 1]) edges.push(`<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"/>`);
}
const nodeColours = ['#4fc3f7', '#ffb74d', '#ffb74d', '#81c784'];
const nodes = cols.flatMap((c, i) => c.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="${i === 3 ? 9 : 8}" fill="${nodeColours[i]}"/>`));
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="128" height="128" viewBox="0 0 128 128">
  <defs><linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#263859"/><stop offset="1" stop-color="#17223b"/></linearGradient></defs>
  <rect x="2" y="2" width="124" height="124" rx="22" fill="url(#bg)"/>
  <g stroke="#cfd8dc" stroke-opacity="0.55" stroke-width="2">${edges.join('')}</g>
  <g stroke="#17223b" stroke-width="2.5">${nodes.join('')}</g>
</svg>`;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent">${svg}</body></html>`);
await page.screenshot({ path: out, omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
console.log(`wrote ${out}`);
