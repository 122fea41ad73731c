// A local Slack incoming-webhook receiver: checks the payload as Slack does (slack-payload.ts: text and
// Block Kit limits) and answers like Slack: 200 "ok"; 400 "invalid_payload", "invalid_blocks" or
// "no_text"; 404 "no_service" for a path that is not the webhook's; 429 "rate_limited" with Retry-After
// and 5xx when told to (`failures`).

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkPayload } from './slack-payload.js';

export interface ReceivedMessage {
  readonly path: string;
  readonly body: { text: string; blocks?: { type: string; text?: { text: string } }[]; channel?: string };
}

export interface RejectedMessage {
  readonly status: number;
  readonly answer: string;
  readonly why: string;
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedMessage[];
  readonly rejected: RejectedMessage[];
  /** Status codes to answer with before answering normally (429 comes with `Retry-After: retryAfterSeconds`). */
  readonly failures: number[];
  retryAfterSeconds: number;
  close(): Promise<void>;
}

const WEBHOOK_PATH = '/hook/local-test/localsecretlocalsecret';

/** `path`: the webhook's secret path (Slack's are /services/T.../B.../TOKEN). */
export async function startWebhookReceiver(path: string = WEBHOOK_PATH): Promise<WebhookReceiver> {
  const received: ReceivedMessage[] = [];
  const rejected: RejectedMessage[] = [];
  const failures: number[] = [];
  const receiver = { retryAfterSeconds: 1 };
  const answer = (res: import('node:http').ServerResponse, status: number, text: string, why: string, headers: Record<string, string> = {}): void => {
    if (status !== 200) rejected.push({ status, answer: text, why });
    res.writeHead(status, { 'content-type': 'text/plain', ...headers }).end(text);
  };
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const failure = failures.shift();
      if (failure !== undefined) {
        if (failure === 429) return answer(res, 429, 'rate_limited', 'told to', { 'retry-after': String(receiver.retryAfterSeconds) });
        return answer(res, failure, failure === 404 ? 'no_service' : 'internal_error', 'told to');
      }
      if (req.url !== path) return answer(res, 404, 'no_service', `unknown path ${req.url ?? ''}`);
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) return answer(res, 400, 'invalid_payload', 'not a JSON POST');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        return answer(res, 400, 'invalid_payload', 'not JSON');
      }
      const verdict = checkPayload(body);
      if (!verdict.ok) return answer(res, 400, verdict.error, verdict.why);
      received.push({ path: req.url, body: body as ReceivedMessage['body'] });
      res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(receiver, {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    rejected,
    failures,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
