'use strict';
// The status page: polls /api/status once a second and renders it with DOM text nodes only (no HTML from
// data). The control token lives only in its input field: it is sent as a bearer header, never stored.
(function () {
  const $ = id => document.getElementById(id);
  const num = v => (v === null || v === undefined || v === '') ? NaN : Number(v);
  const money = v => isNaN(num(v)) ? '–' : num(v).toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2});
  const price = v => isNaN(num(v)) ? '–' : Number(num(v).toPrecision(6)).toString();
  const qty = v => isNaN(num(v)) ? '–' : Number(num(v).toPrecision(8)).toString();
  const pct = (a, b) => num(b) > 0 ? (100 * num(a) / num(b)) : 0;
  const utc = ms => ms ? new Date(ms).toISOString().replace('T', ' ').substring(0, 19) : '–';
  const ago = s => s < 1 ? 'now' : s < 90 ? Math.round(s) + ' s ago' : s < 5400 ? Math.round(s / 60) + ' min ago' : Math.round(s / 3600) + ' h ago';
  const STALE_STREAM_S = 60;

  function set(id, text, cls) {
    const el = $(id);
    el.textContent = text;
    if (cls !== undefined) el.className = cls;
  }
  function signed(v) { return num(v) > 0 ? 'pos' : num(v) < 0 ? 'neg' : ''; }
  function bar(el, share) {
    el.style.width = Math.max(0, Math.min(100, share)) + '%';
    el.className = share >= 100 ? 'over' : share >= 80 ? 'hot' : '';
  }
  function td(text, cls) {
    const c = document.createElement('td');
    if (text instanceof Node) c.appendChild(text); else c.textContent = text;
    if (cls) c.className = cls;
    return c;
  }
  function table(id, head, rows, cells, emptyText) {
    const t = $(id);
    const frag = document.createDocumentFragment();
    const h = document.createElement('tr');
    // a heading written '<name' is left-aligned, like its text column
    head.forEach(x => { const th = document.createElement('th'); const left = x.startsWith('<'); th.textContent = left ? x.substring(1) : x; if (left) th.className = 'l'; h.appendChild(th); });
    frag.appendChild(h);
    if (rows.length === 0) {
      const r = document.createElement('tr');
      const c = td(emptyText || 'none', 'empty');
      c.colSpan = head.length;
      r.appendChild(c);
      frag.appendChild(r);
    }
    rows.forEach(row => { const r = document.createElement('tr'); cells(row).forEach(c => r.appendChild(c)); frag.appendChild(r); });
    t.replaceChildren(frag);
  }

  const NS = 'http://www.w3.org/2000/svg';
  function svgEl(name, attrs, parent, text) {
    const e = document.createElementNS(NS, name);
    Object.keys(attrs).forEach(k => e.setAttribute(k, attrs[k]));
    if (text !== undefined) e.textContent = text;
    if (parent) parent.appendChild(e);
    return e;
  }
  // equity of the UTC day with the day-start line and the latest trades as markers; today's PnL on the right axis
  function equityChart(s) {
    const box = $('equity-chart');
    const pts = (s.equityToday || []).map(p => ({t: p.timeMs, e: num(p.equity), d: num(p.todayPnl)}));
    if (pts.length < 2) { box.textContent = 'no equity history today yet'; return; }
    const W = Math.max(280, box.clientWidth), H = 170, L = 64, R = 58, T = 10, B = 22;
    const base = num(s.dayStartEquity);
    let lo = Math.min(base, ...pts.map(p => p.e)), hi = Math.max(base, ...pts.map(p => p.e));
    const pad = Math.max((hi - lo) * 0.1, Math.abs(base) * 2e-5, 0.01);
    lo -= pad; hi += pad;
    const t0 = pts[0].t, t1 = Math.max(t0 + 60000, pts[pts.length - 1].t);
    const x = t => L + (W - L - R) * (t - t0) / (t1 - t0);
    const y = v => T + (H - T - B) * (1 - (v - lo) / (hi - lo));
    const svg = svgEl('svg', {width: W, height: H, viewBox: '0 0 ' + W + ' ' + H});
    const raw = (hi - lo) / 4, mag = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(v => v >= raw);
    const dec = step < 1 ? Math.min(4, Math.ceil(-Math.log10(step))) : 0;
    for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) {
      svgEl('line', {x1: L, x2: W - R, y1: y(v), y2: y(v), class: 'grid'}, svg);
      svgEl('text', {x: L - 5, y: y(v) + 4, 'text-anchor': 'end', class: 'tick'}, svg,
        v.toLocaleString('en-US', {minimumFractionDigits: dec, maximumFractionDigits: dec}));
      const d = v - base;
      svgEl('text', {x: W - R + 5, y: y(v) + 4, class: 'tick'}, svg, (d > 0 ? '+' : '') +
        d.toLocaleString('en-US', {minimumFractionDigits: dec, maximumFractionDigits: dec}));
    }
    const hour = 3600000, hstep = [1, 2, 3, 4, 6].map(h => h * hour).find(h => (t1 - t0) / h <= Math.max(3, (W - L - R) / 80)) || 6 * hour;
    for (let t = Math.ceil(t0 / hstep) * hstep; t <= t1; t += hstep) {
      svgEl('text', {x: x(t), y: H - 6, 'text-anchor': 'middle', class: 'tick'}, svg, new Date(t).toISOString().substring(11, 16));
    }
    svgEl('line', {x1: L, x2: W - R, y1: y(base), y2: y(base), class: 'daystart'}, svg);
    svgEl('path', {d: pts.map((p, i) => (i ? 'L' : 'M') + x(p.t).toFixed(1) + ',' + y(p.e).toFixed(1)).join(''), class: 'equity'}, svg);
    const eqAt = t => { let e = pts[0].e; for (const p of pts) { if (p.t > t) break; e = p.e; } return e; };
    (s.latestTrades || []).forEach(tr => {
      if (tr.timeMs < t0 || tr.timeMs > t1) return;
      const px = x(tr.timeMs), py = y(eqAt(tr.timeMs));
      const g = svgEl('g', {class: 'mark ' + tr.side + (tr.side === 'SELL' ? (num(tr.realizedPnl) >= 0 ? ' win' : ' loss') : '')}, svg);
      svgEl('path', {d: tr.side === 'BUY' ? `M${px},${py + 2}l-4,7h8z` : `M${px},${py - 2}l-4,-7h8z`}, g);
      svgEl('title', {}, g, tr.side + ' ' + tr.symbol + ' ' + money(tr.quoteQty) + ' USDT at ' + price(tr.price) + ', ' + utc(tr.timeMs)
        + (tr.side === 'SELL' ? ' · realised ' + money(tr.realizedPnl) : ''));
    });
    box.replaceChildren(svg);
  }
  const left = ms => { const m = Math.max(0, Math.round(ms / 60000)); return m < 60 ? m + ' min' : Math.floor(m / 60) + ' h ' + String(m % 60).padStart(2, '0') + ' min'; };

  let lastOk = 0;
  let controlEnabled = true;
  function render(s) {
    set('mode', s.mode, 'badge' + (s.mode === 'live' ? ' live' : ''));
    // a banner nobody can mistake: LIVE in red (real money), TESTNET and PAPER plainly named
    const banners = {live: 'LIVE — trading real money on Binance', testnet: 'TESTNET — Binance spot testnet, no real money',
      paper: 'PAPER — live prices, simulated fills, no real money', replay: 'REPLAY — recorded data, simulated fills'};
    set('mode-banner', banners[s.mode] || s.mode, 'mode-banner ' + s.mode);
    const v = s.venue;
    $('venue-row').className = 'row' + (v || (s.balances || []).length ? '' : ' hidden');
    if (v) {
      set('venue-name', v.venue + ' (' + v.mode + ')');
      set('venue-rest', v.restUrl);
      set('venue-weight', v.restWeightUsed + ' / ' + (v.restWeightLimit || '?') + ' per minute');
      bar($('weight-bar'), v.restWeightLimit ? 100 * v.restWeightUsed / v.restWeightLimit : 0);
      set('venue-pairs', (v.symbols || []).length + ': ' + (v.symbols || []).join(' '));
      set('venue-backfills', v.backfills + ' (' + v.backfilledMinutes + ' minutes filled over REST'
          + (v.eventsDroppedWhileBackfilling > 0 ? '; ' + v.eventsDroppedWhileBackfilling
             + ' trades/quotes dropped while a backfill held their pair' : '') + ')');
    }
    table('connections-table', ['#', 'state', 'last message', 'messages', 'reconnects', 'malformed', '<last reconnect'],
      (v && v.connections) || [], c => [td(String(c.connection)), td(c.connected ? 'connected' : 'down', c.connected ? '' : 'stale'),
        td(c.lastMessageAgeSeconds < 0 ? 'never' : ago(c.lastMessageAgeSeconds), c.lastMessageAgeSeconds > STALE_STREAM_S ? 'stale' : ''),
        td(Number(c.messages).toLocaleString('en-US')), td(String(c.reconnects)), td(String(c.malformed)),
        td(c.lastReconnectReason || '', 'l')], 'no stream connections');
    table('balances-table', ['<asset', 'free', 'locked'], s.balances || [],
      b => [td(b.asset, 'l'), td(qty(b.free)), td(qty(b.locked))], 'no balances');
    table('orders-table', ['<symbol', 'side', 'status', 'qty', 'filled', '<client order id'], s.openOrders || [],
      o => [td(o.symbol, 'l'), td(o.side, o.side), td(o.status), td(qty(o.origQty)), td(qty(o.executedQty)),
        td(o.clientOrderId, 'l')], 'no open orders');
    set('phase', s.phase + (s.phase === 'trading' && s.progress > 0 && s.progress < 1 ? ' · ' + (100 * s.progress).toFixed(1) + '%' : ''));
    set('clock', utc(s.clockMs));
    set('version', 'Aquatrade ' + (s.version || ''));

    set('kill-state', s.killSwitch, 'state ' + s.killSwitch);
    $('kill-card').className = 'card kill state-' + s.killSwitch;
    const meaning = {ACTIVE: 'trading normally', REDUCING: 'exits only, no new entries', HALTED: 'no orders at all'}[s.killSwitch] || '';
    set('kill-meaning', meaning + (s.killSwitchCause ? ' · ' + s.killSwitchCause : ''));
    set('halt-reason', s.entriesHalted ? 'Entries halted today: ' + (s.haltReason || '') : '');

    set('equity', money(s.equity));
    set('start-quote', money(s.startQuote));
    const ret = pct(num(s.equity) - num(s.startQuote), s.startQuote);
    set('return-pct', (ret >= 0 ? '+' : '') + ret.toFixed(2) + '%', signed(ret));
    set('cash', money(s.cash));
    set('deployable', money(s.deployable));

    set('today-pnl', money(s.todayPnl), signed(s.todayPnl));
    set('daily-loss-limit', '-' + money(s.maxDailyLoss));
    const lossUsed = num(s.todayPnl) < 0 ? pct(-num(s.todayPnl), s.maxDailyLoss) : 0;
    set('loss-used', lossUsed.toFixed(0) + '%');
    bar($('loss-bar'), lossUsed);
    set('realized-pnl', money(s.realizedPnl), signed(s.realizedPnl));
    set('unrealized-pnl', money(s.unrealizedPnl), signed(s.unrealizedPnl));
    set('fees', money(s.fees));

    set('exposure', money(s.exposure));
    set('exposure-cap', money(s.maxTotalExposure));
    bar($('exposure-bar'), pct(s.exposure, s.maxTotalExposure));
    set('open-positions', String(s.openPositions));
    set('open-positions-cap', String(s.maxOpenPositions));
    set('trades-minute', String(s.tradesLastMinute));
    set('trades-minute-cap', String(s.maxTradesPerMinute));
    set('trades-today', String(s.tradesToday));
    set('trades-day-cap', String(s.maxTradesPerDay));

    set('symbol-cap', money(s.maxSymbolExposure));
    set('position-cap', money(s.maxPositionQuote));
    const exp = Object.entries(s.exposureBySymbol || {}).sort((a, b) => num(b[1]) - num(a[1]) || a[0].localeCompare(b[0]));
    table('exposure-table', ['symbol', 'exposure', 'of cap', ''], exp, ([sym, e]) => {
      const b = document.createElement('div'); b.className = 'bar';
      const i = document.createElement('span'); b.appendChild(i); bar(i, pct(e, s.maxSymbolExposure));
      return [td(sym), td(money(e)), td(pct(e, s.maxSymbolExposure).toFixed(0) + '%'), td(b)];
    }, 'no symbols yet');

    table('positions-table', ['symbol', 'qty', 'entry', 'last', 'cost', 'unrealised', 'stop', 'target', '<protection', '<reason'],
      s.positions || [], p => [td(p.symbol), td(qty(p.qty)), td(price(p.avgEntryPrice)), td(price(p.lastPrice)),
        td(money(p.costQuote)), td(money(p.unrealizedPnl), signed(p.unrealizedPnl)), td(price(p.stopPrice)),
        td(price(p.takeProfitPrice)), td(p.protection || 'local', 'l protection'), td(p.entryReason || '', 'l reason')],
      'no open positions');

    table('trades-table', ['time (UTC)', '<symbol', 'side', 'price', 'qty', 'quote', 'realised', '<reason', '<order id'],
      (s.latestTrades || []).slice(0, 20), t => [td(utc(t.timeMs).substring(5)), td(t.symbol, 'l'), td(t.side, t.side), td(price(t.price)),
        td(qty(t.qty)), td(money(t.quoteQty)), t.side === 'SELL' ? td(money(t.realizedPnl), signed(t.realizedPnl)) : td(''),
        td(t.reason || '', 'l reason'), td(t.clientOrderId || '', 'l id')], 'no trades yet');

    table('pauses-table', ['<symbol', '<kind', 'until (UTC)', 'left', '<cause'], s.pauses || [],
      p => [td(p.symbol, 'l'), td(p.kind, 'l ' + (p.kind === 'stale feed' ? 'warn-text' : '')), td(p.untilMs ? utc(p.untilMs).substring(5, 16) : 'feed good again'),
        td(p.untilMs ? left(p.untilMs - s.clockMs) : ''), td(p.cause + ' (' + p.source + ')', 'l reason')], 'none paused');
    equityChart(s);

    // a replay that has finished sends no more messages: that is the end of its data, not a stale feed
    const ended = s.phase === 'finished';
    table('streams-table', ['stream', 'last message', 'messages', 'reconnects'], s.streams || [],
      r => [td(r.stream), td(r.lastMessageWallMs ? (ended ? 'replay finished' : ago(r.ageSeconds)) : 'never',
        !ended && r.ageSeconds > STALE_STREAM_S ? 'stale' : ''),
        td(Number(r.messages).toLocaleString('en-US')), td(String(r.reconnects))], 'no streams');
    $('exchange-ban').className = s.exchangeBanned ? 'alert' : 'alert hidden';
    // reconciliation with the exchange at start: a failure means no trading, and says why
    const rec = s.reconciliation || {};
    const recFindings = rec.findings || [];
    $('reconciliation').className = rec.state === 'failed' || recFindings.length ? 'alert' : 'alert hidden';
    set('reconciliation', rec.state === 'failed' ? 'Not trading: ' + (rec.failure || 'reconciliation failed')
      : recFindings.length ? 'Reconciled at start, ' + recFindings.length + ' disagreement(s): ' + recFindings.join(' · ') : '');

    // a fill the journal could not write: applied, retried, and new entries pause until it is written
    const journal = s.journal || {};
    $('journal-failing').className = journal.failing ? 'alert' : 'alert hidden';
    set('journal-failing', journal.failing ? 'New entries paused, ' + journal.unwrittenFills
      + ' fill(s) not yet journaled (' + journal.writeFailures + ' failed write(s)): ' + journal.failing : '');

    const rules = s.rules || {};
    set('rules-version', rules.version || s.rulesVersion || '–');
    set('rules-count', rules.files ? rules.ruleCount + ' rules in ' + rules.files.length + ' files' : '–');
    set('rules-compiled', rules.compiledAtMs ? utc(rules.compiledAtMs) : '–');
    set('rules-last-reload', rules.lastReloadAtMs ? rules.lastReloadResult + ' at ' + utc(rules.lastReloadAtMs) : 'none yet');
    const err = $('rules-error');
    err.textContent = rules.lastReloadError ? 'Last reload rejected:\n' + rules.lastReloadError : '';
    err.className = rules.lastReloadError ? 'alert' : 'alert hidden';

    table('refusals-table', ['reason', 'count'], Object.entries(s.refusals || {}).sort((a, b) => b[1] - a[1]),
      ([r, n]) => [td(r), td(String(n))], 'none');

    // without a control token the API refuses every change: say so, and do not offer buttons that cannot work
    controlEnabled = s.controlEnabled !== false;
    const why = $('control-disabled');
    why.textContent = controlEnabled ? '' : 'Buttons disabled: ' + (s.controlDisabledReason || 'the control API is disabled');
    why.className = controlEnabled ? 'note warn-text hidden' : 'note warn-text';
    ['btn-reduce', 'btn-halt', 'btn-resume', 'btn-reload'].forEach(id => {
      const b = $(id);
      if (!b.dataset.busy) b.disabled = !controlEnabled;
      b.title = controlEnabled ? (b.dataset.help || b.title) : (s.controlDisabledReason || 'control API disabled');
    });
    $('token').disabled = !controlEnabled;
  }

  async function refresh() {
    try {
      const r = await fetch('/api/status', {cache: 'no-store'});
      if (!r.ok) throw new Error('HTTP ' + r.status);
      render(await r.json());
      lastOk = Date.now();
      // the page's connection to the bot, not the trading mode (that is the badge)
      set('updated', 'page connected', 'conn ok');
    } catch (e) {
      set('updated', 'no answer from the bot' + (lastOk ? ' since ' + ago((Date.now() - lastOk) / 1000) : '') + ' (' + e.message + ')', 'stale');
    }
  }

  async function control(path, body, okText) {
    const msg = $('control-msg');
    const token = $('token').value.trim();
    const buttons = document.querySelectorAll('button');
    buttons.forEach(b => { b.disabled = true; b.dataset.busy = '1'; });
    try {
      const headers = {'content-type': 'application/json'};
      if (token) headers.authorization = 'Bearer ' + token;
      const r = await fetch(path, {method: 'POST', headers, body: JSON.stringify(body), cache: 'no-store'});
      const answer = await r.json().catch(() => ({}));
      if (r.ok) {
        msg.textContent = okText(answer);
        msg.className = 'msg ok';
      } else {
        msg.textContent = 'Refused (' + r.status + '): ' + (answer.error || (answer.errors || []).join('; ') || r.statusText);
        msg.className = 'msg err';
      }
    } catch (e) {
      msg.textContent = 'Failed: ' + e.message;
      msg.className = 'msg err';
    } finally {
      buttons.forEach(b => { delete b.dataset.busy; b.disabled = !controlEnabled; });
      refresh();
    }
  }
  const reason = () => $('kill-reason').value.trim();
  document.querySelectorAll('button').forEach(b => { b.dataset.help = b.title; });
  $('btn-halt').addEventListener('click', () => control('/api/kill', {level: 'HALTED', reason: reason()}, a => 'Kill switch is now ' + a.killSwitch));
  $('btn-reduce').addEventListener('click', () => control('/api/kill', {level: 'REDUCING', reason: reason()}, a => 'Kill switch is now ' + a.killSwitch));
  $('btn-resume').addEventListener('click', () => control('/api/resume', {reason: reason()}, a => 'Kill switch is now ' + a.killSwitch));
  $('btn-reload').addEventListener('click', () => control('/api/rules/reload', {}, a => 'Rules reload: ' + a.result + ', active ' + a.version));

  refresh();
  setInterval(refresh, 1000);
})();
