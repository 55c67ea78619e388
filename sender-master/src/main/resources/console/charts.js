'use strict';
// Small SVG charts for the console: time on x, one or more series on y. No library: the console
// loads nothing but its own files (see ConsoleAssets' Content-Security-Policy).
const Charts = (() => {
  const NS = 'http://www.w3.org/2000/svg';
  const W = 600, H = 220, PAD = { left: 52, right: 12, top: 12, bottom: 36 };

  function el(name, attrs, parent) {
    const node = document.createElementNS(NS, name);
    Object.entries(attrs).forEach(([k, v]) => node.setAttribute(k, String(v)));
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, anchor) {
    const t = el('text', { x, y, 'text-anchor': anchor || 'start' }, parent);
    t.textContent = content;
    return t;
  }

  function niceMax(max) {
    if (max <= 0) return 1;
    const magnitude = Math.pow(10, Math.floor(Math.log10(max)));
    const step = [1, 2, 2.5, 5, 10].find(s => s * magnitude >= max);
    return step * magnitude;
  }

  function format(value) {
    if (value >= 1e6) return (value / 1e6).toFixed(1) + 'M';
    if (value >= 1e3) return (value / 1e3).toFixed(1) + 'k';
    if (value >= 10 || value === 0) return String(Math.round(value));
    return value.toPrecision(2);
  }

  function clock(ms) {
    const d = new Date(ms);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0');
  }

  /**
   * Draws a line chart into container. series: [{name, points: [[timeMs, value|null], ...]}]; a null
   * value breaks the line (no sample, or a worker that was not there).
   */
  function line(container, series) {
    container.replaceChildren();
    const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img' }, container);
    const all = series.flatMap(s => s.points).filter(p => p[1] !== null && p[1] !== undefined);
    if (all.length === 0) {
      text(svg, W / 2, H / 2, 'no samples yet', 'middle').setAttribute('class', 'empty');
      return svg;
    }
    const t0 = Math.min(...all.map(p => p[0])), t1 = Math.max(...all.map(p => p[0]));
    const span = Math.max(1, t1 - t0), yMax = niceMax(Math.max(...all.map(p => p[1])));
    const x = t => PAD.left + (t - t0) / span * (W - PAD.left - PAD.right);
    const y = v => H - PAD.bottom - v / yMax * (H - PAD.top - PAD.bottom);
    for (let i = 0; i <= 4; i++) {
      const v = yMax * i / 4;
      el('line', { x1: PAD.left, x2: W - PAD.right, y1: y(v), y2: y(v), class: i === 0 ? 'axis' : 'grid' }, svg);
      text(svg, PAD.left - 6, y(v) + 4, format(v), 'end');
    }
    for (let i = 0; i <= 4; i++) {
      const t = t0 + span * i / 4;
      text(svg, x(t), H - PAD.bottom + 16, clock(t), 'middle');
    }
    series.forEach((s, index) => {
      let d = '', pen = false;
      s.points.forEach(([t, v]) => {
        if (v === null || v === undefined) { pen = false; return; }
        d += (pen ? 'L' : 'M') + x(t).toFixed(1) + ' ' + y(v).toFixed(1) + ' ';
        pen = true;
      });
      if (d) el('path', { d, class: 'line s' + (index % 4) }, svg);
      const lx = PAD.left + index * 130;
      el('rect', { x: lx, y: H - 12, width: 10, height: 10, class: 's' + (index % 4) }, svg);
      text(svg, lx + 14, H - 3, s.name);
    });
    return svg;
  }

  /** A small line without axes for a table cell. */
  function spark(values) {
    const w = 120, h = 24;
    const svg = el('svg', { viewBox: `0 0 ${w} ${h}`, width: w, height: h, class: 'spark' });
    const known = values.filter(v => v !== null);
    if (known.length < 2) return svg;
    const max = Math.max(1, ...known);
    let d = '', pen = false;
    values.forEach((v, i) => {
      if (v === null) { pen = false; return; }
      d += (pen ? 'L' : 'M') + (i / (values.length - 1) * w).toFixed(1) + ' ' + (h - 2 - v / max * (h - 4)).toFixed(1) + ' ';
      pen = true;
    });
    el('path', { d }, svg);
    return svg;
  }

  return { line, spark };
})();
