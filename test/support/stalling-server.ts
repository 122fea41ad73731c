// A local HTTP server that misbehaves the three ways that hang a client without deadlines: it accepts
// the connection and never answers, answers the headers and then stalls, or trickles its body one byte
// at a time (each byte well within any idle timeout). It records when each connection closes, so a
// test can tell that the client really hung up rather than walked away leaving the socket open.

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export type StallMode = 'never-answer' | 'headers-then-stall' | 'trickle';

export interface StallingServer {
  readonly url: string;
  readonly host: string;
  mode: StallMode;
  /** Requests received, in order (`target`: the AWS JSON protocols' X-Amz-Target, when sent). */
  readonly requests: { method: string; path: string; target?: string; at: number }[];
  /** When each connection was closed (by either side), in ms since the epoch. */
  readonly closedAt: number[];
  close(): Promise<void>;
}

export async function startStallingServer(mode: StallMode, options: { status?: number; contentType?: string; byteEveryMs?: number } = {}): Promise<StallingServer> {
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const state = { mode };
  const requests: StallingServer['requests'] = [];
  const closedAt: number[] = [];
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    requests.push({ method: req.method ?? '', path: req.url ?? '', ...(typeof target === 'string' ? { target } : {}), at: Date.now() });
    req.resume();
    if (state.mode === 'never-answer') return;
    res.writeHead(options.status ?? 200, { 'content-type': options.contentType ?? 'application/json', 'content-length': '1000000' });
    res.flushHeaders();
    if (state.mode === 'headers-then-stall') {
      res.write('{');
      return;
    }
    // Whitespace keeps any JSON parser waiting for more.
    res.write('{');
    const timer = setInterval(() => {
      if (res.destroyed) return clearInterval(timer);
      res.write(' ');
    }, options.byteEveryMs ?? 50);
    timers.add(timer);
    res.on('close', () => clearInterval(timer));
  });
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => {
      sockets.delete(socket);
      closedAt.push(Date.now());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    get mode() {
      return state.mode;
    },
    set mode(m: StallMode) {
      state.mode = m;
    },
    requests,
    closedAt,
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearInterval(t);
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
