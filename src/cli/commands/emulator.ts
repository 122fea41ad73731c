// `ga-steer emulator`: a local stand-in for everything a live cycle reads, seeded from a snapshot:
// Global Accelerator and CloudWatch (the AWS SDK and CLI talk to them unchanged), and, following the
// snapshot's latency and landing, a RIPE Atlas API and a synthetic feed. It prints the plan command
// that reads all of them.

import { readTextFile, loadPolicyFile, loadSnapshotFile } from '../../app/input-files.js';
import { startEmulator } from '../../emulator/emulator.js';
import { faultPlanSchema } from '../../emulator/faults.js';
import { MetricFeeder, metricSeedsOf } from '../../emulator/seed-metrics.js';
import { countryLocator } from '../../emulator/signals/country-locations.js';
import { loadWorld } from '../../sim/world/load-world.js';
import { parseCommandArgs, requireOption, UsageError } from '../args.js';
import { EXIT_OK, type Command } from '../command.js';

export const emulatorCommand: Command = {
  name: 'emulator',
  summary: 'Run a local Global Accelerator, CloudWatch, RIPE Atlas API and probe feed for plan and apply',
  help: `Usage: ga-steer emulator --snapshot FILE [--policy FILE] [options]

Starts an HTTP server on loopback that stands in for everything a live cycle reads, seeded from a
snapshot:
  - Global Accelerator (awsJson1_1) with the snapshot's accelerator, listeners, endpoint groups and
    endpoints, validating requests as the service does;
  - CloudWatch (awsJson1_0 query-compatible, as current SDKs send it, and awsQuery with XML answers,
    as the AWS CLI v2 and older SDKs send it). With --policy, the snapshot's load is published under
    the metrics the policy's load queries read, and its demand under GA's NewFlowCount by
    SourceRegion, every minute;
  - with --policy, a RIPE Atlas API (/api/v2/) serving the policy's measurements: pings from probes
    in the snapshot's client groups to each Region target, with the snapshot's RTTs, and CHAOS TXT
    id.server answers (DNS wire data) matching the policy's landing rules in the snapshot's landing
    shares; new results every 5 minutes of the emulator's clock;
  - a synthetic probe feed (JSON Lines) at /synthetic/latency.jsonl with the same RTTs.
Runs until interrupted (Ctrl-C). It prints the plan command that reads all of it.

Point ga-steer, any AWS SDK or the AWS CLI v2 at it:
  ga-steer plan --policy FILE --endpoint-url http://127.0.0.1:4590 --atlas-url http://127.0.0.1:4590
  AWS_ENDPOINT_URL=http://127.0.0.1:4590 ga-steer apply --policy FILE --state state.json --atlas-url http://127.0.0.1:4590
  aws --endpoint-url http://127.0.0.1:4590 --region eu-central-1 cloudwatch list-metrics

Options:
  --snapshot FILE        topology (and load, with --policy) to seed from
  --policy FILE          publish the snapshot's load and demand as that policy's metrics
  --port N               default 4590; 0 picks a free port
  --host ADDR            default 127.0.0.1
  --deploy-delay-ms N    how long a change keeps the accelerator IN_PROGRESS (default 2000)
  --faults FILE          fault rules (JSON: {"faults": [{"operation", "kind", "times", "after",
                         "delayMs", "edit"}]}); kinds: throttle, server-error, latency,
                         disconnect, hang, drop-response, stall-body, trickle, concurrent-edit.
                         More can be POSTed to /_emulator/faults.
  --log                  print every call

Exit codes: 0 after an interrupt, 1 error (bad input names the file and place).`,
  async run(argv, io) {
    const { values } = parseCommandArgs(argv, {
      snapshot: { type: 'string' },
      policy: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      'deploy-delay-ms': { type: 'string' },
      faults: { type: 'string' },
      log: { type: 'boolean' },
    });
    const snapshot = await loadSnapshotFile(requireOption(values.snapshot, '--snapshot'));
    const policy = values.policy !== undefined ? (await loadPolicyFile(values.policy, { use: 'snapshot' })).policy : undefined;
    const port = integerOption(values.port, '--port', 4590);
    const deployDelayMs = integerOption(values['deploy-delay-ms'], '--deploy-delay-ms', 2000);
    let faultRules: ReturnType<typeof faultPlanSchema.parse>['faults'] = [];
    if (values.faults !== undefined) {
      const file = values.faults;
      let data: unknown;
      try {
        data = JSON.parse(await readTextFile(file, 'fault plan'));
      } catch (e) {
        if (e instanceof SyntaxError) throw new UsageError(`${file}: not valid JSON: ${e.message}`);
        throw e;
      }
      const parsed = faultPlanSchema.safeParse(data);
      if (!parsed.success) throw new UsageError(`${file}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      faultRules = parsed.data.faults;
    }

    const emulator = await startEmulator({
      topology: snapshot.accelerators,
      port,
      deployDelayMs,
      signals: { snapshot, ...(policy !== undefined ? { policy } : {}), locate: countryLocator(loadWorld()) },
      ...(values.host !== undefined ? { host: values.host } : {}),
      ...(values.log === true ? { log: (line: string) => io.stderr(`${line}\n`) } : {}),
    });
    for (const rule of faultRules) emulator.faults.add(rule);
    let feeder: MetricFeeder | undefined;
    let timer: NodeJS.Timeout | undefined;
    if (policy !== undefined) {
      const { seeds, skipped } = metricSeedsOf(snapshot, policy);
      for (const s of skipped) io.stderr(`not seeded: ${s}\n`);
      feeder = new MetricFeeder(emulator.metrics, seeds);
      feeder.tick(Date.now());
      timer = setInterval(() => feeder?.tick(Date.now()), 10_000);
    }
    const signals = emulator.signals;
    for (const p of signals?.problems ?? []) io.stderr(`not emulated: ${p}\n`);
    const groups = snapshot.accelerators.flatMap((a) => a.listeners.flatMap((l) => l.endpointGroups)).length;
    const measurements = signals?.measurements.map((m) => `${m.id} (${m.type})`).join(', ') ?? '';
    const atlasLine =
      measurements === ''
        ? "  RIPE Atlas API: no measurements (pass --policy with signals.ripeAtlas measurements)\n"
        : `  RIPE Atlas API: ${emulator.url}/api/v2/ measurements ${measurements}, ${signals?.probeCount ?? 0} probes in ${signals?.clientGroupCount ?? 0} client groups\n`;
    io.stdout(
      `ga-steer emulator listening on ${emulator.url}\n` +
        `  Global Accelerator: ${snapshot.accelerators.length} accelerator(s), ${groups} endpoint group(s)\n` +
        `  CloudWatch: ${policy !== undefined ? 'load and demand published every minute' : 'empty (pass --policy to publish the snapshot\'s load)'}\n` +
        atlasLine +
        `  Synthetic feed: ${emulator.url}${signals?.syntheticFeedPath ?? ''}\n` +
        `  export AWS_ENDPOINT_URL=${emulator.url} GA_STEER_ATLAS_URL=${emulator.url}\n` +
        (values.policy !== undefined ? `Plan against it:\n  ga-steer plan --policy ${values.policy} --endpoint-url ${emulator.url} --atlas-url ${emulator.url}\n` : ''),
    );
    await new Promise<void>((resolve) => {
      if (io.signal === undefined || io.signal.aborted) return resolve();
      io.signal.addEventListener('abort', () => resolve(), { once: true });
    });
    if (timer !== undefined) clearInterval(timer);
    await emulator.close();
    io.stdout('ga-steer emulator stopped\n');
    return EXIT_OK;
  },
};

function integerOption(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new UsageError(`${flag} must be a whole number (got "${value}")`);
  return n;
}
