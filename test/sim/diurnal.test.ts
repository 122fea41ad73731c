import { describe, expect, it } from 'vitest';
import { diurnalMultiplier, diurnalMultiplierAt, localHourAt } from '../../src/sim/world/diurnal.js';

const STEPS_PER_HOUR = 60;
const samples = Array.from({ length: 24 * STEPS_PER_HOUR }, (_, i) => {
  const hour = i / STEPS_PER_HOUR;
  return { hour, value: diurnalMultiplier(hour) };
});

describe('diurnal demand curve', () => {
  it('integrates to 1 over 24 h (mean multiplier 1), from any starting hour', () => {
    for (const start of [0, 7.3, 13]) {
      let integral = 0;
      const dt = 1 / STEPS_PER_HOUR;
      for (let i = 0; i < 24 * STEPS_PER_HOUR; i++) integral += diurnalMultiplier(start + (i + 0.5) * dt) * dt;
      expect(integral / 24).toBeCloseTo(1, 6);
    }
  });

  it('peaks in the evening and bottoms out before dawn at 40-50 % of the peak', () => {
    const peak = samples.reduce((a, b) => (b.value > a.value ? b : a));
    const trough = samples.reduce((a, b) => (b.value < a.value ? b : a));
    expect(peak.hour).toBeGreaterThanOrEqual(20);
    expect(peak.hour).toBeLessThanOrEqual(22);
    expect(trough.hour).toBeGreaterThanOrEqual(4);
    expect(trough.hour).toBeLessThanOrEqual(5.5);
    expect(trough.value / peak.value).toBeGreaterThanOrEqual(0.4);
    expect(trough.value / peak.value).toBeLessThanOrEqual(0.5);
    expect(trough.value).toBeGreaterThan(0);
  });

  it('is smooth: no jump larger than 2 % of the mean per minute, including across midnight', () => {
    for (let i = 0; i < samples.length; i++) {
      const a = samples[i]?.value ?? 0;
      const b = samples[(i + 1) % samples.length]?.value ?? 0;
      expect(Math.abs(b - a)).toBeLessThan(0.02);
    }
    expect(diurnalMultiplier(24)).toBeCloseTo(diurnalMultiplier(0), 12);
    expect(diurnalMultiplier(-3)).toBeCloseTo(diurnalMultiplier(21), 12);
  });

  it('places the curve by local time', () => {
    const noonUtc = Date.UTC(2026, 0, 10, 12);
    expect(localHourAt(noonUtc, 0)).toBe(12);
    expect(localHourAt(noonUtc, 5.5)).toBe(17.5);
    expect(localHourAt(noonUtc, -14)).toBe(22);
    expect(localHourAt(Date.UTC(2026, 0, 10, 2), -5)).toBe(21);
    // 20:00 UTC is the evening peak in London and the small hours in Sydney.
    const evening = Date.UTC(2026, 0, 10, 20, 45);
    expect(diurnalMultiplierAt(evening, 0)).toBeGreaterThan(1.3);
    expect(diurnalMultiplierAt(evening, 10)).toBeLessThan(0.7);
  });
});
