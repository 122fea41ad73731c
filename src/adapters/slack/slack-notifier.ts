// Sends alerts to a Slack incoming webhook with undici. Bounded: a timeout and one retry on 429/5xx.

import { request } from 'undici';
import type { Alert, Notifier } from '../../ports/notifier.js';
import { SlackError, SlackWebhookRejected } from './errors.js';
import { formatSlackAlert } from './format-alert.js';

export interface SlackNotifierOptions {
  /** The webhook URL: a secret, read from the environment variable the policy names. */
  readonly webhookUrl: string;
  readonly channel?: string;
  readonly timeoutMs?: number;
  readonly retryDelayMs?: number;
}

export class SlackNotifier implements Notifier {
  // Private fields: the secret URL shows neither in JSON nor in util.inspect output.
  readonly #url: string;
  readonly #channel: string | undefined;
  readonly #timeoutMs: number;
  readonly #retryDelayMs: number;
  constructor(options: SlackNotifierOptions) {
    this.#url = options.webhookUrl;
    this.#channel = options.channel;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    this.#retryDelayMs = options.retryDelayMs ?? 1000;
  }

  async notify(alert: Alert): Promise<void> {
    const body = JSON.stringify(formatSlackAlert(alert, this.#channel));
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      try {
        const res = await request(this.#url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body,
          headersTimeout: this.#timeoutMs,
          bodyTimeout: this.#timeoutMs,
        });
        status = res.statusCode;
        text = await res.body.text();
      } catch (e) {
        // undici's errors can carry the URL; keep only the code.
        const code = (e as { code?: string }).code ?? (e as Error).name;
        if (attempt < 2) {
          await sleep(this.#retryDelayMs);
          continue;
        }
        throw new SlackError(`cannot reach the Slack webhook (${code})`);
      }
      if (status >= 200 && status < 300) return;
      if ((status === 429 || status >= 500) && attempt < 2) {
        await sleep(this.#retryDelayMs);
        continue;
      }
      throw new SlackWebhookRejected(status, text);
    }
  }

  toJSON(): Record<string, unknown> {
    return { kind: 'SlackNotifier', channel: this.#channel ?? null, webhookUrl: '[redacted]' };
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
