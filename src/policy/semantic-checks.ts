// Checks beyond shape: relations between fields that a schema cannot express.

import { AWS_COMMERCIAL_REGIONS } from './aws-regions.js';
import type { IssueSeverity } from './issues.js';
import type { Policy } from './schema.js';

export interface SemanticFinding {
  readonly severity: IssueSeverity;
  readonly path: readonly (string | number)[];
  readonly message: string;
}

export function checkPolicySemantics(policy: Policy): SemanticFinding[] {
  const findings: SemanticFinding[] = [];
  const error = (path: (string | number)[], message: string): void => void findings.push({ severity: 'error', path, message });
  const warn = (path: (string | number)[], message: string): void => void findings.push({ severity: 'warning', path, message });
  const governed = new Set(Object.keys(policy.regions));
  const g = policy.guardrails;

  for (const [region, rp] of Object.entries(policy.regions)) {
    const at = ['regions', region];
    if (!AWS_COMMERCIAL_REGIONS.has(region)) error(at, `unknown AWS Region "${region}"`);
    if (rp.restoreBelowPercent >= rp.drainAbovePercent) {
      error([...at, 'restoreBelowPercent'], `must be below drainAbovePercent (${rp.drainAbovePercent}), or the dial would flap`);
    }
    if (rp.targetPercent > rp.drainAbovePercent) {
      error([...at, 'targetPercent'], `must not be above drainAbovePercent (${rp.drainAbovePercent})`);
    }
    if (rp.restoreBelowPercent > rp.targetPercent) {
      error([...at, 'restoreBelowPercent'], `must not be above targetPercent (${rp.targetPercent}): restoring would push the Region over its target`);
    }
    const floor = rp.dialFloorPercent ?? g.dialFloorPercent;
    if (floor >= 100) warn([...at, rp.dialFloorPercent !== undefined ? 'dialFloorPercent' : 'capacity'], 'the dial floor is 100: this Region can never be offloaded');
    const queries = policy.signals.load[region] ?? [];
    if (queries.length > 0 && !queries.some((q) => q.signal === rp.capacity.signal)) {
      error([...at, 'capacity', 'signal'], `no load query in signals.load.${region} defines signal "${rp.capacity.signal}"`);
    }
    const fullSignal = rp.capacity.fullSignal;
    if (fullSignal !== undefined && queries.length > 0 && !queries.some((q) => q.signal === fullSignal && q.endpointId === undefined)) {
      error([...at, 'capacity', 'fullSignal'], `no Region-wide load query in signals.load.${region} defines signal "${fullSignal}"`);
    }
    if (fullSignal !== undefined && fullSignal === rp.capacity.signal) {
      error([...at, 'capacity', 'fullSignal'], 'must name a different signal from capacity.signal: one measures load, the other capacity');
    }
  }
  if (g.dialFloorPercent >= 100) warn(['guardrails', 'dialFloorPercent'], 'a floor of 100 means no Region can ever be offloaded');
  if (g.minRegionsServing > governed.size) {
    error(['guardrails', 'minRegionsServing'], `is ${g.minRegionsServing} but the policy governs only ${governed.size} Region(s)`);
  }

  for (const [region, queries] of Object.entries(policy.signals.load)) {
    if (!governed.has(region)) error(['signals', 'load', region], `Region "${region}" is not listed under regions`);
    const seen = new Set<string>();
    queries.forEach((q, i) => {
      const key = `${q.signal}/${q.endpointId ?? ''}`;
      if (seen.has(key)) error(['signals', 'load', region, i, 'signal'], `duplicate load query for signal "${q.signal}"${q.endpointId !== undefined ? ` and endpoint ${q.endpointId}` : ''}`);
      seen.add(key);
    });
  }

  const atlas = policy.signals.ripeAtlas;
  if (atlas !== undefined) {
    const ids = new Set<number>();
    atlas.measurements.forEach((m, i) => {
      const at = ['signals', 'ripeAtlas', 'measurements', i];
      if (ids.has(m.id)) error([...at, 'id'], `duplicate RIPE Atlas measurement ${m.id}`);
      ids.add(m.id);
      for (const [target, region] of Object.entries(m.targets ?? {})) {
        if (!governed.has(region)) error([...at, 'targets', target], `Region "${region}" is not listed under regions`);
      }
      (m.answers ?? []).forEach((rule, j) => {
        if (!governed.has(rule.region)) error([...at, 'answers', j, 'region'], `Region "${rule.region}" is not listed under regions`);
        try {
          new RegExp(rule.match);
        } catch (e) {
          error([...at, 'answers', j, 'match'], `is not a valid regular expression: ${(e as Error).message}`);
        }
      });
    });
  }
  const feedNames = new Set<string>();
  policy.signals.synthetic.forEach((f, i) => {
    if (feedNames.has(f.name)) error(['signals', 'synthetic', i, 'name'], `duplicate synthetic feed "${f.name}"`);
    feedNames.add(f.name);
  });

  const pinned = new Set<string>();
  policy.pins.forEach((pin, i) => {
    if (!governed.has(pin.region)) error(['pins', i, 'region'], `Region "${pin.region}" is not listed under regions`);
    if (pin.listener !== undefined && policy.accelerator.listeners.length > 0 && !policy.accelerator.listeners.includes(pin.listener)) {
      error(['pins', i, 'listener'], 'the listener is not one of accelerator.listeners');
    }
    const key = `${pin.region}/${pin.listener ?? '*'}`;
    if (pinned.has(key)) error(['pins', i], `duplicate pin for ${pin.region}`);
    pinned.add(key);
  });
  policy.accelerator.listeners.forEach((l, i) => {
    if (!l.startsWith(`${policy.accelerator.arn}/listener/`)) error(['accelerator', 'listeners', i], 'the listener does not belong to accelerator.arn');
    if (policy.accelerator.listeners.indexOf(l) !== i) error(['accelerator', 'listeners', i], 'duplicate listener');
  });

  policy.dryRun.regions.forEach((r, i) => {
    if (!governed.has(r)) error(['dryRun', 'regions', i], `dry-run rule matches nothing: Region "${r}" is not listed under regions`);
  });

  const peak = policy.expectedPeak;
  if (peak !== undefined) {
    let usable = 0;
    let measured = 0;
    for (const rp of Object.values(policy.regions)) {
      if (rp.capacity.signal !== peak.signal) continue;
      measured += 1;
      // A capacity read from a signal is only known at run time: the check covers the constant ones.
      if (rp.capacity.full !== undefined) usable += (rp.capacity.full * rp.targetPercent) / 100;
      else usable = Number.POSITIVE_INFINITY;
    }
    if (measured === 0) {
      error(['expectedPeak', 'signal'], `no Region measures its capacity with signal "${peak.signal}"`);
    } else if (usable < peak.value) {
      warn(['expectedPeak', 'value'], `total capacity at target utilization is ${round(usable)} but the stated peak is ${round(peak.value)}: the service cannot carry its peak without overloading a Region`);
    }
  }
  const areaOf = new Map<string, string>();
  for (const [area, countries] of Object.entries(policy.signals.demand.sourceAreas)) {
    countries.forEach((c, i) => {
      const other = areaOf.get(c);
      if (other !== undefined) error(['signals', 'demand', 'sourceAreas', area, i], `${c} is already in source area ${other}`);
      else areaOf.set(c, area);
    });
  }
  return findings;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
