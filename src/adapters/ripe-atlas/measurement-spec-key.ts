// What a measurement's kept samples depend on: its id and role, the policy's targets or answer rules,
// and how probes are grouped. A policy that changes any of these gets a freshly read window for that
// measurement; samples converted under the old rules would otherwise linger for the whole age window.

import type { Policy } from '../../policy/schema.js';

type AtlasSignals = NonNullable<Policy['signals']['ripeAtlas']>;
export type AtlasMeasurementSpec = AtlasSignals['measurements'][number];
export type AtlasClientGroupRule = AtlasSignals['clientGroupBy'];

export function measurementSpecKey(spec: AtlasMeasurementSpec, clientGroupBy: AtlasClientGroupRule): string {
  // Targets are a map: their order in the policy file means nothing. Answer rules are ordered (first match wins).
  const targets = spec.targets === undefined ? null : Object.entries(spec.targets).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const answers = spec.answers === undefined ? null : spec.answers.map((a) => [a.match, a.region]);
  return JSON.stringify([spec.id, spec.role, clientGroupBy, targets, answers]);
}
