import { describe, expect, it } from 'vitest';
import { buildSimulationPageModel } from '../../src/report/simulation-page-model.js';
import { SimulationReportError } from '../../src/report/simulation-report-data.js';
import { renderSimulationReport } from '../../src/report/simulation-report.js';
import { syntheticSimulationRun } from '../support/simulation-run.js';

const HOSTILE = '</script><script>alert(1)</script><!--';

function embeddedJson(html: string): string {
  const m = /<script type="application\/json" id="run-data">([\s\S]*?)<\/script>/.exec(html);
  if (!m?.[1]) throw new Error('no run-data script in the page');
  return m[1];
}

// Not toContain: a failure would print the whole page, Chart.js included.
function expectIn(html: string, text: string): void {
  expect(html.includes(text), text).toBe(true);
}

describe('renderSimulationReport', () => {
  it('has one summary row per controller with its figures, the last one marked main and selected', () => {
    // Act
    const html = renderSimulationReport(syntheticSimulationRun());
    // Assess
    const rows = [...html.matchAll(/<tr[^>]*data-controller="([^"]+)"[^>]*>(.*?)<\/tr>/g)];
    expect(rows.map((r) => r[1])).toEqual(['none', 'ga-steer']);
    const cells = (row: string) => [...row.matchAll(/<td>(.*?)<\/td>/g)].map((c) => c[1]);
    expect(cells(rows[0]?.[2] ?? '')).toEqual(['40.0', '42.0', '111.7', '1.380', '0', '&mdash;', '0']);
    expect(cells(rows[1]?.[2] ?? '')).toEqual(['2.0', '31.6', '58.2', '1.040', '1', '2.0', '0']);
    expect(rows[1]?.[0]).toContain('class="main"');
    expectIn(html, '<option value="1" selected>ga-steer</option>');
    expectIn(html, '<caption>Figures per controller');
    expectIn(html, 'utilization 112 % over target 75 % (DialReduced)');
    // Only the main controller's changes are visible at first.
    expectIn(html, '<table class="changes" data-changes-for="0" hidden>');
    expectIn(html, '<table class="changes" data-changes-for="1">');
  });

  it('escapes HTML in every name and text it prints', () => {
    // Prepare
    const run = syntheticSimulationRun();
    const hostile = syntheticSimulationRun({
      title: `Run ${HOSTILE}`,
      scenario: { name: '<script>alert("s")</script>', description: '<img src=x onerror=alert(2)>' },
      controllers: run.controllers.map((c) => ({
        ...c,
        name: `<b>${c.name}</b>`,
        changes: c.changes.map((ch) => ({ ...ch, reason: `<i>${ch.reason}</i>`, region: '<u>r</u>' })),
      })),
      events: [{ t: '2025-03-04T12:20:00Z', label: '<em onclick="x()">crowd</em>' }],
    });
    // Act
    const html = renderSimulationReport(hostile);
    // Assess: three script elements (data, Chart.js, page) and no markup from the run.
    expect(html.match(/<script/gi)?.length).toBe(3);
    for (const tag of ['<b>', '<i>', '<u>', '<em', '<img', '<!--']) expect(html.includes(tag), tag).toBe(false);
    expectIn(html, '&lt;script&gt;alert(&quot;s&quot;)&lt;/script&gt;');
    expectIn(html, '&lt;b&gt;ga-steer&lt;/b&gt; <span class="tag">(main)</span>');
    expectIn(html, '&lt;em onclick=&quot;x()&quot;&gt;crowd&lt;/em&gt;');
  });

  it('embeds the data as JSON that cannot break out of its script element and parses back', () => {
    // Prepare
    const run = syntheticSimulationRun({
      title: HOSTILE,
      events: [{ t: '2025-03-04T12:20:00Z', label: `${HOSTILE} & \u2028 end` }],
    });
    // Act
    const json = embeddedJson(renderSimulationReport(run));
    // Assess
    expect(json).not.toMatch(/<\/script/i);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    const model = JSON.parse(json) as ReturnType<typeof buildSimulationPageModel>;
    expect(model.events[0]?.label).toBe(`${HOSTILE} & \u2028 end`);
    expect(model).toEqual(JSON.parse(JSON.stringify(buildSimulationPageModel(run))));
  });

  it('refuses a run with no controller or with a time that does not parse', () => {
    expect(() => renderSimulationReport(syntheticSimulationRun({ controllers: [] }))).toThrow(SimulationReportError);
    const run = syntheticSimulationRun({ events: [{ t: 'minute 20', label: 'crowd' }] });
    expect(() => renderSimulationReport(run)).toThrow(/events\[0\]\.t: not an ISO-8601 time/);
  });
});

describe('buildSimulationPageModel', () => {
  it('puts times on minutes since the first step and keeps absent bounds absent', () => {
    // Act
    const model = buildSimulationPageModel(syntheticSimulationRun());
    // Assess
    expect(model.startIso).toBe('2025-03-04T12:00:00Z');
    expect(model.mainIndex).toBe(1);
    expect(model.events.map((e) => e.minute)).toEqual([20, 45]);
    const [none, steer] = model.controllers;
    expect(none?.minutes.slice(0, 3)).toEqual([0, 1, 2]);
    expect(none?.bestDialMs).toBeNull();
    expect(steer?.bestDialMs?.[30]).toBe(32.5);
    expect(steer?.dials['eu-central-1']?.slice(20, 24)).toEqual([100, 100, 70, 70]);
    expect(steer?.changes[0]?.minute).toBe(22);
  });

  it('adds Regions only the series mention, without a target, and leaves gaps as null', () => {
    // Prepare
    const run = syntheticSimulationRun();
    const [first, ...rest] = run.controllers;
    if (!first) throw new Error('fixture has controllers');
    const series = first.series.map((s, i) => (i === 3 ? { ...s, dials: { ...s.dials, 'us-east-1': 50 }, meanLatencyMs: Number.NaN } : s));
    // Act
    const model = buildSimulationPageModel({ ...run, controllers: [{ ...first, series }, ...rest] });
    // Assess
    expect(model.regions.at(-1)).toEqual({ code: 'us-east-1', capacity: null, targetPercent: null });
    expect(model.controllers[0]?.dials['us-east-1']?.slice(2, 5)).toEqual([null, 50, null]);
    expect(model.controllers[0]?.meanMs[3]).toBeNull();
  });
});
