// `ga-steer plan`: a dry run. Reads a policy and a snapshot, prints the plan; changes nothing.

import { writeFile } from 'node:fs/promises';
import { loadPolicyFile, loadSnapshotFile, loadStateFile } from '../../app/input-files.js';
import { emptyControllerState } from '../../planner/controller-state.js';
import { evaluate } from '../../planner/evaluate.js';
import { formatIssue } from '../../policy/issues.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';
import { oneOf, parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_CHANGES, EXIT_OK, type Command } from '../command.js';

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what ga-steer would change, without changing anything',
  help: `Usage: ga-steer plan --policy FILE --snapshot FILE [options]

Evaluates the policy against a recorded snapshot and prints the plan: each change with its
address, before and after, reason and evidence; each hold with its reason. Nothing is changed.

Options:
  --policy FILE          the policy (YAML)
  --snapshot FILE        a snapshot (JSON, see schemas/snapshot.schema.json)
  --state FILE           controller state from earlier cycles (cooldowns, ga-steer's last values);
                         default: none, a first run
  --now ISO-8601         evaluate as of this time; default: the snapshot's takenAt
  --format FORMAT        json | text | markdown (default text)
  --out FILE             also write the plan JSON to FILE (for apply)
  --detailed-exitcode    exit 0 when there are no changes, 2 when there are changes

Exit codes: 0 success (no changes with --detailed-exitcode), 2 changes (with
--detailed-exitcode), 1 error (bad input: the message names the file and place).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      snapshot: { type: 'string' },
      state: { type: 'string' },
      now: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
    });
    const format = oneOf<PlanFormat>(values.format, '--format', ['json', 'text', 'markdown'], 'text');
    const policyFile = requireOption(values.policy, '--policy');
    const snapshotFile = requireOption(values.snapshot, '--snapshot');
    const { policy, warnings } = await loadPolicyFile(policyFile);
    const snapshot = await loadSnapshotFile(snapshotFile);
    const state = values.state !== undefined ? await loadStateFile(values.state) : emptyControllerState();
    const now = values.now !== undefined ? parseNow(values.now) : new Date(snapshot.takenAt);
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);

    const { plan } = evaluate(policy, snapshot, state, now);
    if (values.out !== undefined) await writeFile(values.out, `${JSON.stringify(plan, null, 2)}\n`);
    io.stdout(renderPlan(plan, format));
    return values['detailed-exitcode'] === true && plan.changes.length > 0 ? EXIT_CHANGES : EXIT_OK;
  },
};

function parseNow(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(text)) throw new UsageError(`--now must be an ISO-8601 time (got "${text}")`);
  return d;
}
