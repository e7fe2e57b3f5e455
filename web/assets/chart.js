// Hand-written SVG charts: bars with their numbers as text, so a reader (and
// the browser tests) can check every value against the API's JSON.
const NS = 'http://www.w3.org/2000/svg';
const PALETTE = ['#2563eb', '#16a34a', '#ea580c', '#9333ea', '#0891b2', '#dc2626'];

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(NS, tag);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = String(text);
  return el;
}

// Horizontal bars: [{label, value}] → <svg> with one <g data-label data-value> per bar.
export function barChart(items, { format = String, id } = {}) {
  const rowHeight = 26;
  const width = 520;
  const labelWidth = 190;
  const max = Math.max(1, ...items.map((i) => i.value));
  const root = svg('svg', {
    viewBox: `0 0 ${width} ${Math.max(1, items.length) * rowHeight + 4}`,
    class: 'chart', role: 'img', 'data-chart': id || '',
  });
  items.forEach((item, index) => {
    const y = index * rowHeight + 2;
    const barWidth = ((width - labelWidth - 70) * item.value) / max;
    const g = svg('g', { 'data-label': item.label, 'data-value': item.value, class: 'bar' });
    g.append(svg('text', { x: 0, y: y + 16, class: 'chart-label' }, item.label));
    g.append(svg('rect', { x: labelWidth, y, width: Math.max(barWidth, 1), height: rowHeight - 6,
      fill: PALETTE[(item.series || 0) % PALETTE.length] }));
    g.append(svg('text', { x: labelWidth + barWidth + 6, y: y + 16, class: 'chart-value' }, format(item.value)));
    root.append(g);
  });
  return root;
}

// Stacked columns per day: days × series → <svg> with <rect data-day data-series data-value>.
export function stackedColumns(days, series, valueOf, { id } = {}) {
  const width = 560;
  const height = 200;
  const bottom = 30;
  const totals = days.map((d) => series.reduce((sum, s) => sum + valueOf(d, s), 0));
  const max = Math.max(1, ...totals);
  const column = (width - 40) / Math.max(1, days.length);
  const root = svg('svg', { viewBox: `0 0 ${width} ${height + 40}`, class: 'chart', role: 'img', 'data-chart': id || '' });
  days.forEach((day, i) => {
    let y = height - bottom;
    const x = 30 + i * column;
    series.forEach((s, si) => {
      const value = valueOf(day, s);
      if (!value) return;
      const h = ((height - bottom - 10) * value) / max;
      y -= h;
      root.append(svg('rect', { x: x + 4, y, width: Math.max(column - 8, 2), height: h, fill: PALETTE[si % PALETTE.length],
        'data-day': day, 'data-series': s, 'data-value': value }));
    });
    root.append(svg('text', { x: x + column / 2, y: y - 4, class: 'chart-value', 'text-anchor': 'middle',
      'data-total': day }, totals[i]));
    root.append(svg('text', { x: x + column / 2, y: height - bottom + 16, class: 'chart-label', 'text-anchor': 'middle' },
      day.slice(5)));
  });
  series.forEach((s, si) => {
    root.append(svg('rect', { x: 30 + si * 120, y: height + 14, width: 12, height: 12, fill: PALETTE[si % PALETTE.length] }));
    root.append(svg('text', { x: 46 + si * 120, y: height + 24, class: 'chart-label' }, s));
  });
  return root;
}
