// A self-contained HTML page (no network: Chart.js is inlined) of one simulated world run once per
// controller: the figures side by side, then dials, utilization, latency and changes of one controller,
// chosen with a <select> (the last controller, the main one, first).

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { buildSimulationPageModel, type SimulationPageModel } from './simulation-page-model.js';
import type { SimulationControllerRun, SimulationRunReport } from './simulation-report-data.js';

/** Okabe-Ito colours without yellow (too pale on white): distinguishable with common colour-vision deficiencies. */
const PALETTE = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9', '#000000', '#999999'];

/** The charts drawn for the selected controller, by canvas id. */
export const SIMULATION_CHART_IDS = ['dials', 'utilization', 'latency'] as const;

let chartJsSource: string | undefined;

function loadChartJs(): string {
  // The UMD build is not in the package's exports map: find it beside the main entry.
  chartJsSource ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJsSource;
}

export function renderSimulationReport(run: SimulationRunReport): string {
  const model = buildSimulationPageModel(run);
  const main = model.mainIndex;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(run.title)} (${escapeHtml(run.scenario.name)})</title>
<style>
  body { font: 14px/1.45 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #1a1a1a; }
  h1 { font-size: 22px; margin-bottom: 4px; } h2 { margin-top: 32px; } h3 { margin: 20px 0 4px; font-size: 16px; }
  .sub, .meta, figcaption { color: #555; } .meta { font-size: 13px; }
  .chart { position: relative; height: 320px; }
  figure { margin: 0 0 24px; }
  table { border-collapse: collapse; margin: 12px 0; }
  caption { text-align: left; font-weight: 600; padding: 4px 0; }
  th, td { border: 1px solid #bbb; padding: 4px 8px; text-align: right; vertical-align: top; }
  th:first-child, td:first-child, .text { text-align: left; } thead th { background: #f0f0f0; }
  tr.main th { background: #e6f0f8; }
  .picker { display: flex; gap: 8px; align-items: center; font-size: 15px; }
  select { font: inherit; padding: 2px 4px; }
  ol.events li::marker { font-weight: 600; }
</style>
</head>
<body data-chart-count="0" data-rendered="false">
<header>
<h1>${escapeHtml(run.title)}</h1>
<p class="sub">Scenario <strong>${escapeHtml(run.scenario.name)}</strong>: ${escapeHtml(run.scenario.description)}</p>
<p class="meta">Seed ${escapeHtml(String(run.seed))}, one step every ${escapeHtml(String(run.stepSeconds))} s, simulated start ${escapeHtml(model.startIso)}; generated ${escapeHtml(run.generatedAt)}.</p>
</header>
<main>
<section aria-labelledby="h-summary">
<h2 id="h-summary">Summary</h2>
${summaryTable(run.controllers, main)}
${regionsTable(model)}
</section>
<section aria-labelledby="h-events">
<h2 id="h-events">Scenario events</h2>
${eventsList(model)}
</section>
<section aria-labelledby="h-run">
<h2 id="h-run">One controller's run</h2>
<p class="picker"><label for="controller">Controller shown:</label>
<select id="controller">${run.controllers
    .map((c, i) => `<option value="${i}"${i === main ? ' selected' : ''}>${escapeHtml(c.name)}</option>`)
    .join('')}</select></p>
<p id="shown" aria-live="polite">Showing <strong>${escapeHtml(run.controllers[main]?.name ?? '')}</strong>.</p>
<figure>
<h3 id="h-dials">Traffic dial per Region</h3>
<div class="chart"><canvas id="dials" role="img" aria-labelledby="h-dials"></canvas></div>
<figcaption>Dial (% of the Region's traffic kept) after each step; dashed verticals are the scenario events.</figcaption>
</figure>
<figure>
<h3 id="h-utilization">Utilization per Region against capacity and target</h3>
<div class="chart"><canvas id="utilization" role="img" aria-labelledby="h-utilization"></canvas></div>
<figcaption>Solid: utilization in % of capacity. Dashed: the targets (grey when several Regions share one). Dotted black: capacity (100 %).</figcaption>
</figure>
<figure>
<h3 id="h-latency">Demand-weighted latency and its bounds</h3>
<div class="chart"><canvas id="latency" role="img" aria-labelledby="h-latency"></canvas></div>
<figcaption>Mean and p95 RTT over all users; dashed: the LP lower bound on the mean under capacity, and the best mean reachable with dials alone when known.</figcaption>
</figure>
<h3>Changes and their reasons</h3>
${run.controllers.map((c, i) => changesTable(c, i, i !== main, model)).join('\n')}
</section>
</main>
<script type="application/json" id="run-data">${jsonForScript(model)}</script>
<script>${loadChartJs()}</script>
<script>${PAGE_SCRIPT.replace('__PALETTE__', JSON.stringify(PALETTE)).replace('__CHART_IDS__', JSON.stringify(SIMULATION_CHART_IDS))}</script>
</body>
</html>
`;
}

function summaryTable(controllers: readonly SimulationControllerRun[], main: number): string {
  const head = [
    'Controller',
    'Region-minutes over capacity',
    'Mean latency (ms)',
    'p95 latency (ms)',
    'Mean / LP bound',
    'Changes',
    'Time to relieve (min)',
    'Oscillations',
  ];
  const rows = controllers.map((c, i) => {
    const f = c.figures;
    const cells = [
      fixed(f.regionMinutesOverCapacity, 1),
      fixed(f.meanLatencyMs, 1),
      fixed(f.p95LatencyMs, 1),
      fixed(f.ratioToLp, 3),
      fixed(f.changes, 0),
      fixed(f.timeToRelieveMinutes, 1),
      fixed(f.oscillations, 0),
    ];
    const name = escapeHtml(c.name) + (i === main ? ' <span class="tag">(main)</span>' : '');
    return `<tr${i === main ? ' class="main"' : ''} data-controller="${escapeHtml(c.name)}"><th scope="row">${name}</th>${cells.map((v) => `<td>${v}</td>`).join('')}</tr>`;
  });
  return `<table id="summary">
<caption>Figures per controller on the same simulated world (&mdash;: does not apply or never reached)</caption>
<thead><tr>${head.map((h) => `<th scope="col">${h}</th>`).join('')}</tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function regionsTable(model: SimulationPageModel): string {
  const rows = model.regions.map(
    (r) => `<tr><th scope="row">${escapeHtml(r.code)}</th><td>${fixed(r.capacity, 0)}</td><td>${fixed(r.targetPercent, 0)}</td></tr>`,
  );
  return `<table id="regions">
<caption>Regions of the simulated service</caption>
<thead><tr><th scope="col">Region</th><th scope="col">Capacity (active flows at 100 %)</th><th scope="col">Target (% of capacity)</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>`;
}

function eventsList(model: SimulationPageModel): string {
  if (model.events.length === 0) return '<p>No scenario events.</p>';
  // Numbered: the charts mark each event with its number.
  return `<ol class="events" id="events">${model.events
    .map((e) => `<li><time datetime="${escapeHtml(e.t)}">${escapeHtml(minuteLabel(e.minute))}</time>: ${escapeHtml(e.label)}</li>`)
    .join('')}</ol>`;
}

function changesTable(c: SimulationControllerRun, index: number, hidden: boolean, model: SimulationPageModel): string {
  const changes = model.controllers[index]?.changes ?? [];
  const rows = changes.map((ch) => {
    const unit = ch.kind === 'dial' ? ' %' : '';
    return `<tr><td><time datetime="${escapeHtml(ch.t)}">${escapeHtml(minuteLabel(ch.minute))}</time></td><td class="text">${escapeHtml(ch.region)}</td><td class="text">${ch.kind === 'dial' ? 'traffic dial' : 'endpoint weights'}</td><td>${fixed(ch.before, 0)}${unit}</td><td>${fixed(ch.after, 0)}${unit}</td><td class="text">${escapeHtml(ch.reason)}</td></tr>`;
  });
  const body = rows.length > 0 ? rows.join('\n') : '<tr><td colspan="6" class="text">No change made.</td></tr>';
  return `<table class="changes" data-changes-for="${index}"${hidden ? ' hidden' : ''}>
<caption>Changes made by ${escapeHtml(c.name)} (${changes.length})</caption>
<thead><tr><th scope="col">When</th><th scope="col" class="text">Region</th><th scope="col" class="text">What</th><th scope="col">Before</th><th scope="col">After</th><th scope="col" class="text">Reason</th></tr></thead>
<tbody>
${body}
</tbody></table>`;
}

function minuteLabel(minute: number): string {
  return `minute ${Number.isInteger(minute) ? minute : minute.toFixed(1)}`;
}

function fixed(v: number | null, digits: number): string {
  return v === null || !Number.isFinite(v) ? '&mdash;' : v.toFixed(digits);
}

/** JSON inside a script element: `<`, `>` and `&` escaped so no text can close the element or open a comment. */
export function jsonForScript(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, '\\u003c')
    .replace(/>/g, '\\u003e')
    .replace(/&/g, '\\u0026')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

// Runs in the page. Plain ES2020; reads the model from #run-data, never from HTML.
const PAGE_SCRIPT = String.raw`
'use strict';
const M = JSON.parse(document.getElementById('run-data').textContent);
const P = __PALETTE__;
const IDS = __CHART_IDS__;
const start = Date.parse(M.startIso);
const clock = (m) => new Date(start + m * 60000).toISOString().slice(11, 16) + 'Z';
const minuteText = (m) => 'minute ' + (Number.isInteger(m) ? m : m.toFixed(1));
const charts = {};
let pending = new Set();

// Scenario events as dashed verticals numbered like the list of events.
const eventMarkers = {
  id: 'eventMarkers',
  afterDatasetsDraw(chart) {
    const { ctx, chartArea: a, scales: { x } } = chart;
    ctx.save();
    ctx.strokeStyle = '#444';
    ctx.fillStyle = '#222';
    ctx.lineWidth = 1;
    ctx.setLineDash([3, 3]);
    ctx.font = '11px system-ui, sans-serif';
    M.events.forEach((e, i) => {
      if (e.minute < x.min || e.minute > x.max) return;
      const px = x.getPixelForValue(e.minute);
      ctx.beginPath();
      ctx.moveTo(px, a.top);
      ctx.lineTo(px, a.bottom);
      ctx.stroke();
      ctx.fillText(String(i + 1), px + 3, a.top + 11);
    });
    ctx.restore();
  },
};

// body[data-rendered] turns true once every chart of the selected controller has drawn.
const renderedMark = {
  id: 'renderedMark',
  afterRender(chart) {
    pending.delete(chart.canvas.id);
    if (pending.size === 0) document.body.dataset.rendered = 'true';
  },
};

function points(minutes, values) {
  return minutes.map((m, i) => ({ x: m, y: values[i] === undefined ? null : values[i] }));
}

function chart(id, datasets, yTitle, yMax, minutes) {
  return new Chart(document.getElementById(id), {
    type: 'line',
    data: { datasets },
    plugins: [eventMarkers, renderedMark],
    options: {
      animation: false,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', axis: 'x', intersect: false },
      elements: { point: { radius: 0, hitRadius: 4 }, line: { borderWidth: 2 } },
      plugins: { legend: { labels: { boxWidth: 28, boxHeight: 8 } }, tooltip: { callbacks: { title: (items) => items.length ? minuteText(items[0].parsed.x) + ' (' + clock(items[0].parsed.x) + ')' : '' } } },
      scales: {
        x: { type: 'linear', min: minutes[0], max: minutes[minutes.length - 1],
             title: { display: true, text: 'minutes since ' + M.startIso } },
        y: { beginAtZero: true, suggestedMax: yMax, title: { display: true, text: yTitle } },
      },
    },
  });
}

// Dashed lines get no fill colour: the legend then draws their box outline dashed.
// One dashed line per distinct target: in the Region's colour when it is the only one with that target,
// grey and naming the Regions when several share it (equal lines would hide each other).
function targetLines(x) {
  const byValue = new Map();
  M.regions.forEach((r, i) => {
    if (r.targetPercent === null) return;
    if (!byValue.has(r.targetPercent)) byValue.set(r.targetPercent, []);
    byValue.get(r.targetPercent).push(i);
  });
  return [...byValue].map(([value, members]) => {
    const shared = members.length > 1;
    const c = shared ? '#666' : P[members[0] % P.length];
    const label = (shared ? 'target of ' + members.map((i) => M.regions[i].code).join(', ') : M.regions[members[0]].code + ' target') + ' (' + value + ' %)';
    return { label, data: x.map((m) => ({ x: m, y: value })), borderColor: c, backgroundColor: 'transparent', borderDash: [6, 4], borderWidth: 1.5 };
  });
}

function render(index) {
  const c = M.controllers[index];
  document.body.dataset.rendered = 'false';
  for (const id of Object.keys(charts)) { charts[id].destroy(); delete charts[id]; }
  pending = new Set(IDS);
  const x = c.minutes;
  const colour = (i) => P[i % P.length];
  charts.dials = chart('dials', M.regions.map((r, i) => ({
    label: r.code, data: points(x, c.dials[r.code]), borderColor: colour(i), backgroundColor: colour(i), stepped: true,
  })), 'traffic dial (%)', 100, x);
  charts.utilization = chart('utilization', [
    ...M.regions.map((r, i) => ({ label: r.code, data: points(x, c.utilization[r.code]), borderColor: colour(i), backgroundColor: colour(i) })),
    ...targetLines(x),
    { label: 'capacity (100 %)', data: x.map((m) => ({ x: m, y: 100 })), borderColor: '#000', backgroundColor: 'transparent', borderDash: [2, 3], borderWidth: 1 },
  ], 'utilization (% of capacity)', 110, x);
  charts.latency = chart('latency', [
    { label: 'mean', data: points(x, c.meanMs), borderColor: '#0072B2', backgroundColor: '#0072B2' },
    { label: 'p95', data: points(x, c.p95Ms), borderColor: '#D55E00', backgroundColor: '#D55E00' },
    ...(c.lpBoundMs ? [{ label: 'LP bound (mean)', data: points(x, c.lpBoundMs), borderColor: '#000', backgroundColor: 'transparent', borderDash: [6, 4], borderWidth: 1.5 }] : []),
    ...(c.bestDialMs ? [{ label: 'best dials (mean)', data: points(x, c.bestDialMs), borderColor: '#009E73', backgroundColor: 'transparent', borderDash: [2, 3], borderWidth: 1.5 }] : []),
  ], 'demand-weighted RTT (ms)', undefined, x);
  for (const t of document.querySelectorAll('table.changes')) t.hidden = t.dataset.changesFor !== String(index);
  document.getElementById('shown').replaceChildren('Showing ', Object.assign(document.createElement('strong'), { textContent: c.name }), '.');
  document.body.dataset.controller = c.name;
  document.body.dataset.chartCount = String(Object.keys(charts).length);
}

const select = document.getElementById('controller');
select.addEventListener('change', () => render(Number(select.value)));
render(Number(select.value));
`;
