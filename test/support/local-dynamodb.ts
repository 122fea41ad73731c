// A local DynamoDB on loopback (dynalite, in memory) with the state table created, and a real
// @aws-sdk/client-dynamodb client pointed at it. It records the operations called, can lose the
// answers to UpdateItem calls it has carried out, and can leave GetItem calls unanswered.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TEST_CREDENTIALS } from './emulator.js';

export interface LocalDynamoDb {
  readonly url: string;
  readonly client: DynamoDBClient;
  createTable(name: string): Promise<void>;
  /** X-Amz-Target of every request, in order (`DynamoDB_20120810.UpdateItem`). */
  readonly targets: string[];
  /** The next N UpdateItem calls are carried out, then their connection is cut before the answer. */
  cutUpdateResponses: number;
  /** The next N GetItem calls are read and never answered: the connection stays open until the caller gives up. */
  stallGetItems: number;
  close(): Promise<void>;
}

export async function startLocalDynamoDb(): Promise<LocalDynamoDb> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  // Node closes idle keep-alive connections after 5 s, and a client reusing one then reads ECONNRESET;
  // DynamoDB keeps them open far longer.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ region: 'us-west-2', endpoint: url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  const handlers = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') local.targets.push(target);
    if (local.stallGetItems > 0 && target === 'DynamoDB_20120810.GetItem') {
      local.stallGetItems -= 1;
      req.resume();
      return;
    }
    if (local.cutUpdateResponses > 0 && target === 'DynamoDB_20120810.UpdateItem') {
      local.cutUpdateResponses -= 1;
      // Carried out as usual; then the connection is cut instead of the answer: a lost response.
      res.end = (() => {
        req.socket.destroy();
        return res;
      }) as typeof res.end;
    }
    for (const handle of handlers) handle.call(server, req, res);
  });
  const local: LocalDynamoDb = {
    url,
    client,
    targets: [],
    cutUpdateResponses: 0,
    stallGetItems: 0,
    async createTable(name) {
      // As serverless.yml declares it: a string partition key `id`, on demand.
      await client.send(
        new CreateTableCommand({
          TableName: name,
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          BillingMode: 'PAY_PER_REQUEST',
        }),
      );
    },
    async close() {
      client.destroy();
      // Clients elsewhere (a warm Lambda's) keep idle connections open: cut them, or close waits.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return local;
}
