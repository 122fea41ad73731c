// A local Slack incoming-webhook receiver: checks the payload as Slack does (JSON with `text`, and
// `blocks` of known types) and answers like Slack ("ok", or 400 "invalid_payload").

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedMessage {
  readonly path: string;
  readonly body: { text: string; blocks?: { type: string }[]; channel?: string };
}

export interface WebhookReceiver {
  readonly url: string;
  readonly received: ReceivedMessage[];
  /** Status codes to answer with before answering normally. */
  readonly failures: number[];
  close(): Promise<void>;
}

const BLOCK_TYPES = new Set(['section', 'context', 'divider', 'header', 'actions']);

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const received: ReceivedMessage[] = [];
  const failures: number[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString('utf8')));
    req.on('end', () => {
      const failure = failures.shift();
      if (failure !== undefined) {
        res.writeHead(failure, { 'content-type': 'text/plain' }).end(failure === 429 ? 'rate_limited' : 'internal_error');
        return;
      }
      if (req.method !== 'POST' || !(req.headers['content-type'] ?? '').startsWith('application/json')) {
        res.writeHead(400).end('invalid_payload');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        res.writeHead(400).end('invalid_payload');
        return;
      }
      const b = body as ReceivedMessage['body'];
      const blocksOk = b.blocks === undefined || (Array.isArray(b.blocks) && b.blocks.length <= 50 && b.blocks.every((x) => BLOCK_TYPES.has(x.type)));
      if (typeof b.text !== 'string' || b.text.length === 0 || !blocksOk) {
        res.writeHead(400).end('invalid_blocks');
        return;
      }
      received.push({ path: req.url ?? '', body: b });
      res.writeHead(200, { 'content-type': 'text/html' }).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook/local-test/localsecretlocalsecret`,
    received,
    failures,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
