// `--state` for the commands that read or change the stored state: a file path, `s3://BUCKET/KEY`, or
// `dynamodb://TABLE` (the Lambda's table; the item is keyed by the accelerator's ARN). Endpoints and
// Region from the usual AWS variables (AWS_ENDPOINT_URL_S3, AWS_ENDPOINT_URL_DYNAMODB, AWS_REGION).

import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { DynamoDbStateStore } from '../adapters/state/dynamodb-state-store.js';
import { FileStateStore } from '../adapters/state/file-state-store.js';
import { S3StateStore } from '../adapters/state/s3-state-store.js';
import { awsClientOptions } from '../app/live-wiring.js';
import type { StateStore } from '../ports/state-store.js';
import { UsageError } from './args.js';

export interface OpenedStore {
  readonly store: StateStore;
  close(): void;
}

export function openStateStore(location: string, acceleratorArn: string, env: Readonly<Record<string, string | undefined>>): OpenedStore {
  const region = env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-west-2';
  const dynamo = /^dynamodb:\/\/([A-Za-z0-9_.-]{3,255})\/?$/.exec(location);
  if (dynamo?.[1] !== undefined) {
    const endpoint = env.AWS_ENDPOINT_URL_DYNAMODB ?? env.AWS_ENDPOINT_URL;
    const client = new DynamoDBClient({ region, maxAttempts: 1, ...clientOptions(endpoint, env) });
    return { store: new DynamoDbStateStore(client, dynamo[1], acceleratorArn), close: () => client.destroy() };
  }
  if (location.startsWith('dynamodb:')) throw new UsageError(`--state ${location}: expected dynamodb://TABLE (3-255 of A-Z a-z 0-9 _ . -)`);
  const s3 = /^s3:\/\/([a-z0-9.-]{3,63})\/(.+)$/.exec(location);
  if (s3?.[1] !== undefined && s3[2] !== undefined) {
    const endpoint = env.AWS_ENDPOINT_URL_S3 ?? env.AWS_ENDPOINT_URL;
    const client = new S3Client({ region, maxAttempts: 1, ...(endpoint !== undefined ? { forcePathStyle: true } : {}), ...clientOptions(endpoint, env) });
    return { store: new S3StateStore(client, s3[1], s3[2]), close: () => client.destroy() };
  }
  if (location.startsWith('s3:')) throw new UsageError(`--state ${location}: expected s3://BUCKET/KEY`);
  return { store: new FileStateStore(location), close: () => undefined };
}

function clientOptions(endpoint: string | undefined, env: Readonly<Record<string, string | undefined>>): { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string } } {
  if (endpoint === undefined) return {};
  const { credentials } = awsClientOptions({ endpointUrl: endpoint, env });
  return { endpoint, ...(credentials !== undefined ? { credentials } : {}) };
}
