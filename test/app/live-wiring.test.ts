// Live wiring: sources chosen by the policy, and kept across cycles where a process lives on.

import { describe, expect, it } from 'vitest';
import { RipeAtlasSignalSource } from '../../src/adapters/ripe-atlas/atlas-signal-source.js';
import { loadPolicyFile } from '../../src/app/input-files.js';
import { wireLive } from '../../src/app/live-wiring.js';

const policy = (await loadPolicyFile('policies/crazycall-voip.yaml', { use: 'live' })).policy;
const base = { env: { RIPE_ATLAS_KEY: 'k1' }, notify: false, log: () => undefined, atlasBaseUrl: 'http://127.0.0.1:9', endpointUrl: 'http://127.0.0.1:9' } as const;

function atlasSource(reuse: boolean, env: Record<string, string> = base.env): unknown {
  const w = wireLive(policy, { ...base, env, reuseSources: reuse });
  w.close();
  return w.deps.sources.find((s) => s instanceof RipeAtlasSignalSource);
}

describe('live wiring', () => {
  it('adds a RIPE Atlas source when the policy has measurements, and none when told not to', () => {
    expect(atlasSource(false)).toBeInstanceOf(RipeAtlasSignalSource);
    const w = wireLive(policy, { ...base, policySources: false });
    w.close();
    expect(w.deps.sources.some((s) => s instanceof RipeAtlasSignalSource)).toBe(false);
  });

  it('keeps one RIPE Atlas source per API and key across cycles when asked (run, Lambda), so ingest is incremental', () => {
    expect(atlasSource(true)).toBe(atlasSource(true));
    expect(atlasSource(true)).not.toBe(atlasSource(true, { RIPE_ATLAS_KEY: 'k2' }));
    expect(atlasSource(false)).not.toBe(atlasSource(false));
  });
});
