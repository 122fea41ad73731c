// Runs a cycle each time a cron schedule fires, never two at once, until stopped. node-cron only says
// when; the guard here decides whether a tick runs, so stopping can wait for the cycle in flight.

import cron, { type ScheduledTask } from 'node-cron';

export class InvalidScheduleError extends Error {
  override readonly name = 'InvalidScheduleError';
  constructor(
    readonly expression: string,
    readonly problems: readonly string[],
  ) {
    super(`"${expression}" is not a valid cron expression: ${problems.join('; ')}`);
  }
}

/** Throws InvalidScheduleError naming each bad field. */
export function checkSchedule(expression: string): void {
  const result = cron.validateDetailed(expression);
  if (!result.valid) throw new InvalidScheduleError(expression, result.errors.map((e) => (e.field === 'expression' ? e.message : `${e.field}: ${e.message}`)));
}

export interface CycleScheduleOptions {
  readonly expression: string;
  /** One cycle; must not reject (a rejection is reported through `onError` and the schedule goes on). */
  readonly cycle: () => Promise<unknown>;
  /** A tick came while a cycle was still running; it was skipped. */
  readonly onSkippedTick: (at: Date) => void;
  readonly onError: (message: string) => void;
}

export class CycleSchedule {
  readonly #options: CycleScheduleOptions;
  #task: ScheduledTask | undefined;
  #inFlight: Promise<void> | undefined;
  #stopped = false;

  constructor(options: CycleScheduleOptions) {
    checkSchedule(options.expression);
    this.#options = options;
  }

  start(): void {
    if (this.#task !== undefined || this.#stopped) return;
    // UTC: a sub-hourly schedule in a zone with daylight saving pauses during the repeated hour.
    this.#task = cron.schedule(this.#options.expression, () => this.#tick(), {
      name: 'ga-steer-run',
      timezone: 'UTC',
      logger: {
        info: () => undefined,
        debug: () => undefined,
        warn: (message) => this.#options.onError(`schedule: ${message}`),
        error: (message) => this.#options.onError(`schedule: ${String(message)}`),
      },
    });
  }

  nextRun(): Date | null {
    return this.#task?.getNextRun() ?? null;
  }

  /** No new cycle starts; resolves once the cycle in flight, if any, has finished. */
  async stop(): Promise<void> {
    this.#stopped = true;
    const task = this.#task;
    this.#task = undefined;
    if (task !== undefined) await task.destroy();
    await this.#inFlight;
  }

  #tick(): void {
    if (this.#stopped) return;
    if (this.#inFlight !== undefined) {
      this.#options.onSkippedTick(new Date());
      return;
    }
    this.#inFlight = this.#options
      .cycle()
      .then(
        () => undefined,
        (e: unknown) => this.#options.onError(`cycle: ${e instanceof Error ? e.message : String(e)}`),
      )
      .finally(() => {
        this.#inFlight = undefined;
      });
  }
}
