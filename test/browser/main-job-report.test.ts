// The main job's report, made by a real (shortened) simulation run through `ga-steer simulate`, opened in
// headless Chromium: its charts render, with the LP bound drawn beside the latency.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../support/chromium.js';
import { runGaSteer } from '../support/run-cli-in-process.js';
import { REPO_ROOT } from '../support/repo-data.js';

describe('main job report (simulate --report) in headless Chromium', () => {
  let browser: Browser;
  let report: string;
  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ga-steer-main-job-'));
    // The npm start scenario, shortened so the test stays quick.
    const scenario = readFileSync(resolve(REPO_ROOT, 'examples/scenarios/crazycall-flash-crowd.yaml'), 'utf8')
      .replace('policy: ../../policies/crazycall-voip.yaml', `policy: ${resolve(REPO_ROOT, 'policies/crazycall-voip.yaml')}`)
      .replace('durationMinutes: 180', 'durationMinutes: 70')
      .replace('at: 45', 'at: 15');
    const file = join(dir, 'scenario.yaml');
    writeFileSync(file, scenario);
    report = join(dir, 'report.html');
    const run = await runGaSteer(['simulate', '--scenario', file, '--controller', 'ga-alone', '--controller', 'ga-steer', '--report', report, '--no-progress']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/ga-steer:crazycall-voip/);
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders the dial, utilization and latency charts with the LP bound, and no errors', async () => {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('console', (m) => {
      if (m.type() === 'error') problems.push(m.text());
    });
    await page.goto(pathToFileURL(report).href);
    await page.waitForSelector('body[data-rendered="true"]', { timeout: 15_000 });
    expect(await page.getAttribute('body', 'data-chart-count')).toBe('3');
    const labels = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => Chart.getChart(c).data.datasets.map((d) => d.label))`)) as string[][];
    expect(labels.flat().some((l) => /LP bound/.test(l))).toBe(true);
    const painted = (await page.evaluate(`[...document.querySelectorAll('canvas')].map((c) => { const px = new Uint32Array(c.getContext('2d').getImageData(0, 0, c.width, c.height).data.buffer); return new Set(px).size; })`)) as number[];
    for (const colours of painted) expect(colours).toBeGreaterThan(2);
    expect(await page.textContent('body')).toContain('ga-steer:crazycall-voip');
    expect(problems).toEqual([]);
  });
});
