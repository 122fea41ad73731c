// A local server that echoes secrets back in its errors, as careless upstreams do: it quotes the
// Authorization header (AWS access key id, RIPE Atlas key), the session token, the request path and
// query (a webhook's token) and any strings it is told to know, in its error body and its headers.
// It answers in the shape of whoever is asking (AWS JSON, S3 XML, RIPE Atlas or Slack), and can stand
// in front of the emulator, forwarding the AWS calls it is not told to refuse.

import { createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface SecretEchoServer {
  readonly url: string;
  /** Strings quoted in every error besides what the request carried (e.g. a secret key never sent). */
  readonly alsoQuote: string[];
  /** Where AWS calls whose X-Amz-Target `forward` accepts go; the rest are refused with an echo. */
  proxyTo: string | undefined;
  forward: (target: string) => boolean;
  /** Bodies of the POSTs that came without an X-Amz-Target (Slack alerts), as received. */
  readonly posted: string[];
  close(): Promise<void>;
}

export async function startSecretEchoServer(): Promise<SecretEchoServer> {
  const state: SecretEchoServer = {
    url: '',
    alsoQuote: [],
    proxyTo: undefined,
    forward: () => false,
    posted: [],
    close: async () => undefined,
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const target = header(req, 'x-amz-target');
      if (target !== undefined && state.proxyTo !== undefined && state.forward(target)) return forward(state.proxyTo, req, body, res);
      if (target === undefined && req.method === 'POST') state.posted.push(body.toString('utf8'));
      echo(req, res, target, state.alsoQuote);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Everything secret the request carried, and what the server was told to know. */
function quotes(req: IncomingMessage, also: readonly string[]): string {
  return [`authorization: ${header(req, 'authorization') ?? '-'}`, `token: ${header(req, 'x-amz-security-token') ?? '-'}`, `at ${req.method} ${req.url}`, ...also].join('; ');
}

function echo(req: IncomingMessage, res: ServerResponse, target: string | undefined, also: readonly string[]): void {
  const quoted = quotes(req, also);
  const headers = { 'x-echo-authorization': (header(req, 'authorization') ?? '-').replace(/[^\x20-\x7e]/g, '?'), 'x-amzn-requestid': 'echo-request' };
  if (target !== undefined) {
    // AWS JSON (Global Accelerator, CloudWatch): refused, quoting the request.
    const json = target.startsWith('GlobalAccelerator') ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    const text = JSON.stringify({ __type: 'AccessDeniedException', message: `User is not authorized (${quoted})`, Message: `User is not authorized (${quoted})` });
    res.writeHead(403, { ...headers, 'content-type': json, 'x-amzn-errortype': 'AccessDeniedException', 'x-amzn-query-error': 'AccessDenied;Sender' }).end(text);
    return;
  }
  if ((req.url ?? '').startsWith('/api/v2/')) {
    // RIPE Atlas: its documented error body.
    res.writeHead(403, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify({ error: { status: 403, title: 'Forbidden', detail: `Invalid key (${quoted})` } }));
    return;
  }
  if (req.method === 'POST') {
    // A Slack webhook that does not know the token.
    res.writeHead(404, { ...headers, 'content-type': 'text/plain' }).end(`no_team: ${quoted}`);
    return;
  }
  // S3 (GetObject, PutObject) and HTTP feeds: S3's XML error.
  const xml = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>AccessDenied</Code><Message>Access Denied (${quoted.replace(/[<>&]/g, ' ')})</Message><RequestId>echo</RequestId></Error>`;
  res.writeHead(403, { ...headers, 'content-type': 'application/xml' }).end(xml);
}

function forward(to: string, req: IncomingMessage, body: Buffer, res: ServerResponse): void {
  const url = new URL(req.url ?? '/', to);
  const out = request(url, { method: req.method, headers: { ...req.headers, host: url.host } }, (upstream) => {
    res.writeHead(upstream.statusCode ?? 502, upstream.headers);
    upstream.pipe(res);
  });
  out.on('error', () => res.destroy());
  out.end(body);
}
