// Reads the `Date` header of AWS responses (the server's clock) through an SDK middleware, beside the
// cycle's own clock when the response arrived, so a cycle can tell that its clock is off from AWS's.
//
// Why not the SDK's `systemClockOffset`: the SDK keeps it for signing, measured against `Date.now()`,
// not against the Clock the cycle runs on (the simulator's and the campaign's are not `Date.now()`),
// and it shares it silently: signing keeps working with a skewed clock, which is how a slow clock went
// unseen. The middleware sits innermost (deserialize step, low priority): it sees every HTTP answer,
// error statuses included, before the SDK turns it into output or an exception.

import type { DeserializeHandler, DeserializeHandlerArguments, DeserializeHandlerOutput, DeserializeMiddleware, MiddlewareStack } from '@smithy/types';
import type { Clock } from '../../ports/clock.js';
import type { ServerClockLog } from '../../ports/server-clock.js';
import type { ClockReading } from '../../signals/clock-offset.js';

/** Readings kept: far more than one cycle's calls, so a cycle's own are never dropped before it reads them. */
const MAX_READINGS = 512;

export class ServerClockObserver implements ServerClockLog {
  readonly #clock: Clock;
  #readings: { readonly seq: number; readonly reading: ClockReading }[] = [];
  #seq = 0;

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  /** One response's headers; those without a usable `Date`, or served from a cache (`Age`), tell nothing. */
  observe(source: string, headers: Readonly<Record<string, string>>): void {
    const date = headers['date'] ?? headers['Date'];
    if (date === undefined || headers['age'] !== undefined || headers['Age'] !== undefined) return;
    const serverMs = Date.parse(date);
    if (Number.isNaN(serverMs)) return;
    this.#seq += 1;
    this.#readings.push({ seq: this.#seq, reading: { source, serverMs, localMs: this.#clock.now().getTime() } });
    if (this.#readings.length > MAX_READINGS) this.#readings = this.#readings.slice(-MAX_READINGS);
  }

  mark(): number {
    return this.#seq;
  }

  since(mark: number): readonly ClockReading[] {
    return this.#readings.filter((r) => r.seq > mark).map((r) => r.reading);
  }
}

/** Adds the middleware that shows `observer` every response of the client whose stack this is. */
export function watchServerClock<I extends object, O extends object>(stack: MiddlewareStack<I, O>, observer: ServerClockObserver, source: string): void {
  stack.add(serverClockMiddleware<I, O>(observer, source), { step: 'deserialize', priority: 'low', name: 'gaSteerServerClock', override: true });
}

function serverClockMiddleware<I extends object, O extends object>(observer: ServerClockObserver, source: string): DeserializeMiddleware<I, O> {
  return (next: DeserializeHandler<I, O>) =>
    async (args: DeserializeHandlerArguments<I>): Promise<DeserializeHandlerOutput<O>> => {
      const result = await next(args);
      const headers = headersOf(result.response);
      if (headers !== undefined) observer.observe(source, headers);
      return result;
    };
}

/** The response is `unknown` to a middleware: only string-valued headers are taken from it. */
function headersOf(response: unknown): Record<string, string> | undefined {
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const headers: unknown = response.headers;
  if (typeof headers !== 'object' || headers === null) return undefined;
  return Object.fromEntries(Object.entries(headers).filter((e): e is [string, string] => typeof e[1] === 'string'));
}
