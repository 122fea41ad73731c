// A local S3 on loopback for the state store, feed and policy tests: path-style GetObject and PutObject
// with ETags, conditional writes (If-Match, If-None-Match: *) and conditional reads (If-None-Match: 304), errors in S3's XML shape, and on demand the
// 403 AWS gives a role without s3:ListBucket for a missing object.

import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LocalS3 {
  readonly url: string;
  readonly objects: Map<string, { body: Buffer; etag: string }>;
  readonly requests: { method: string; path: string; headers: Record<string, string | string[] | undefined> }[];
  /** The next N PUTs are stored, then their connection is cut before the response: a lost response. */
  cutPutResponses: number;
  /**
   * Answer as AWS does for a caller without s3:ListBucket on the bucket: a missing object is 403
   * AccessDenied, not 404 NoSuchKey (S3 will not reveal whether a key exists).
   */
  withoutListBucket: boolean;
  close(): Promise<void>;
}

function xmlError(code: string, message: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>local</RequestId></Error>`;
}

export async function startLocalS3(): Promise<LocalS3> {
  const objects = new Map<string, { body: Buffer; etag: string }>();
  const requests: LocalS3['requests'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
      requests.push({ method: req.method ?? '', path, headers: req.headers });
      const send = (status: number, body: string | Buffer, headers: Record<string, string> = {}): void => {
        res.writeHead(status, { 'x-amz-request-id': 'local', ...headers }).end(body);
      };
      if (!/^\/[^/]+\/.+/.test(path)) return send(400, xmlError('InvalidRequest', 'path-style /bucket/key expected'), { 'content-type': 'application/xml' });
      const existing = objects.get(path);
      if (req.method === 'GET') {
        if (existing === undefined && local.withoutListBucket) return send(403, xmlError('AccessDenied', 'Access Denied'), { 'content-type': 'application/xml' });
        if (existing === undefined) return send(404, xmlError('NoSuchKey', 'The specified key does not exist.'), { 'content-type': 'application/xml' });
        // A conditional GET of an unchanged object: 304 with no body, as S3 answers.
        if (req.headers['if-none-match'] === existing.etag) return send(304, '', { etag: existing.etag });
        return send(200, existing.body, { etag: existing.etag, 'content-type': 'application/json', 'content-length': String(existing.body.length) });
      }
      if (req.method === 'PUT') {
        const ifMatch = req.headers['if-match'];
        const ifNoneMatch = req.headers['if-none-match'];
        if ((ifMatch !== undefined && existing?.etag !== ifMatch) || (ifNoneMatch === '*' && existing !== undefined)) {
          return send(412, xmlError('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold'), { 'content-type': 'application/xml' });
        }
        const body = Buffer.concat(chunks);
        const etag = `"${createHash('md5').update(body).digest('hex')}"`;
        objects.set(path, { body, etag });
        if (local.cutPutResponses > 0) {
          local.cutPutResponses -= 1;
          req.socket.destroy();
          return;
        }
        return send(200, '', { etag });
      }
      send(405, xmlError('MethodNotAllowed', 'not supported here'), { 'content-type': 'application/xml' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  const local: LocalS3 = {
    url: `http://127.0.0.1:${port}`,
    objects,
    requests,
    cutPutResponses: 0,
    withoutListBucket: false,
    close: () => new Promise<void>((r) => {
      server.close(() => r());
      server.closeAllConnections();
    }),
  };
  return local;
}
