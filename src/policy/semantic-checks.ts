// Checks beyond shape: relations between fields that a schema cannot express. They run on whatever
// parts of the policy parsed (see policy-parts.ts), each check only where its inputs are present, so
// shape and meaning are reported in one pass.

import { clip } from '../input/describe-value.js';
import { compileAnswerPattern } from './answer-pattern.js';
import type { IssueSeverity } from './issues.js';
import type { PolicyParts, RegionParts } from './policy-parts.js';
import type { Policy } from './schema.js';

export interface SemanticFinding {
  readonly severity: IssueSeverity;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

/**
 * What the policy will be used with. `live`: collectors read load from CloudWatch (validate, live
 * plan, apply, run, the Lambda), so a Region without a load query is an error. `snapshot`: load comes
 * from recorded snapshots (plan --snapshot, simulate, the library's evaluate): only a warning.
 */
export type PolicyUse = 'live' | 'snapshot';

type Report = (path: (string | number)[], message: string) => void;

export function checkPolicySemantics(parts: PolicyParts, use: PolicyUse): SemanticFinding[] {
  const findings: SemanticFinding[] = [];
  const error: Report = (path, message) => void findings.push({ severity: 'error', path, message });
  const warn: Report = (path, message) => void findings.push({ severity: 'warning', path, message });
  const { sections: s, regionNames: governed } = parts;
  // Without any Region written (regions missing or not a mapping, already an error), checks that count
  // or look up Regions would only repeat that.
  const listed = (region: string): boolean => governed.size === 0 || governed.has(region);

  for (const [region, rp] of parts.regions) checkRegion(region, rp, parts, use, { error, warn });
  const g = s.guardrails;
  if (g?.dialFloorPercent !== undefined && g.dialFloorPercent >= 100) warn(['guardrails', 'dialFloorPercent'], 'a floor of 100 means no Region can ever be offloaded');
  if (g?.minRegionsServing !== undefined && governed.size > 0 && g.minRegionsServing > governed.size) {
    error(['guardrails', 'minRegionsServing'], `is ${g.minRegionsServing} but the policy governs only ${governed.size} Region(s)`);
  }

  for (const region of parts.loadRegionNames) {
    if (!listed(region)) error(['signals', 'load', region], `Region "${region}" is not listed under regions`);
  }
  for (const [region, queries] of parts.load) {
    const seen = new Set<string>();
    queries.forEach((q, i) => {
      const key = `${q.signal}/${q.endpointId ?? ''}`;
      if (seen.has(key)) error(['signals', 'load', region, i, 'signal'], `duplicate load query for signal "${clip(q.signal)}"${q.endpointId !== undefined ? ` and endpoint ${clip(q.endpointId)}` : ''}`);
      seen.add(key);
    });
  }
  const signals = s.signals;
  if (signals?.ripeAtlas !== undefined) checkAtlas(signals.ripeAtlas, listed, error);
  const feedNames = new Set<string>();
  signals?.synthetic?.forEach((f, i) => {
    if (feedNames.has(f.name)) error(['signals', 'synthetic', i, 'name'], `duplicate synthetic feed "${clip(f.name)}"`);
    feedNames.add(f.name);
  });
  if (signals?.demand !== undefined) checkSourceAreas(signals.demand.sourceAreas, error);

  const listeners = s.accelerator?.listeners;
  if (s.pins !== undefined) checkPins(s.pins, listeners, listed, error);
  const arn = s.accelerator?.arn;
  listeners?.forEach((l, i) => {
    if (arn !== undefined && !l.startsWith(`${arn}/listener/`)) error(['accelerator', 'listeners', i], 'the listener does not belong to accelerator.arn');
    if (listeners.indexOf(l) !== i) error(['accelerator', 'listeners', i], 'duplicate listener');
  });
  s.dryRun?.regions?.forEach((r, i) => {
    if (!listed(r)) error(['dryRun', 'regions', i], `dry-run rule matches nothing: Region "${r}" is not listed under regions`);
  });
  // Sums over Regions need every Region's capacity.
  const peak = s.expectedPeak;
  if (peak?.signal !== undefined && peak.value !== undefined && s.regions !== undefined) checkPeak({ signal: peak.signal, value: peak.value }, s.regions, { error, warn });
  return findings;
}

function checkRegion(region: string, { settings: rp, broken }: RegionParts, parts: PolicyParts, use: PolicyUse, report: { error: Report; warn: Report }): void {
  const { error, warn } = report;
  const at = ['regions', region];
  // A field that did not parse is undefined here: each comparison needs both of its sides.
  const { targetPercent: target, drainAbovePercent: drain, restoreBelowPercent: restore } = rp;
  if (restore !== undefined && drain !== undefined && restore >= drain) {
    error([...at, 'restoreBelowPercent'], `must be below drainAbovePercent (${drain}), or the dial would flap`);
  }
  if (target !== undefined && drain !== undefined && target > drain) {
    error([...at, 'targetPercent'], `must not be above drainAbovePercent (${drain})`);
  }
  if (restore !== undefined && target !== undefined && restore > target) {
    error([...at, 'restoreBelowPercent'], `must not be above targetPercent (${target}): restoring would push the Region over its target`);
  }
  const floor = broken.has('dialFloorPercent') ? undefined : (rp.dialFloorPercent ?? parts.sections.guardrails?.dialFloorPercent);
  if (floor !== undefined && floor >= 100) warn([...at, rp.dialFloorPercent !== undefined ? 'dialFloorPercent' : 'capacity'], 'the dial floor is 100: this Region can never be offloaded');

  if (rp.capacity === undefined) return;
  const signal = rp.capacity.signal;
  const signalAt = [...at, 'capacity', 'signal'];
  const queries = parts.load.get(region);
  if (!parts.loadRegionNames.has(region) || queries?.length === 0) {
    const message = `no load query in signals.load.${region} measures signal "${clip(signal)}"`;
    if (use === 'live') error(signalAt, `${message}: live collection would find no load for this Region and hold (NoData) every cycle`);
    else warn(signalAt, `${message}: fine with recorded snapshots, which carry the load; live collection (validate, plan without --snapshot, apply, run) needs one`);
  } else if (queries !== undefined && !queries.some((q) => q.signal === signal)) {
    error(signalAt, `no load query in signals.load.${region} defines signal "${clip(signal)}"`);
  }
  const fullSignal = rp.capacity.fullSignal;
  if (fullSignal === undefined) return;
  const fullAt = [...at, 'capacity', 'fullSignal'];
  if (fullSignal === signal) {
    error(fullAt, 'must name a different signal from capacity.signal: one measures load, the other capacity');
  } else if (queries !== undefined && queries.length > 0 && !queries.some((q) => q.signal === fullSignal && q.endpointId === undefined)) {
    error(fullAt, `no Region-wide load query in signals.load.${region} defines signal "${clip(fullSignal)}"`);
  }
}

function checkAtlas(atlas: NonNullable<Policy['signals']['ripeAtlas']>, listed: (region: string) => boolean, error: Report): void {
  const ids = new Set<number>();
  atlas.measurements.forEach((m, i) => {
    const at = ['signals', 'ripeAtlas', 'measurements', i];
    if (ids.has(m.id)) error([...at, 'id'], `duplicate RIPE Atlas measurement ${m.id}`);
    ids.add(m.id);
    for (const [target, region] of Object.entries(m.targets ?? {})) {
      if (!listed(region)) error([...at, 'targets', target], `Region "${region}" is not listed under regions`);
    }
    (m.answers ?? []).forEach((rule, j) => {
      if (!listed(rule.region)) error([...at, 'answers', j, 'region'], `Region "${rule.region}" is not listed under regions`);
      const compiled = compileAnswerPattern(rule.match);
      if (!compiled.ok) error([...at, 'answers', j, 'match'], compiled.problem);
    });
  });
}

function checkSourceAreas(sourceAreas: Policy['signals']['demand']['sourceAreas'], error: Report): void {
  const areaOf = new Map<string, string>();
  for (const [area, countries] of Object.entries(sourceAreas)) {
    countries.forEach((c, i) => {
      const other = areaOf.get(c);
      if (other !== undefined) error(['signals', 'demand', 'sourceAreas', area, i], `${c} is already in source area ${clip(other)}`);
      else areaOf.set(c, area);
    });
  }
}

function checkPins(pins: Policy['pins'], listeners: readonly string[] | undefined, listed: (region: string) => boolean, error: Report): void {
  const pinned = new Set<string>();
  pins.forEach((pin, i) => {
    if (!listed(pin.region)) error(['pins', i, 'region'], `Region "${pin.region}" is not listed under regions`);
    if (pin.listener !== undefined && listeners !== undefined && listeners.length > 0 && !listeners.includes(pin.listener)) {
      error(['pins', i, 'listener'], 'the listener is not one of accelerator.listeners');
    }
    const key = `${pin.region}/${pin.listener ?? '*'}`;
    if (pinned.has(key)) error(['pins', i], `duplicate pin for ${pin.region}`);
    pinned.add(key);
  });
}

function checkPeak(peak: NonNullable<Policy['expectedPeak']>, regions: Policy['regions'], report: { error: Report; warn: Report }): void {
  let usable = 0;
  let measured = 0;
  for (const rp of Object.values(regions)) {
    if (rp.capacity.signal !== peak.signal) continue;
    measured += 1;
    // A capacity read from a signal is only known at run time: the check covers the constant ones.
    if (rp.capacity.full !== undefined) usable += (rp.capacity.full * rp.targetPercent) / 100;
    else usable = Number.POSITIVE_INFINITY;
  }
  if (measured === 0) {
    report.error(['expectedPeak', 'signal'], `no Region measures its capacity with signal "${clip(peak.signal)}"`);
  } else if (usable < peak.value) {
    report.warn(['expectedPeak', 'value'], `total capacity at target utilization is ${round(usable)} but the stated peak is ${round(peak.value)}: the service cannot carry its peak without overloading a Region`);
  }
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
