import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReportSeries } from '../../src/report/report-data.js';
import { renderHtmlReport } from '../../src/report/render-html-report.js';
import { launchChromium } from '../support/chromium.js';

const minutes = Array.from({ length: 60 }, (_, i) => i);
const SERIES: ReportSeries = {
  title: 'Flash crowd in eu-central-1',
  subtitle: 'policy crazycall-voip, seed 7',
  minutes,
  regions: ['eu-central-1', 'eu-west-1'],
  dialPercent: { 'eu-central-1': minutes.map((m) => (m < 20 ? 100 : 80)), 'eu-west-1': minutes.map(() => 100) },
  utilizationPercent: { 'eu-central-1': minutes.map((m) => (m < 20 ? 95 : 74)), 'eu-west-1': minutes.map((m) => (m < 20 ? 40 : 60)) },
  targetPercent: { 'eu-central-1': 75, 'eu-west-1': 75 },
  latency: [{ name: 'ga-steer', valuesMs: minutes.map((m) => (m < 20 ? 30 : 34)) }],
  lpBoundMs: minutes.map(() => 31),
  events: [{ minute: 20, text: 'eu-central-1 dial 100 -> 80 (DialReduced) <script>' }],
  table: { columns: ['controller', 'Region-minutes over capacity'], rows: [['ga-steer', 0]] },
};

describe('HTML report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every chart with data, and the table, without page errors', async () => {
    // Prepare
    const file = join(mkdtempSync(join(tmpdir(), 'ga-steer-report-')), 'report.html');
    writeFileSync(file, renderHtmlReport(SERIES));
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    // Act
    await page.goto(pathToFileURL(file).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    // Assess: each canvas has a Chart with data points, and drew non-blank pixels.
    // Runs in the page; a string keeps DOM types out of the Node type-check.
    const charts = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => {
      const chart = Chart.getChart(c);
      const pixels = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
      let painted = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i] > 0) painted++;
      return { id: c.id, datasets: chart ? chart.data.datasets.length : 0, points: chart ? chart.data.datasets[0].data.length : 0, painted };
    })`)) as { id: string; datasets: number; points: number; painted: number }[];
    expect(errors).toEqual([]);
    expect(charts.map((c) => c.id)).toEqual(['dials', 'utilization', 'latency']);
    for (const c of charts) {
      expect(c.datasets, c.id).toBeGreaterThan(0);
      expect(c.points, c.id).toBe(60);
      expect(c.painted, c.id).toBeGreaterThan(1000);
    }
    expect(await page.locator('#summary td').first().textContent()).toBe('ga-steer');
    expect(await page.content()).not.toContain('<script>\n</li>');
    expect(await page.locator('ol.events li').first().textContent()).toContain('<script>');
  });
});
