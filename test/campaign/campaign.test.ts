// A reduced fault campaign (npm run campaign runs 10,000 cycles): full control cycles through the AWS
// SDK against the emulator under faults, judged cycle by cycle. Part of `npm test`: about a minute.

import { describe, expect, it } from 'vitest';
import { runCampaign } from '../../scripts/campaign/run-campaign.js';

describe('fault campaign (reduced)', () => {
  it('200 cycles under faults: no violation, and the faults and the changes really happened', async () => {
    const result = await runCampaign({ seed: 7, cycles: 200 });

    expect(result.violations).toEqual([]);
    expect(result.counts.get('cycles')).toBe(200);
    // Not a campaign of holds: ga-steer moved dials and weights, and met people's changes.
    expect(result.counts.get('writes landed (dial)') ?? 0).toBeGreaterThan(5);
    expect(result.counts.get('writes landed (weights)') ?? 0).toBeGreaterThan(5);
    expect(result.counts.get('human changes seen by a cycle') ?? 0).toBeGreaterThan(5);
    // The large skews were seen against the emulator's clock, and held on.
    expect(result.counts.get('cycles held for clock skew') ?? 0).toBeGreaterThan(0);
    const fired = [...result.faults.keys()].join('\n');
    for (const kind of ['UpdateEndpointGroup', 'GetMetricData', 'human edit before the read', 'human edit between plan and apply', 'CloudWatch gap', 'RIPE Atlas outage', 'clock skew', 'concurrent invocation']) {
      expect(fired, kind).toContain(kind);
    }
  }, 240_000);
});
