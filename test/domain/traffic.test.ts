import { describe, expect, it } from 'vitest';
import { clampDial, dialsEqual, roundDial } from '../../src/domain/traffic.js';

describe('dial arithmetic', () => {
  it('treats float echoes of the same dial as equal', () => {
    expect(dialsEqual(33.3, 33.29999923706055)).toBe(true);
    expect(dialsEqual(33.3, 33.4)).toBe(false);
  });
  it('clamps and rounds onto the 0.1 % grid', () => {
    expect(clampDial(-4)).toBe(0);
    expect(clampDial(140)).toBe(100);
    expect(roundDial(42.46)).toBe(42.5);
  });
});
