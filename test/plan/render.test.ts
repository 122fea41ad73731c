import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';
import { renderPlanMarkdown } from '../../src/plan/render-markdown.js';
import { renderPlanText } from '../../src/plan/render-text.js';
import { parsePolicyText } from '../../src/policy/parse-policy.js';
import { snapshotSchema } from '../../src/snapshot/schema.js';
import { makePolicy, makeSnapshot, NOW } from '../support/planner-fixtures.js';

function examplePlan(snapshotFile: string) {
  const p = parsePolicyText(readFileSync('policies/crazycall-voip.yaml', 'utf8'), 'p');
  if (!p.ok) throw new Error('example policy invalid');
  const s = snapshotSchema.parse(JSON.parse(readFileSync(snapshotFile, 'utf8')));
  return evaluate(p.policy, s, emptyControllerState(), new Date(s.takenAt)).plan;
}

describe('plan renderings', () => {
  it('renders a plan with changes as text, with a legend of only the symbols used', () => {
    const text = renderPlanText(examplePlan('examples/snapshots/crazycall-hot.json'));
    expect(text).toContain('ga-steer will make these changes:');
    expect(text).toContain('moved traffic lands: eu-west-1 100 % (predicted 62.4 %)');
    expect(text).toContain('Legend: ~ change');
    expect(text).not.toContain('! hold');
  });

  it('shows the latency cost in the open in Markdown, with the one definition the text and the summary use', () => {
    const plan = examplePlan('examples/snapshots/crazycall-hot.json');
    const md = renderPlanMarkdown(plan);
    const open = md.slice(0, md.indexOf('<details>'));
    expect(open).toMatch(new RegExp(`Latency cost: moves ${plan.summary.movedDemandPercent} % of demand; the users who move pay \\+${plan.summary.predictedMeanAddedLatencyMs} ms on average, worst client group \\w+ \\+[\\d.]+ ms\\.`));
    expect(open).toContain('ms mean for the users who move');
    expect(renderPlanMarkdown(examplePlan('examples/snapshots/crazycall-calm.json'))).not.toContain('Latency cost');
  });

  it('says "No changes." explicitly for an empty plan, in text and Markdown', () => {
    const plan = examplePlan('examples/snapshots/crazycall-calm.json');
    expect(renderPlanText(plan)).toMatch(/^No changes\.$/m);
    expect(renderPlanMarkdown(plan)).toContain('**No changes.**');
  });

  it('renders holds with their reason and scope', () => {
    const { plan } = evaluate(makePolicy({ enabled: false }), makeSnapshot(), emptyControllerState(), NOW);
    const text = renderPlanText(plan);
    expect(text).toContain('! all  Disabled: the policy is disabled');
    expect(text).toContain('Legend: ! hold');
    expect(renderPlanMarkdown(plan)).toContain('`Disabled`');
  });

  it('says whether the overload can be absorbed, in both renderings, and nothing of it when there is none', () => {
    const plan = (central: number, west: number) =>
      evaluate(
        makePolicy(),
        makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: central }, { region: 'eu-west-1', full: 1000, load: west }] }),
        emptyControllerState(),
        NOW,
      ).plan;
    const contained = plan(1600, 900);
    expect(renderPlanText(contained)).toMatch(/^Overload: [\d.]+ % of demand heading over capacity at the current dials, room for [\d.]+ % below the 95 % margin in the other Regions: it cannot be absorbed, /m);
    expect(renderPlanMarkdown(contained)).toContain('**Overload:** ');
    expect(renderPlanText(plan(1100, 300))).toContain(': the others can absorb it, so the Regions over capacity are relieved into them.');
    const calm = plan(700, 300);
    expect(renderPlanText(calm)).not.toContain('Overload:');
    expect(renderPlanMarkdown(calm)).not.toContain('Overload:');
  });

  it('marks dry-run changes in both renderings', () => {
    const { plan } = evaluate(
      makePolicy({ dryRun: { all: true } }),
      makeSnapshot({ regions: [{ region: 'eu-central-1', full: 1000, load: 900 }, { region: 'eu-west-1', full: 1000, load: 300 }] }),
      emptyControllerState(),
      NOW,
    );
    expect(renderPlanText(plan)).toContain('~ (dry-run) eu-central-1');
    expect(renderPlanMarkdown(plan)).toContain('🧪 dry-run');
  });
});
