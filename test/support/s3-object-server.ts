// A local HTTP server answering S3 GetObject the way S3 does for path-style requests (GET /bucket/key):
// the object's bytes with S3's headers, or S3's XML errors (NoSuchKey, NoSuchBucket, AccessDenied).
// It checks that requests are SigV4-signed with the expected access key, as S3 would refuse them otherwise.

import { randomBytes, createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface S3Request {
  readonly method: string;
  readonly bucket: string;
  readonly key: string;
  readonly region: string;
}

export interface S3ObjectServer {
  /** Endpoint to give the S3 client (with forcePathStyle). */
  readonly endpoint: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** Objects by bucket, then key. A bucket must exist here to be found. */
  readonly buckets: Map<string, Map<string, string | Uint8Array>>;
  /** Keys (bucket/key) that answer headers and then never send the body; or never answer at all. */
  readonly stallBody: Set<string>;
  readonly stallHeaders: Set<string>;
  readonly requests: S3Request[];
  put(bucket: string, key: string, body: string | Uint8Array): void;
  close(): Promise<void>;
}

const CREDENTIAL = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([a-z0-9-]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=[0-9a-f]{64}$/;

export async function startS3ObjectServer(): Promise<S3ObjectServer> {
  const accessKeyId = 'local-test-access-key-id';
  const secretAccessKey = 'local-test-secret-not-a-real-key';
  const buckets = new Map<string, Map<string, string | Uint8Array>>();
  const stallBody = new Set<string>();
  const stallHeaders = new Set<string>();
  const requests: S3Request[] = [];
  const open = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    open.add(res);
    res.on('close', () => open.delete(res));
    handle(req, res);
  });

  function handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const [bucketPart = '', ...keyParts] = url.pathname.slice(1).split('/');
    const bucket = decodeURIComponent(bucketPart);
    const key = keyParts.map(decodeURIComponent).join('/');
    const auth = CREDENTIAL.exec(req.headers.authorization ?? '');
    const signed = auth?.[4]?.split(';') ?? [];
    if (auth === null || !signed.includes('host') || !signed.includes('x-amz-date') || req.headers['x-amz-date'] === undefined || req.headers['x-amz-content-sha256'] === undefined) {
      return error(res, 403, 'AccessDenied', 'Access Denied', url.pathname);
    }
    if (auth[1] !== accessKeyId) return error(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', url.pathname);
    requests.push({ method: req.method ?? '', bucket, key, region: auth[3] ?? '' });
    if (req.method !== 'GET' && req.method !== 'HEAD') return error(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', url.pathname);
    if (bucket === '' || key === '') return error(res, 400, 'InvalidRequest', 'This server only answers path-style GetObject.', url.pathname);
    const objects = buckets.get(bucket);
    if (objects === undefined) return error(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', url.pathname, `<BucketName>${xml(bucket)}</BucketName>`);
    const body = objects.get(key);
    if (body === undefined) return error(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname, `<Key>${xml(key)}</Key>`);
    if (stallHeaders.has(`${bucket}/${key}`)) return;
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : Buffer.from(body);
    res.writeHead(200, {
      'content-type': 'application/octet-stream',
      'content-length': String(bytes.byteLength),
      etag: `"${createHash('md5').update(bytes).digest('hex')}"`,
      'last-modified': new Date().toUTCString(),
      'accept-ranges': 'bytes',
      'x-amz-request-id': requestId(),
      server: 'AmazonS3',
    });
    if (stallBody.has(`${bucket}/${key}`)) {
      res.flushHeaders();
      return;
    }
    res.end(req.method === 'HEAD' ? undefined : bytes);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId,
    secretAccessKey,
    buckets,
    stallBody,
    stallHeaders,
    requests,
    put(bucket, key, body) {
      const objects = buckets.get(bucket) ?? new Map<string, string | Uint8Array>();
      objects.set(key, body);
      buckets.set(bucket, objects);
    },
    close: () =>
      new Promise((resolve) => {
        for (const r of open) r.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function error(res: ServerResponse, status: number, code: string, message: string, resource: string, extra = ''): void {
  const id = requestId();
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${xml(message)}</Message>${extra}<Resource>${xml(resource)}</Resource><RequestId>${id}</RequestId><HostId>${randomBytes(24).toString('base64')}</HostId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': String(Buffer.byteLength(body)), 'x-amz-request-id': id, server: 'AmazonS3' }).end(body);
}

function requestId(): string {
  return randomBytes(8).toString('hex').toUpperCase();
}

function xml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
