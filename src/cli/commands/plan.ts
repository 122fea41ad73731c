// `ga-steer plan`: a dry run. Reads a policy and a snapshot, prints the plan; changes nothing.

import { CycleDeadline } from '../../adapters/deadline/cycle-deadline.js';
import { FileStateStore } from '../../adapters/state/file-state-store.js';
import { MemoryStateStore } from '../../adapters/state/memory-state-store.js';
import { runControlCycle } from '../../app/control-cycle.js';
import { wireLive } from '../../app/live-wiring.js';
import type { Plan } from '../../plan/types.js';
import { planFileOf } from '../../app/plan-file-io.js';
import type { AcceleratorTopology } from '../../snapshot/schema.js';
import type { Notifier } from '../../ports/notifier.js';
import { loadPolicyFile, loadSnapshotFile } from '../../app/input-files.js';
import { emptyControllerState } from '../../planner/controller-state.js';
import { evaluate } from '../../planner/evaluate.js';
import { formatIssue } from '../../policy/issues.js';
import { renderPlan, type PlanFormat } from '../render-plan.js';
import { oneOf, parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_CHANGES, EXIT_OK, type Command } from '../command.js';
import { cycleTimeoutMs } from '../cycle-timeout.js';
import { writeOutputFile } from '../output-file.js';

/** `plan` never alerts: it is a preview. */
const silentNotifier: Notifier = { notify: async () => undefined };

export const planCommand: Command = {
  name: 'plan',
  summary: 'Show what ga-steer would change, without changing anything',
  help: `Usage: ga-steer plan --policy FILE [--snapshot FILE | --endpoint-url URL] [options]

Evaluates the policy and prints the plan: each change with its address, before and after, reason
and evidence; each hold with its reason. Nothing is changed.

With --snapshot, the plan is made from a recorded snapshot. Without it (live mode), ga-steer reads
the accelerator from Global Accelerator and load and demand from CloudWatch, with the AWS SDK's
usual credentials and endpoints (AWS_ENDPOINT_URL_GLOBAL_ACCELERATOR, AWS_ENDPOINT_URL_CLOUDWATCH,
AWS_ENDPOINT_URL), or from --endpoint-url (e.g. \`ga-steer emulator\`, which prints the whole
command). Latency and landing come from the policy's RIPE Atlas measurements (results newer than
guardrails.maxSignalAgeSeconds; the API key, if any, from the variable signals.ripeAtlas.apiKeyEnv
names) and its synthetic feeds.

Options:
  --policy FILE          the policy (YAML)
  --snapshot FILE        a snapshot (JSON, see schemas/snapshot.schema.json)
  --endpoint-url URL     live mode: send GA and CloudWatch calls here (the emulator)
  --atlas-url URL        live mode: the RIPE Atlas API origin (default: env GA_STEER_ATLAS_URL,
                         else https://atlas.ripe.net; \`ga-steer emulator --policy\` serves one)
  --save-snapshot FILE   live mode: also write the collected snapshot (to replay it later)
  --cycle-timeout S      live mode: every call (GA, CloudWatch, RIPE Atlas, feeds) must end within
                         S seconds of the start (default 600); when they do not, the command stops
                         and names the call that ran out
  --state FILE           controller state from earlier cycles (cooldowns, ga-steer's last values);
                         default: none, a first run
  --now ISO-8601         evaluate as of this time; default: the snapshot's takenAt
  --format FORMAT        json | text | markdown (default text)
  --out FILE             also write the plan file (schemas/plan.schema.json): the plan and the
                         topology it was made from, for \`ga-steer apply --plan FILE\`
  --detailed-exitcode    exit 0 when there are no changes, 2 when there are changes

Secret values (AWS credentials, the RIPE Atlas key and the Slack webhook URL the policy names) are
hidden in everything printed and written.

Exit codes: 0 success (no changes with --detailed-exitcode), 2 changes (with
--detailed-exitcode), 1 error (bad input: the message names the file and place; the cycle deadline
passed).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      policy: { type: 'string' },
      snapshot: { type: 'string' },
      'endpoint-url': { type: 'string' },
      'atlas-url': { type: 'string' },
      'save-snapshot': { type: 'string' },
      'cycle-timeout': { type: 'string' },
      state: { type: 'string' },
      now: { type: 'string' },
      format: { type: 'string' },
      out: { type: 'string' },
      'detailed-exitcode': { type: 'boolean' },
    });
    const format = oneOf<PlanFormat>(values.format, '--format', ['json', 'text', 'markdown'], 'text');
    const policyFile = requireOption(values.policy, '--policy');
    // Live mode collects load from CloudWatch: every Region then needs a load query.
    const { policy, warnings } = await loadPolicyFile(policyFile, { use: values.snapshot !== undefined ? 'snapshot' : 'live' });
    io.secrets.protectPolicy(policy);
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
    let plan: Plan;
    let topology: AcceleratorTopology | undefined;
    if (values.snapshot !== undefined) {
      if (values['endpoint-url'] !== undefined || values['save-snapshot'] !== undefined || values['atlas-url'] !== undefined || values['cycle-timeout'] !== undefined) {
        throw new UsageError('--endpoint-url, --atlas-url, --save-snapshot and --cycle-timeout are for live mode, without --snapshot');
      }
      const snapshot = await loadSnapshotFile(values.snapshot);
      const state = values.state !== undefined ? await new FileStateStore(values.state).load() : emptyControllerState();
      const now = values.now !== undefined ? parseNow(values.now) : new Date(snapshot.takenAt);
      plan = evaluate(policy, snapshot, state, now).plan;
      topology = snapshot.accelerators.find((a) => a.arn === plan.acceleratorArn);
    } else {
      if (values.now !== undefined) throw new UsageError('--now is for recorded snapshots; live mode plans as of now');
      const limitMs = cycleTimeoutMs(values['cycle-timeout']);
      const state = values.state !== undefined ? await new FileStateStore(values.state).load() : emptyControllerState();
      const wiring = wireLive(policy, {
        ...(values['endpoint-url'] !== undefined ? { endpointUrl: values['endpoint-url'] } : {}),
        ...(values['atlas-url'] !== undefined ? { atlasBaseUrl: values['atlas-url'] } : {}),
        env: io.env,
        stateStore: new MemoryStateStore(state),
        notify: false,
        log: (line) => io.stderr(`${line}\n`),
        redact: io.secrets.redact,
      });
      const deadline = CycleDeadline.start(limitMs);
      try {
        const cycle = await runControlCycle({ ...wiring.deps, notifier: silentNotifier }, policy, 'plan', { deadline });
        plan = cycle.plan;
        topology = cycle.snapshot?.accelerators.find((a) => a.arn === plan.acceleratorArn);
        if (values['save-snapshot'] !== undefined) await writeOutputFile(values['save-snapshot'], `${JSON.stringify(cycle.snapshot, null, 2)}\n`, io);
      } finally {
        deadline.dispose();
        wiring.close();
      }
    }
    if (values.out !== undefined) {
      if (topology === undefined) throw new UsageError(`--out: the accelerator ${policy.accelerator.arn} was not read, so there is no plan to apply`);
      await writeOutputFile(values.out, `${JSON.stringify(planFileOf(plan, topology), null, 2)}\n`, io);
    }
    io.stdout(renderPlan(plan, format));
    return values['detailed-exitcode'] === true && plan.changes.length > 0 ? EXIT_CHANGES : EXIT_OK;
  },
};

function parseNow(text: string): Date {
  const d = new Date(text);
  if (Number.isNaN(d.getTime()) || !/^\d{4}-\d\d-\d\dT/.test(text)) throw new UsageError(`--now must be an ISO-8601 time (got "${text}")`);
  return d;
}
