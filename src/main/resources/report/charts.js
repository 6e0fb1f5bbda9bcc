'use strict';
// report.html's charts: drawn as inline SVG from the JSON embedded in the page, at the width of their box, and
// redrawn when the window is resized (no fixed width, no clipped labels). No library, no network.
(function () {
  const data = JSON.parse(document.getElementById('report-data').textContent);
  const NS = 'http://www.w3.org/2000/svg';
  const H = 280, PAD = {l: 74, r: 16, t: 14, b: 34};
  const fmt = (v, d) => Number(v).toLocaleString('en-US', {minimumFractionDigits: d, maximumFractionDigits: d});
  const MIN = 60e3, HOUR = 36e5, DAY = 864e5;

  function el(name, attrs, parent, text) {
    const e = document.createElementNS(NS, name);
    for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }

  // round value ticks: steps of 1, 2 or 5 times a power of ten
  function niceTicks(lo, hi, want) {
    const raw = (hi - lo) / Math.max(1, want);
    const mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw) || 10 * mag;
    const ticks = [];
    for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : v);
    return {ticks, step};
  }
  // round time ticks: whole hours or days (UTC)
  function timeTicks(t0, t1, want) {
    const steps = [15 * MIN, 30 * MIN, HOUR, 2 * HOUR, 3 * HOUR, 6 * HOUR, 12 * HOUR, DAY, 2 * DAY, 7 * DAY, 14 * DAY, 30 * DAY];
    const step = steps.find(s => (t1 - t0) / s <= want) || 30 * DAY;
    const ticks = [];
    for (let t = Math.ceil(t0 / step) * step; t <= t1; t += step) ticks.push(t);
    return {ticks, step};
  }
  function timeLabel(t, step) {
    const iso = new Date(t).toISOString();
    if (step >= DAY) return iso.substring(5, 10);
    const hm = iso.substring(11, 16);
    return hm === '00:00' ? iso.substring(5, 10) : hm;
  }

  function frame(box, opts) {
    const W = Math.max(320, Math.floor(box.clientWidth));
    box.replaceChildren();
    const svg = el('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H, role: 'img', 'aria-label': opts.title}, box);
    const x = t => PAD.l + (W - PAD.l - PAD.r) * (t - opts.t0) / Math.max(1, opts.t1 - opts.t0);
    const y = v => PAD.t + (H - PAD.t - PAD.b) * (1 - (v - opts.lo) / Math.max(1e-12, opts.hi - opts.lo));
    const vt = niceTicks(opts.lo, opts.hi, 5);
    const decimals = vt.step < 1 ? Math.min(4, Math.ceil(-Math.log10(vt.step))) : 0;
    vt.ticks.forEach(v => {
      el('line', {x1: PAD.l, x2: W - PAD.r, y1: y(v), y2: y(v), class: 'grid'}, svg);
      el('text', {x: PAD.l - 6, y: y(v) + 4, 'text-anchor': 'end', class: 'tick'}, svg, fmt(v, decimals));
    });
    const tt = timeTicks(opts.t0, opts.t1, Math.max(3, Math.floor((W - PAD.l - PAD.r) / 90)));
    tt.ticks.forEach(t => {
      el('line', {x1: x(t), x2: x(t), y1: PAD.t, y2: H - PAD.b, class: 'grid'}, svg);
      el('text', {x: x(t), y: H - PAD.b + 16, 'text-anchor': 'middle', class: 'tick'}, svg, timeLabel(t, tt.step));
    });
    el('text', {x: W - PAD.r, y: H - 4, 'text-anchor': 'end', class: 'axis'}, svg, 'UTC');
    return {svg, x, y, W};
  }
  function path(points) {
    return points.map((p, i) => (i ? 'L' : 'M') + p[0].toFixed(1) + ',' + p[1].toFixed(1)).join('');
  }
  // the value of the curve at time t (the last sample at or before it)
  function at(samples, t, key) {
    let lo = 0, hi = samples.length - 1;
    if (hi < 0) return NaN;
    while (lo < hi) { const m = (lo + hi + 1) >> 1; if (samples[m].t <= t) lo = m; else hi = m - 1; }
    return samples[lo][key];
  }
  function haltMarkers(c, t0, t1) {
    (data.halts || []).forEach(h => {
      if (h.t < t0 || h.t > t1) return;
      const g = el('g', {class: 'halt'}, c.svg);
      el('line', {x1: c.x(h.t), x2: c.x(h.t), y1: PAD.t, y2: H - PAD.b}, g);
      el('title', {}, g, h.label);
    });
  }

  function equityChart(box) {
    const s = data.samples;
    if (!s.length) { box.textContent = 'No samples.'; return; }
    const t0 = s[0].t, t1 = Math.max(t0 + MIN, s[s.length - 1].t);
    let lo = Math.min(data.start, ...s.map(p => p.e)), hi = Math.max(data.start, ...s.map(p => p.e));
    const pad = Math.max((hi - lo) * 0.08, Math.abs(hi) * 1e-4);
    const c = frame(box, {title: 'Equity', t0, t1, lo: lo - pad, hi: hi + pad});
    // drawdown: the area between the running peak and the equity
    let peak = -Infinity;
    const top = [], bottom = [];
    s.forEach(p => { peak = Math.max(peak, p.e); top.push([c.x(p.t), c.y(peak)]); bottom.push([c.x(p.t), c.y(p.e)]); });
    el('path', {d: path(top) + path(bottom.reverse()).replace('M', 'L') + 'Z', class: 'drawdown'}, c.svg);
    el('line', {x1: PAD.l, x2: c.W - PAD.r, y1: c.y(data.start), y2: c.y(data.start), class: 'start'}, c.svg);
    el('text', {x: PAD.l + 4, y: c.y(data.start) - 4, class: 'label'}, c.svg, 'start ' + fmt(data.start, 2));
    el('path', {d: path(s.map(p => [c.x(p.t), c.y(p.e)])), class: 'equity'}, c.svg);
    haltMarkers(c, t0, t1);
    (data.fills || []).forEach(f => {
      const px = c.x(f.t), py = c.y(at(s, f.t, 'e'));
      const g = el('g', {class: 'fill ' + f.side + (f.side === 'SELL' ? (f.pnl >= 0 ? ' win' : ' loss') : '')}, c.svg);
      el('path', {d: f.side === 'BUY' ? `M${px},${py + 2}l-4,7h8z` : `M${px},${py - 2}l-4,-7h8z`}, g);
      el('title', {}, g, f.label);
    });
  }

  function exposureChart(box) {
    const s = data.samples;
    if (!s.length) { box.textContent = 'No samples.'; return; }
    const t0 = s[0].t, t1 = Math.max(t0 + MIN, s[s.length - 1].t);
    const maxX = Math.max(1, ...s.map(p => p.x));
    // scaled to the data; the cap is drawn when it is in range, else named at the top edge
    const capInRange = data.cap <= maxX * 1.6;
    const hi = capInRange ? Math.max(maxX, data.cap) * 1.08 : maxX * 1.12;
    const c = frame(box, {title: 'Exposure', t0, t1, lo: 0, hi});
    const pts = s.map(p => [c.x(p.t), c.y(p.x)]);
    el('path', {d: path(pts) + `L${pts[pts.length - 1][0]},${c.y(0)}L${pts[0][0]},${c.y(0)}Z`, class: 'exposure-area'}, c.svg);
    el('path', {d: path(pts), class: 'exposure'}, c.svg);
    if (capInRange) {
      el('line', {x1: PAD.l, x2: c.W - PAD.r, y1: c.y(data.cap), y2: c.y(data.cap), class: 'cap'}, c.svg);
      el('text', {x: c.W - PAD.r - 4, y: c.y(data.cap) - 5, 'text-anchor': 'end', class: 'label cap-label'}, c.svg,
        'total exposure cap ' + fmt(data.cap, 0));
    } else {
      el('text', {x: c.W - PAD.r - 4, y: PAD.t + 12, 'text-anchor': 'end', class: 'label cap-label'}, c.svg,
        '↑ total exposure cap ' + fmt(data.cap, 0) + ' (above the chart)');
    }
    haltMarkers(c, t0, t1);
  }

  function draw() {
    equityChart(document.getElementById('equity-chart'));
    exposureChart(document.getElementById('exposure-chart'));
    document.body.setAttribute('data-charts', 'drawn');
  }
  let pending;
  window.addEventListener('resize', () => { clearTimeout(pending); pending = setTimeout(draw, 100); });
  draw();
})();
