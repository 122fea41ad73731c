// A campaign worker process: runs the worlds its parent sends, one at a time, and reports each back.

import { loadWorld } from '../../src/sim/world/load-world.js';
import { generateWorld } from './generate-world.js';
import { runWorld } from './run-world.js';
import { toWorkerSchema, type FromWorker } from './worker-messages.js';

const world = loadWorld();

function send(message: FromWorker): void {
  process.send?.(message);
}

process.on('message', (raw: unknown) => {
  const parsed = toWorkerSchema.safeParse(raw);
  if (!parsed.success) {
    process.stderr.write(`worlds worker: unexpected message ${JSON.stringify(raw)}\n`);
    return;
  }
  const message = parsed.data;
  if (message.kind === 'stop') {
    process.disconnect();
    return;
  }
  const { seed, intervalSeconds } = message;
  runWorld(world, generateWorld(seed, world, undefined, intervalSeconds), (controller) => send({ kind: 'progress', seed, controller }))
    .then((result) => send({ kind: 'done', seed, result }))
    .catch((err: unknown) => send({ kind: 'failed', seed, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) }));
});
