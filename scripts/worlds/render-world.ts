// The YAML of a generated world: the scenario and its documented-default policy, laid out as the files
// in examples/scenarios are.

import type { RegionCode } from '../../src/domain/traffic.js';
import type { EventInput } from './draw-events.js';
import { commentLines, flow, type FlowValue } from './world-yaml.js';

export interface WorldFiles {
  readonly scenario: string;
  readonly policy: string;
}

export interface ScenarioParts {
  readonly name: string;
  readonly seed: number;
  readonly start: string;
  readonly durationMinutes: number;
  readonly controllerIntervalSeconds: number;
  readonly service: {
    readonly clients: { readonly maxRttMs: number };
    readonly peakFlows: number;
    readonly flowLifetimeSeconds: number;
    readonly demandNoisePercent: number;
    readonly initialDials: readonly { readonly region: RegionCode; readonly listener: number; readonly percent: number }[];
  };
  readonly measurement: { readonly probesPerCountry: number; readonly latencyLagSeconds: number; readonly loadLagSeconds: number; readonly demandLagSeconds: number };
  readonly events: readonly EventInput[];
  /** Comment lines under the schema line. */
  readonly notes: readonly string[];
  /** Set when the policy reads capacity from a signal: the flows each Region carries at 100 % with every host up. */
  readonly capacity?: Readonly<Record<RegionCode, number>>;
}

export const POLICY_FILE_NAME = 'policy.yaml';
export const SCENARIO_FILE_NAME = 'scenario.yaml';

export function renderScenarioYaml(s: ScenarioParts, schemasDir: string): string {
  const lines = [
    `# yaml-language-server: $schema=${schemasDir}/scenario.schema.json`,
    ...commentLines(s.notes),
    'apiVersion: ga-steer.io/v1',
    'kind: Scenario',
    `name: ${s.name}`,
    `description: ${JSON.stringify(`Generated world, seed ${s.seed}.`)}`,
    `policy: ${POLICY_FILE_NAME}`,
    `start: ${JSON.stringify(s.start)}`,
    `durationMinutes: ${s.durationMinutes}`,
    `seed: ${s.seed}`,
    `controllerIntervalSeconds: ${s.controllerIntervalSeconds}`,
    'service:',
    ...(s.capacity !== undefined ? [`  capacity: ${flow(s.capacity)}`] : []),
    `  clients: ${flow(s.service.clients)}`,
    `  peakFlows: ${s.service.peakFlows}`,
    `  flowLifetimeSeconds: ${s.service.flowLifetimeSeconds}`,
    `  demandNoisePercent: ${s.service.demandNoisePercent}`,
    ...(s.service.initialDials.length > 0 ? ['  initialDials:', ...s.service.initialDials.map((d) => `    - ${flow(d)}`)] : []),
    `measurement: ${flow(s.measurement)}`,
    ...(s.events.length > 0 ? ['events:', ...s.events.map((e) => `  - ${flow(e as FlowValue)}`)] : []),
  ];
  return `${lines.join('\n')}\n`;
}

export interface PolicyParts {
  readonly name: string;
  readonly regions: readonly RegionCode[];
  readonly listeners: number;
  readonly budgetMs: number;
  readonly capacity: Readonly<Record<RegionCode, number>>;
  /** Capacity from a signal (healthy hosts x flows per host) instead of a constant. */
  readonly capacityFromSignal: boolean;
}

export function renderPolicyYaml(p: PolicyParts, schemasDir: string): string {
  const arn = `arn:aws:globalaccelerator::123456789012:accelerator/${p.name}`;
  const listenerArns = Array.from({ length: p.listeners }, (_, i) => `${arn}/listener/l${i}`);
  const site = (r: RegionCode): string => r.replace(/-/g, '');
  const lines = [
    `# yaml-language-server: $schema=${schemasDir}/policy.schema.json`,
    ...commentLines([
      `The documented default policy of a generated world: Regions, capacities${p.capacityFromSignal ? ' (from a capacity signal)' : ''}, a latency budget and`,
      'where the load readings come from. Every guardrail is at its default.',
    ]),
    'apiVersion: ga-steer.io/v1',
    `name: ${p.name}`,
    'accelerator:',
    `  arn: ${arn}`,
    ...(p.listeners > 1 ? ['  listeners:', ...listenerArns.map((l) => `    - ${l}`)] : []),
    'regions:',
    ...p.regions.map((r) =>
      p.capacityFromSignal
        ? `  ${r}: { capacity: { signal: active-flows, fullSignal: capacity-flows } }   # ${p.capacity[r] ?? 0} flows with every host up`
        : `  ${r}: ${flow({ capacity: { signal: 'active-flows', full: p.capacity[r] ?? 0 } })}`,
    ),
    'latency:',
    `  budgetMs: ${p.budgetMs}`,
    'signals:',
    '  load:',
    ...p.regions.flatMap((r, i) => [
      `    ${r}:`,
      `      - ${flow({ signal: 'active-flows', metric: { namespace: 'AWS/NetworkELB', metricName: 'ActiveFlowCount', stat: 'Average', dimensions: { LoadBalancer: `net/${p.name}-${site(r)}/${(i + 1).toString(16).padStart(16, '0')}` } } })}`,
      ...(p.capacityFromSignal ? [`      - ${flow({ signal: 'capacity-flows', metric: { namespace: 'Service/Fleet', metricName: 'CapacityFlows', stat: 'Minimum', dimensions: { Site: site(r) } } })}`] : []),
    ]),
  ];
  return `${lines.join('\n')}\n`;
}
