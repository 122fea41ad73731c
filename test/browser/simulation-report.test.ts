import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderSimulationReport } from '../../src/report/simulation-report.js';
import { RUN_MINUTES, syntheticSimulationRun } from '../support/simulation-run.js';
import { launchChromium } from '../support/chromium.js';

interface CanvasState {
  id: string;
  labels: string[];
  points: number;
  /** Distinct RGBA values among the pixels: 1 when the canvas is blank (or uniformly filled). */
  colours: number;
  painted: number;
}

// Runs in the page; a string keeps DOM types out of the Node type-check.
const READ_CANVASES = `[...document.querySelectorAll('canvas')].map((c) => {
  const chart = Chart.getChart(c);
  const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer);
  const colours = new Set();
  let painted = 0;
  for (const v of px) { colours.add(v); if (v !== 0) painted++; }
  return { id: c.id, labels: chart ? chart.data.datasets.map((d) => d.label) : [],
    points: chart ? chart.data.datasets[0].data.length : 0, colours: colours.size, painted };
})`;

const READ_FIRST_DATA = `Chart.getChart(document.getElementById('dials')).data.datasets[0].data.map((p) => p.y)`;

describe('simulation report in headless Chromium', () => {
  let browser: Browser;
  let url: string;
  beforeAll(async () => {
    browser = await launchChromium();
    const file = join(mkdtempSync(join(tmpdir(), 'ga-steer-sim-report-')), 'report.html');
    writeFileSync(file, renderSimulationReport(syntheticSimulationRun()));
    url = pathToFileURL(file).href;
  });
  afterAll(async () => {
    await browser?.close();
  });

  async function open(target = url): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    // Nothing may leave the page: Chart.js and the data are inline.
    page.on('request', (r) => {
      if (!r.url().startsWith('file:') && !r.url().startsWith('data:')) problems.push(`request: ${r.url()}`);
    });
    await page.goto(target);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    return { page, problems };
  }

  it('renders the main controller\'s three charts, non-blank, with the summary table, without errors', async () => {
    // Act
    const { page, problems } = await open();
    const canvases = (await page.evaluate(READ_CANVASES)) as CanvasState[];
    // Assess
    expect(problems).toEqual([]);
    expect(await page.getAttribute('body', 'data-chart-count')).toBe('3');
    expect(await page.getAttribute('body', 'data-controller')).toBe('ga-steer');
    expect(canvases.map((c) => c.id)).toEqual(['dials', 'utilization', 'latency']);
    for (const c of canvases) {
      expect(c.points, c.id).toBe(RUN_MINUTES);
      expect(c.colours, c.id).toBeGreaterThan(2);
      expect(c.painted, c.id).toBeGreaterThan(1000);
    }
    expect(canvases[2]?.labels).toEqual(['mean', 'p95', 'LP bound (mean)', 'best dials (mean)']);
    expect(await page.locator('#summary tbody th').allTextContents()).toEqual(['none', 'ga-steer (main)']);
    expect(await page.locator('table.changes:visible caption').textContent()).toBe('Changes made by ga-steer (1)');
    await page.close();
  });

  it('re-renders the charts and the list of changes when another controller is selected', async () => {
    // Prepare
    const { page, problems } = await open();
    const before = (await page.evaluate(READ_FIRST_DATA)) as (number | null)[];
    // Act
    await page.selectOption('#controller', 'none');
    await page.waitForSelector('body[data-controller="none"][data-rendered="true"]', { timeout: 15_000 });
    const after = (await page.evaluate(READ_FIRST_DATA)) as (number | null)[];
    const canvases = (await page.evaluate(READ_CANVASES)) as CanvasState[];
    // Assess: the steering dial is gone, the bound without data is gone, the charts still drew.
    expect(problems).toEqual([]);
    expect(before).toContain(70);
    expect(after).toEqual(Array.from({ length: RUN_MINUTES }, () => 100));
    expect(canvases[2]?.labels).toEqual(['mean', 'p95', 'LP bound (mean)']);
    for (const c of canvases) expect(c.colours, c.id).toBeGreaterThan(2);
    expect(await page.getAttribute('body', 'data-chart-count')).toBe('3');
    expect(await page.locator('table.changes:visible caption').textContent()).toBe('Changes made by none (0)');
    expect(await page.locator('#shown').textContent()).toBe('Showing none.');
    // Back to the main one: still one chart per canvas, no leaked instances.
    await page.selectOption('#controller', 'ga-steer');
    await page.waitForSelector('body[data-controller="ga-steer"][data-rendered="true"]', { timeout: 15_000 });
    expect(await page.evaluate(READ_FIRST_DATA)).toEqual(before);
    expect(await page.evaluate(`Object.keys(Chart.instances).length`)).toBe(3);
    await page.close();
  });

  it('shows names with markup as text, in the select, the legend and the live caption', async () => {
    // Prepare
    const run = syntheticSimulationRun();
    const hostile = run.controllers.map((c) => ({ ...c, name: `<img src=x onerror="document.title='pwned'">${c.name}` }));
    const file = join(mkdtempSync(join(tmpdir(), 'ga-steer-sim-report-')), 'hostile.html');
    writeFileSync(file, renderSimulationReport({ ...run, controllers: hostile }));
    // Act
    const { page, problems } = await open(pathToFileURL(file).href);
    await page.selectOption('#controller', '0');
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    // Assess
    expect(problems).toEqual([]);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.title()).not.toBe('pwned');
    expect(await page.locator('#shown').textContent()).toBe(`Showing ${hostile[0]?.name ?? ''}.`);
    expect(await page.locator('#controller option').allTextContents()).toEqual(hostile.map((c) => c.name));
    await page.close();
  });
});
