// A decision takes its typed rows from blocks the previous decision handed back (model/row-blocks.ts):
// nothing it returns may hold one, and a decision must not see what an earlier one left in them.
import { describe, expect, it } from 'vitest';
import { buildDecisionCase } from '../../bench/decision.js';
import { emptyControllerState } from '../../src/planner/controller-state.js';
import { evaluate } from '../../src/planner/evaluate.js';

/** Paths in `value` that lead to a typed array (or any other view of an ArrayBuffer). */
function typedArrayPaths(value: unknown, path = '$', out: string[] = []): string[] {
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) out.push(path);
  else if (Array.isArray(value)) value.forEach((v, i) => typedArrayPaths(v, `${path}[${i}]`, out));
  else if (value instanceof Map) for (const [k, v] of value) typedArrayPaths(v, `${path}.get(${String(k)})`, out);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) typedArrayPaths(v, `${path}.${k}`, out);
  return out;
}

describe('evaluate: decisions in one process share no rows', () => {
  const small = buildDecisionCase({ regions: 8, listeners: 2, probes: 1500 });
  const other = buildDecisionCase({ regions: 12, listeners: 3, probes: 2500 });

  it('returns a plan and a state of plain data, holding no typed row', () => {
    const first = evaluate(small.policy, small.snapshot, emptyControllerState(), small.now);
    // The case is one that changes dials: the search, the fit and the explanations all ran.
    expect(first.plan.changes.length).toBeGreaterThan(0);
    expect(typedArrayPaths(first)).toEqual([]);
    const second = evaluate(small.policy, small.snapshot, first.state, small.now);
    expect(typedArrayPaths(second)).toEqual([]);
  });

  it('gives the same plan and state whatever decisions ran before it in the process', () => {
    // Prepare: the decision on its own, as JSON (what a caller keeps).
    const alone = JSON.stringify(evaluate(small.policy, small.snapshot, emptyControllerState(), small.now));
    // Act: decisions of other sizes in between (their rows fill the blocks it will reuse), then it again.
    const between = evaluate(other.policy, other.snapshot, emptyControllerState(), other.now);
    evaluate(other.policy, other.snapshot, between.state, other.now);
    const again = JSON.stringify(evaluate(small.policy, small.snapshot, emptyControllerState(), small.now));
    // Assess: bit for bit the same.
    expect(again).toBe(alone);
  });
});
