// `ga-steer atlas setup`: the RIPE Atlas measurements a policy needs, with their credit cost. A dry run
// unless --create is given; then it creates them and prints the policy block that uses them.

import { stringify } from 'yaml';
import { callWithDeadline } from '../../adapters/deadline/call-deadline.js';
import { AtlasClient } from '../../adapters/ripe-atlas/client/atlas-client.js';
import { ATLAS_DEFAULTS } from '../../adapters/ripe-atlas/client/config.js';
import { planAtlasSetup, policySnippet, SETUP_DEFAULTS, type AtlasSetupPlan } from '../../adapters/ripe-atlas/setup/setup-plan.js';
import { GaSteerError } from '../../app/errors.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { formatIssue } from '../../policy/issues.js';
import { parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

/** Creating the measurements, body included, within this. */
const CREATE_TIMEOUT_MS = 60_000;

export const atlasCommand: Command = {
  name: 'atlas',
  summary: 'Set up the RIPE Atlas measurements a policy needs (dry run unless --create)',
  help: `Usage: ga-steer atlas setup --policy FILE [--create] [--anycast-address IP ...] [options]

Works out the recurring RIPE Atlas measurements the policy needs and their cost:
  - a ping to each Region's unicast address, from the policy's latency measurements' \`targets\`
    (their ids may be placeholders until the measurements exist);
  - a DNS query CHAOS TXT id.server over UDP to each --anycast-address of the accelerator. Put a
    DNS responder behind the accelerator in each Region that answers id.server with a TXT string
    holding its Region code (e.g. "eu-central-1"): the answer shows which Region each probe lands in.
All are created in one request, so they run from the same probes (worldwide, --probes of them).

It prints the daily credit cost first, then the definitions. Nothing is created without --create.
With --create it creates them (the API key comes from the variable signals.ripeAtlas.apiKeyEnv
names, default RIPE_ATLAS_KEY, and needs permission to create measurements), prints the new
measurement ids, and the signals.ripeAtlas block to paste into the policy.

Cost, by RIPE Atlas's cost model (an upper bound: probes that are down deliver nothing):
  credits per day = unit cost x probes x floor(86400 / interval)
  unit cost: ping = packets x (floor(size / 1500) + 1) = 3 (3 packets of 48 bytes);
             DNS over UDP = 10 (over TCP 20); one-off results would cost double.

Options:
  --policy FILE            the policy (YAML)
  --anycast-address IP     an anycast address of the accelerator (repeat for each)
  --probes N               probes to request, 1 to 1000 (default ${SETUP_DEFAULTS.probes})
  --interval S             seconds between a probe's results, at least 60 (default ${SETUP_DEFAULTS.intervalSeconds})
  --create                 create the measurements (otherwise a dry run)
  --atlas-url URL          the RIPE Atlas API origin (default: env GA_STEER_ATLAS_URL, else
                           ${ATLAS_DEFAULTS.baseUrl})

Exit codes: 0 success (dry run or created), 1 error (nothing created).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(
      argv,
      {
        policy: { type: 'string' },
        'anycast-address': { type: 'string', multiple: true },
        probes: { type: 'string' },
        interval: { type: 'string' },
        create: { type: 'boolean' },
        'atlas-url': { type: 'string' },
      },
      true,
    );
    if (positionals[0] !== 'setup' || positionals.length > 1) throw new UsageError(positionals.length === 0 ? 'name a sub-command: setup' : `unknown sub-command "${positionals.join(' ')}" (known: setup)`);
    const { policy, warnings } = await loadPolicyFile(requireOption(values.policy, '--policy'), { use: 'snapshot' });
    io.secrets.protectPolicy(policy);
    for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
    const probes = wholeNumber(values.probes, '--probes', SETUP_DEFAULTS.probes);
    const intervalSeconds = wholeNumber(values.interval, '--interval', SETUP_DEFAULTS.intervalSeconds);
    const plan = planAtlasSetup(policy, { anycastAddresses: values['anycast-address'] ?? [], probes, intervalSeconds });

    // The key is looked up before anything is printed, so a run that cannot create says so at once.
    const keyEnv = policy.signals.ripeAtlas?.apiKeyEnv ?? 'RIPE_ATLAS_KEY';
    const rawKey = io.env[keyEnv];
    const apiKey = rawKey === undefined || rawKey.trim() === '' ? undefined : rawKey.trim();
    if (values.create === true && apiKey === undefined) {
      throw new GaSteerError(`${keyEnv} is not set: creating RIPE Atlas measurements needs an API key with permission to create measurements; nothing was created`);
    }

    io.stdout(renderPlan(policy.name, plan));
    for (const n of plan.notes) io.stderr(`note: ${n}\n`);
    if (values.create !== true) {
      io.stdout(`\nDry run: nothing was created. Run again with --create to create these measurements (uses the key in ${keyEnv}).\n`);
      return EXIT_OK;
    }

    const fromEnv = io.env.GA_STEER_ATLAS_URL;
    const baseUrl = values['atlas-url'] ?? (fromEnv !== undefined && fromEnv !== '' ? fromEnv : ATLAS_DEFAULTS.baseUrl);
    // Creation is not retried by the client (a retry could create twice), except when the connection was refused.
    const client = new AtlasClient({ baseUrl, ...(apiKey !== undefined ? { apiKey } : {}) });
    const host = new URL(baseUrl).host;
    const ids = await callWithDeadline({ service: 'RIPE Atlas', operation: 'POST measurements', target: host }, CREATE_TIMEOUT_MS, (signal) => client.createMeasurement(plan.request, { signal }));
    io.stdout(`\nCreated ${ids.length} measurement(s):\n`);
    plan.measurements.forEach((m, i) => io.stdout(`  ${ids[i] ?? '?'}  ${label(m)}\n`));
    io.stdout(`\nPaste into the policy (replacing signals.ripeAtlas):\n\n${stringify(policySnippet(policy, plan, ids))}`);
    return EXIT_OK;
  },
};

function renderPlan(policyName: string, plan: AtlasSetupPlan): string {
  const lines = [
    `RIPE Atlas measurements for policy ${policyName}: about ${fmt(plan.totalDailyCredits)} credits per day`,
    `(${plan.measurements.length} recurring measurement(s), ${plan.probes} probes each, one result per probe every ${plan.intervalSeconds} s = ${plan.resultsPerProbePerDay} per day)`,
    '',
    'Cost per day = unit cost x probes x results per probe per day:',
  ];
  const width = Math.max(...plan.measurements.map((m) => label(m).length));
  for (const m of plan.measurements) {
    lines.push(`  ${label(m).padEnd(width)}  ${m.unitCost} x ${plan.probes} x ${plan.resultsPerProbePerDay} = ${fmt(m.dailyCredits)}`);
  }
  lines.push(`  ${'total'.padEnd(width)}  ${fmt(plan.totalDailyCredits)} credits per day`, '', 'Request (POST /api/v2/measurements/):', JSON.stringify(plan.request, null, 2), '');
  return lines.join('\n');
}

function label(m: AtlasSetupPlan['measurements'][number]): string {
  return m.role === 'latency' ? `ping ${m.target} (${m.region ?? '?'})` : `dns CHAOS TXT id.server @ ${m.target} (landing)`;
}

function fmt(n: number): string {
  return n.toLocaleString('en-US');
}

function wholeNumber(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} must be a whole number (got "${value}")`);
  return Number(value);
}
