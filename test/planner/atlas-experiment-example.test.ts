import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { parseSnapshotText } from '../../src/snapshot/parse-snapshot.js';

describe('the four-Region service of the RIPE Atlas experiment (examples/snapshots/atlas-experiment-hot.json)', () => {
  it('offloads a hot eu-central-1 to us-east-1 at about the +80 ms the experiment measured', () => {
    const policy = parsePolicyText(readFileSync('policies/atlas-experiment.yaml', 'utf8'), 'atlas-experiment.yaml');
    const snapshot = parseSnapshotText(readFileSync('examples/snapshots/atlas-experiment-hot.json', 'utf8'), 'atlas-experiment-hot.json');
    if (!policy.ok || !snapshot.ok) throw new Error('example inputs are invalid');
    const { plan } = evaluate(policy.policy, snapshot.snapshot, emptyControllerState(), new Date(snapshot.snapshot.takenAt));
    expect(plan.changes).toHaveLength(1);
    const change = plan.changes[0];
    expect(change?.address.region).toBe('eu-central-1');
    expect(change?.evidence.predictedLanding['us-east-1']).toBeGreaterThan(0.9);
    // The experiment: the moved probes' response time rose from about 31 ms to about 113 ms.
    expect(change?.evidence.addedLatencyMs.meanMs).toBeGreaterThan(60);
    expect(change?.evidence.addedLatencyMs.meanMs).toBeLessThan(100);
  });
});
