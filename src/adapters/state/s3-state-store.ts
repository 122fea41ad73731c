// Controller state as one JSON object in S3, for the Lambdas. Writes are conditional on the ETag read
// (If-Match, or If-None-Match on the first write), so two overlapping runs can never silently overwrite
// each other's state: the loser gets StateConflictError and its cycle reports it.

import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GaSteerError } from '../../app/errors.js';
import { isTooLarge, tooLargeIssue } from '../../input/text-size.js';
import { emptyControllerState, type ControllerState } from '../../planner/controller-state.js';
import { formatIssue } from '../../policy/issues.js';
import type { StateStore } from '../../ports/state-store.js';
import { AwsCallError } from '../aws/aws-call-error.js';
import { callWithRetry, DEFAULT_RETRY, type RetryPolicy } from '../aws/retry.js';
import { parseControllerStateText } from './parse-state-text.js';

export class StateConflictError extends GaSteerError {
  override readonly name = 'StateConflictError';
  constructor(readonly location: string) {
    super(`${location}: the state was changed by another ga-steer run since it was read; not overwritten`);
  }
}

export class StateCorruptError extends GaSteerError {
  override readonly name = 'StateCorruptError';
  constructor(
    readonly location: string,
    detail: string,
  ) {
    super(`${location}: the stored state is not valid (${detail}); refusing to reset it`);
  }
}

export class S3StateStore implements StateStore {
  /** ETag of the object as last read; undefined when it did not exist. */
  private etag: string | undefined;
  private readonly location: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly key: string,
    private readonly retry: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.location = `s3://${bucket}/${key}`;
  }

  async load(): Promise<ControllerState> {
    let text: string;
    try {
      const out = await callWithRetry('S3', 'GetObject', this.retry, () => this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: this.key })));
      this.etag = out.ETag;
      // Refuse an oversized object before buffering it (parseControllerStateText checks the text too).
      if (out.ContentLength !== undefined && isTooLarge('state', out.ContentLength)) {
        discardBody(out.Body);
        throw new StateCorruptError(this.location, formatIssue(tooLargeIssue(this.location, 'state', out.ContentLength)));
      }
      text = (await out.Body?.transformToString('utf8')) ?? '';
    } catch (e) {
      if (isNoSuchKey(e)) {
        this.etag = undefined;
        return emptyControllerState();
      }
      throw e;
    }
    const parsed = parseControllerStateText(text, this.location);
    if (!parsed.ok) throw new StateCorruptError(this.location, parsed.issues.map(formatIssue).join('; '));
    return parsed.state;
  }

  async save(state: ControllerState): Promise<void> {
    const body = `${JSON.stringify(state, null, 2)}\n`;
    try {
      const out = await callWithRetry('S3', 'PutObject', this.retry, () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.bucket,
            Key: this.key,
            Body: body,
            ContentType: 'application/json',
            ...(this.etag !== undefined ? { IfMatch: this.etag } : { IfNoneMatch: '*' }),
          }),
        ),
      );
      this.etag = out.ETag;
    } catch (e) {
      // 412: the object changed (or appeared) since it was read; 409: a concurrent conditional write.
      if (e instanceof AwsCallError && (e.httpStatus === 412 || e.code === 'PreconditionFailed' || e.code === 'ConditionalRequestConflict')) {
        throw new StateConflictError(this.location);
      }
      throw e;
    }
  }
}

/** Lets the connection go without reading an object that will not be used. */
function discardBody(body: { transformToWebStream: () => ReadableStream } | undefined): void {
  try {
    body?.transformToWebStream().cancel().catch(() => undefined);
  } catch {
    // Already consumed or not a stream: nothing to release.
  }
}

function isNoSuchKey(e: unknown): boolean {
  return e instanceof AwsCallError && (e.code === 'NoSuchKey' || e.httpStatus === 404);
}
