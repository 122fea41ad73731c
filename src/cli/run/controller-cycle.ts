// One cycle of `ga-steer run`: re-read the policy, wire the live adapters, run the control cycle under
// its deadline, close the clients, and turn whatever happened into one log line and a health record.
// It never throws: a failed cycle is reported and the next tick tries again.

import { CycleDeadline } from '../../adapters/deadline/cycle-deadline.js';
import { CycleDeadlineError, DeadlineExceededError } from '../../adapters/deadline/errors.js';
import { AlertMemoryCaches } from '../../app/alert-delivery.js';
import { runControlCycle, type CycleMode } from '../../app/control-cycle.js';
import { FileReadError, InputFileError } from '../../app/errors.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { wireLive } from '../../app/live-wiring.js';
import { formatIssue, type PolicyIssue } from '../../policy/issues.js';
import type { Policy } from '../../policy/schema.js';
import { systemClock, type Clock } from '../../ports/clock.js';
import { completedCycleLine, failedCycleLine, policyInvalidLine, type CycleLogLine, type CycleStart } from './cycle-log.js';
import type { SecretRedactor } from '../../app/redact.js';
import type { RanOutCall } from '../../ports/ran-out-call.js';
import { HealthTracker, writeHealthFile } from './health-file.js';

export interface ControllerSettings {
  readonly policyFile: string;
  readonly stateFile: string;
  readonly mode: CycleMode;
  readonly endpointUrl?: string;
  readonly atlasUrl?: string;
  readonly healthFile?: string;
  readonly deployTimeoutMs: number;
  /** How long the accelerator's lease lasts unless renewed (default DEFAULT_LEASE_TTL_MS). */
  readonly leaseTtlMs?: number;
  /** Each cycle's deadline. */
  readonly cycleTimeoutMs: number;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The cycle's JSON line (secrets hidden by the writer). */
  readonly stdout: (line: string) => void;
  /** Human-readable warnings and problems (secrets hidden by the writer). */
  readonly stderr: (line: string) => void;
  /** The process's one redactor: learns the secrets each policy names; hides them in the health file. */
  readonly secrets: SecretRedactor;
  readonly clock?: Clock;
}

export class ControllerCycle {
  readonly #settings: ControllerSettings;
  readonly #clock: Clock;
  readonly #health = new HealthTracker();
  #lastPolicyName: string | null = null;
  /** Per accelerator: what the alerts said, for cycles that cannot read the store (see AlertMemoryCache). */
  readonly #alertCaches = new AlertMemoryCaches();
  #lastWarnings = '';

  constructor(settings: ControllerSettings) {
    this.#settings = settings;
    this.#clock = settings.clock ?? systemClock;
  }

  /** Runs one cycle and reports it; resolves with the line it printed. */
  async run(): Promise<CycleLogLine> {
    const s = this.#settings;
    const start: CycleStart = { startedAt: this.#clock.now(), policyFile: s.policyFile, mode: s.mode };
    const line = await this.#cycle(start);
    // The health file first: once the line is out, a reader of either sees the same cycle.
    if (s.healthFile !== undefined) {
      try {
        await writeHealthFile(s.healthFile, this.#health.record(line.outcome, this.#clock.now()), s.secrets.redact);
      } catch (e) {
        this.#warn(`health file ${s.healthFile}: ${errorText(e)}`);
      }
    }
    s.stdout(JSON.stringify(line));
    return line;
  }

  async #cycle(start: CycleStart): Promise<CycleLogLine> {
    const s = this.#settings;
    let policy: Policy;
    try {
      const loaded = await loadPolicyFile(s.policyFile, { use: 'live' });
      policy = loaded.policy;
      // Every secret any policy seen so far named stays hidden.
      s.secrets.protectPolicy(policy);
      this.#reportWarnings(loaded.warnings);
    } catch (e) {
      const issues = policyIssuesOf(e);
      if (issues === undefined) return failedCycleLine(start, this.#lastPolicyName, errorText(e), this.#clock.now());
      // Never fall back to the last good policy: an edit in progress must not be half-applied.
      for (const issue of issues) this.#warn(`policy invalid, holding: ${issue}`);
      this.#lastWarnings = '';
      return policyInvalidLine(start, issues, this.#clock.now());
    }
    this.#lastPolicyName = policy.name;

    const deadline = CycleDeadline.start(s.cycleTimeoutMs);
    try {
      const wiring = wireLive(policy, {
        reuseSources: true,
        ...(s.endpointUrl !== undefined ? { endpointUrl: s.endpointUrl } : {}),
        ...(s.atlasUrl !== undefined ? { atlasBaseUrl: s.atlasUrl } : {}),
        env: s.env,
        stateFile: s.stateFile,
        notify: true,
        log: (l) => this.#warn(l),
        redact: s.secrets.redact,
        clock: this.#clock,
        deployTimeoutMs: s.deployTimeoutMs,
        ...(s.leaseTtlMs !== undefined ? { lease: { ttlMs: s.leaseTtlMs } } : {}),
        pollIntervalMs: 1000,
      });
      try {
        const result = await runControlCycle(wiring.deps, policy, s.mode, { deadline, alertCache: this.#alertCaches.for(policy.accelerator.arn) });
        return completedCycleLine(start, policy.name, result, this.#clock.now());
      } finally {
        wiring.close();
      }
    } catch (e) {
      this.#warn(`cycle failed: ${errorText(e)}`);
      return failedCycleLine(start, policy.name, errorText(e), this.#clock.now(), deadlineStop(e));
    } finally {
      deadline.dispose();
    }
  }

  /** Policy warnings are printed when they change, not every cycle. */
  #reportWarnings(warnings: readonly PolicyIssue[]): void {
    const text = warnings.map(formatIssue).join('\n');
    if (text === this.#lastWarnings) return;
    this.#lastWarnings = text;
    for (const w of warnings) this.#warn(formatIssue(w));
  }

  #warn(line: string): void {
    this.#settings.stderr(line);
  }
}

/** Issues of an unusable policy file, `file:line:col path: message`; undefined for any other error. */
function policyIssuesOf(e: unknown): string[] | undefined {
  if (e instanceof InputFileError) {
    const errors = e.issues.filter((i) => i.severity === 'error').map(formatIssue);
    return errors.length > 0 ? errors : [e.message];
  }
  if (e instanceof FileReadError) return [e.message];
  return undefined;
}

/** Whether the cycle's deadline stopped it, and at which call. */
function deadlineStop(e: unknown): { ranOut: RanOutCall | undefined } | undefined {
  if (e instanceof CycleDeadlineError) return { ranOut: e.ranOut };
  if (e instanceof DeadlineExceededError && e.limit === 'cycle') return { ranOut: e.toRanOutCall() };
  return undefined;
}

function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
