// Charts drawn as SVG in the page (no library): horizontal bars, and a line over time with an
// optional second, stepped series. Each chart has role=img and a text description.
const NS = 'http://www.w3.org/2000/svg';

function el(tag, attrs = {}, text) {
  const node = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

function svg(width, height, label) {
  const root = el('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': label });
  root.append(el('title', {}, label));
  return root;
}

// bars: [{ label, value }]
export function barChart(bars, label) {
  const rowHeight = 26;
  const left = 200;
  const width = 760;
  const height = Math.max(1, bars.length) * rowHeight + 20;
  const max = Math.max(1, ...bars.map((b) => b.value));
  const root = svg(width, height, label);
  bars.forEach((b, i) => {
    const y = 10 + i * rowHeight;
    const w = ((width - left - 80) * b.value) / max;
    root.append(el('text', { x: left - 8, y: y + 16, 'text-anchor': 'end' }, b.label));
    root.append(el('rect', { x: left, y: y + 3, width: Math.max(1, w), height: rowHeight - 8,
      class: 'bar', rx: 3 }));
    root.append(el('text', { x: left + w + 6, y: y + 16 }, String(b.value)));
  });
  return root;
}

// points: [{ t: Date, v: number, level?: number }] in time order.
export function lineChart(points, label) {
  const width = 760;
  const height = 300;
  const pad = { left: 56, right: 56, top: 16, bottom: 40 };
  const root = svg(width, height, label);
  const t0 = points[0].t.getTime();
  const t1 = Math.max(t0 + 1, points[points.length - 1].t.getTime());
  const vmax = Math.max(1, ...points.map((p) => p.v));
  const lmax = Math.max(1, ...points.map((p) => p.level ?? 1));
  const x = (t) => pad.left + ((t.getTime() - t0) / (t1 - t0)) * (width - pad.left - pad.right);
  const y = (v, max) => height - pad.bottom - (v / max) * (height - pad.top - pad.bottom);
  root.append(el('line', { x1: pad.left, y1: height - pad.bottom, x2: width - pad.right,
    y2: height - pad.bottom, class: 'axis' }));
  root.append(el('line', { x1: pad.left, y1: pad.top, x2: pad.left, y2: height - pad.bottom,
    class: 'axis' }));
  root.append(el('text', { x: pad.left - 6, y: pad.top + 10, 'text-anchor': 'end' }, String(vmax)));
  root.append(el('text', { x: pad.left - 6, y: height - pad.bottom, 'text-anchor': 'end' }, '0'));
  root.append(el('text', { x: width - pad.right + 6, y: pad.top + 10 }, `L${lmax}`));
  root.append(el('text', { x: pad.left, y: height - 12 }, points[0].t.toISOString().slice(0, 10)));
  root.append(el('text', { x: width - pad.right, y: height - 12, 'text-anchor': 'end' },
    points[points.length - 1].t.toISOString().slice(0, 10)));
  const path = (fn, max) => points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(fn(p), max).toFixed(1)}`).join(' ');
  if (points.some((p) => p.level !== undefined)) {
    root.append(el('path', { d: path((p) => p.level ?? 1, lmax), class: 'line level' }));
  }
  root.append(el('path', { d: path((p) => p.v, vmax), class: 'line xp' }));
  for (const p of points) {
    root.append(el('circle', { cx: x(p.t).toFixed(1), cy: y(p.v, vmax).toFixed(1), r: 3.5, class: 'dot' }));
  }
  return root;
}
