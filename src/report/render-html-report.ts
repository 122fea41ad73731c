// A self-contained HTML report (no network: Chart.js is inlined) of one closed-loop run.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { ReportSeries } from './report-data.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];

let chartJsSource: string | undefined;

function loadChartJs(): string {
  // The UMD build is not in the package's exports map: find it beside the main entry.
  chartJsSource ??= readFileSync(join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.min.js'), 'utf8');
  return chartJsSource;
}

export function renderHtmlReport(series: ReportSeries): string {
  const data = JSON.stringify(series).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(series.title)}</title>
<style>
  body { font: 14px/1.4 system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222; }
  h1 { font-size: 22px; margin-bottom: 4px; } .sub { color: #666; margin-top: 0; }
  .chart { position: relative; height: 300px; margin: 16px 0 32px; }
  table { border-collapse: collapse; margin: 12px 0; } th, td { border: 1px solid #ccc; padding: 4px 8px; text-align: right; }
  th:first-child, td:first-child { text-align: left; } th { background: #f4f4f4; }
  ol.events { color: #444; font-size: 13px; }
</style>
</head>
<body>
<h1>${escapeHtml(series.title)}</h1>
<p class="sub">${escapeHtml(series.subtitle)}</p>
<h2>Comparison</h2>
<table id="summary"><thead><tr>${series.table.columns.map((c) => `<th>${escapeHtml(c)}</th>`).join('')}</tr></thead>
<tbody>${series.table.rows.map((r) => `<tr>${r.map((v) => `<td>${escapeHtml(String(v))}</td>`).join('')}</tr>`).join('')}</tbody></table>
<h2>Traffic dials</h2><div class="chart"><canvas id="dials" data-chart="dials"></canvas></div>
<h2>Utilization against target</h2><div class="chart"><canvas id="utilization" data-chart="utilization"></canvas></div>
<h2>Mean latency and the LP bound</h2><div class="chart"><canvas id="latency" data-chart="latency"></canvas></div>
<h2>What ga-steer did</h2>
<ol class="events">${series.events.map((e) => `<li>minute ${e.minute}: ${escapeHtml(e.text)}</li>`).join('')}</ol>
<script>${loadChartJs()}</script>
<script>
const S = ${data};
const P = ${JSON.stringify(PALETTE)};
const x = S.minutes;
function line(id, datasets, yTitle, yMax) {
  return new Chart(document.getElementById(id), {
    type: 'line',
    data: { labels: x, datasets },
    options: { animation: false, maintainAspectRatio: false, interaction: { mode: 'index', intersect: false },
      elements: { point: { radius: 0 } },
      scales: { x: { title: { display: true, text: 'simulated minute' } }, y: { title: { display: true, text: yTitle }, beginAtZero: true, suggestedMax: yMax } } },
  });
}
line('dials', S.regions.map((r, i) => ({ label: r, data: S.dialPercent[r], borderColor: P[i % P.length], stepped: true })), 'traffic dial (%)', 100);
line('utilization', S.regions.flatMap((r, i) => [
  { label: r, data: S.utilizationPercent[r], borderColor: P[i % P.length] },
  { label: r + ' target', data: x.map(() => S.targetPercent[r]), borderColor: P[i % P.length], borderDash: [6, 4], borderWidth: 1 },
]), 'utilization (% of capacity)', 120);
line('latency', [
  ...S.latency.map((l, i) => ({ label: l.name, data: l.valuesMs, borderColor: P[i % P.length] })),
  ...(S.lpBoundMs ? [{ label: 'LP bound', data: S.lpBoundMs, borderColor: '#000', borderDash: [4, 4] }] : []),
], 'demand-weighted mean RTT (ms)');
document.body.dataset.rendered = 'true';
</script>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
