// The emulated synthetic probe feed (src/adapters/synthetic/FORMAT.md, JSON Lines): each client
// group's vantages to each Region, every interval over the last `windowSeconds`, with the RTTs and
// loss of the group plans, so a policy's `signals.synthetic` entry can point at the emulator.

import type { HttpRoute } from '../http-server.js';
import { lostPackets, type GroupPlan } from './group-plans.js';

export const SYNTHETIC_FEED_PATH = '/synthetic/latency.jsonl';

export interface SyntheticFeedOptions {
  readonly plans: readonly GroupPlan[];
  readonly intervalSeconds: number;
  readonly windowSeconds: number;
  readonly now: () => number;
}

const SENT = 3;

export function syntheticFeedLines(options: SyntheticFeedOptions): string[] {
  const nowS = Math.floor(options.now() / 1000);
  const interval = options.intervalSeconds;
  const lines: string[] = [];
  for (let k = Math.ceil((nowS - options.windowSeconds) / interval); k * interval <= nowS; k += 1) {
    for (const plan of options.plans) {
      for (const [region, rtts] of plan.rttMs) {
        rtts.forEach((rtt, v) => {
          // Vantages report a little after one another, as independent hosts do.
          const timestamp = k * interval + ((v * 7) % interval);
          if (timestamp > nowS) return;
          const received = SENT - lostPackets(k, plan.lossPercent.get(region) ?? 0, SENT);
          const vantage = `emulator-${plan.clientGroup.toLowerCase()}-${v + 1}`;
          lines.push(JSON.stringify({ timestamp, vantage, clientGroup: plan.clientGroup, region, rttMs: received > 0 ? rtt : null, sent: SENT, received }));
        });
      }
    }
  }
  return lines;
}

export function syntheticFeedRoute(options: SyntheticFeedOptions): HttpRoute {
  return {
    matches: (pathname) => pathname === SYNTHETIC_FEED_PATH,
    handle(req, res) {
      if (req.method !== 'GET') {
        res.writeHead(405).end();
        return;
      }
      const body = `${syntheticFeedLines(options).join('\n')}\n`;
      res.writeHead(200, { 'content-type': 'application/x-ndjson', 'content-length': Buffer.byteLength(body) }).end(body);
    },
  };
}
