// Sends alerts to a Slack incoming webhook with undici. Bounded: one deadline for the whole
// notification (both attempts, bodies included, so a webhook that trickles its answer cannot hold the
// cycle) and one retry on 429/5xx or a connection failure. A 429 is retried after its Retry-After when
// that fits in the notification's time; a longer wait gives up at once (the next cycle posts again).

import { request } from '../http/undici-request.js';
import type { Alert, Notifier } from '../../ports/notifier.js';
import { openCallScope, type CallScope } from '../deadline/call-deadline.js';
import { DeadlineExceededError } from '../deadline/errors.js';
import { SlackError, SlackWebhookRejected } from './errors.js';
import { formatSlackAlert } from './format-alert.js';

export interface SlackNotifierOptions {
  /** The webhook URL: a secret, read from the environment variable the policy names. */
  readonly webhookUrl: string;
  readonly channel?: string;
  /** The whole notification's deadline (default 10 s); the cycle's applies too. */
  readonly timeoutMs?: number;
  readonly retryDelayMs?: number;
  /** Applied to the message before it leaves: secrets quoted in plan or report texts are hidden. */
  readonly redact?: (text: string) => string;
}

export class SlackNotifier implements Notifier {
  // Private fields: the secret URL shows neither in JSON nor in util.inspect output.
  readonly #url: string;
  readonly #channel: string | undefined;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  readonly #redact: (text: string) => string;
  constructor(options: SlackNotifierOptions) {
    this.#url = options.webhookUrl;
    this.#channel = options.channel;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
    this.#redact = options.redact ?? ((text) => text);
  }

  async notify(alert: Alert): Promise<void> {
    const body = this.#redact(JSON.stringify(formatSlackAlert(alert, this.#channel)));
    // The host only: the path of a webhook URL is its secret.
    const scope = openCallScope({ service: 'Slack', operation: 'POST webhook', target: hostOf(this.#url) }, this.#timeoutMs);
    try {
      await this.#send(body, scope);
    } catch (e) {
      throw scope.ranOut() ?? e;
    } finally {
      scope.end();
    }
  }

  async #send(body: string, scope: CallScope): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      let retryAfterMs: number | undefined;
      try {
        const res = await request(this.#url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: scope.signal });
        status = res.statusCode;
        retryAfterMs = retryAfterMsOf(res.headers['retry-after']);
        text = await res.body.text();
      } catch (e) {
        const ranOut = scope.ranOut();
        if (ranOut !== undefined) throw ranOut;
        // undici's errors can carry the URL; keep only the code.
        const code = (e as { code?: string }).code ?? (e as Error).name;
        if (attempt < 2) {
          await sleep(this.#retryDelayMs, scope.signal);
          continue;
        }
        throw new SlackError(`cannot reach the Slack webhook (${code})`);
      }
      if (status >= 200 && status < 300) return;
      const waitMs = status === 429 && retryAfterMs !== undefined ? retryAfterMs : this.#retryDelayMs;
      if ((status === 429 || status >= 500) && attempt < 2 && waitMs <= this.#timeoutMs / 2) {
        await sleep(waitMs, scope.signal);
        continue;
      }
      // Hidden before the body is cut short, so no part of a secret survives the cut.
      throw new SlackWebhookRejected(status, this.#redact(text));
    }
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'SlackNotifier', channel: this.#channel ?? null, webhookUrl: '[redacted]' };
  }
}

/** Retry-After in seconds (Slack sends seconds), as milliseconds; undefined when absent or not a number. */
function retryAfterMsOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim()) * 1000;
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'webhook';
  }
}

/** Waits, or rejects with the deadline's error as soon as it passes. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as DeadlineExceededError);
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal.reason as DeadlineExceededError);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
