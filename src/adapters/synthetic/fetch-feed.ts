// Opens a synthetic feed wherever it lives (local file, HTTP(S), S3) as a byte stream for parseFeed.
// Every failure is a FeedFetchError naming the feed and its redacted location. The S3 client is loaded
// on first use: most deployments read no S3 feed, and it is a large part of the Lambda's cold start.

import type { S3Client } from '@aws-sdk/client-s3';
import { sdkConfig, type StaticCredentials } from '../aws/client-config.js';
import { FeedFetchError } from './feed-fetch-error.js';
import { readFileFeed } from './read-file-feed.js';
import { readHttpFeed } from './read-http-feed.js';
import { redactLocation } from './redact-location.js';

export interface FeedFetchOptions {
  /** Whole-transfer deadline for HTTP and S3. */
  readonly timeoutMs?: number;
  /** Largest feed accepted, in bytes. */
  readonly maxBytes?: number;
  /** Relative paths resolve against this (default: the working directory). */
  readonly baseDir?: string;
  readonly s3?: {
    /** The bucket's Region (default: AWS_REGION, else us-east-1). */
    readonly region?: string;
    /** An S3-compatible endpoint; requests then go path-style. */
    readonly endpoint?: string;
    /** Otherwise the SDK's default credential chain. */
    readonly credentials?: StaticCredentials;
  };
}

export const DEFAULT_FEED_TIMEOUT_MS = 15_000;
export const DEFAULT_FEED_MAX_BYTES = 64 * 1024 * 1024;

export class FeedFetcher {
  private s3Client: S3Client | undefined;

  constructor(private readonly options: FeedFetchOptions = {}) {}

  /** The feed's bytes as they arrive. Errors while reading them are FeedFetchError too. */
  async open(feedName: string, location: string): Promise<AsyncIterable<Uint8Array>> {
    const shown = redactLocation(location);
    const timeoutMs = this.options.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS;
    const maxBytes = this.options.maxBytes ?? DEFAULT_FEED_MAX_BYTES;
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location)?.[1]?.toLowerCase();
    switch (scheme) {
      case undefined:
      case 'file':
        return readFileFeed({ feedName, location, shown, baseDir: this.options.baseDir ?? process.cwd(), maxBytes });
      case 'http':
      case 'https':
        return readHttpFeed({ feedName, url: location, shown, timeoutMs, maxBytes });
      case 's3': {
        const { readS3Feed } = await import('./read-s3-feed.js');
        return readS3Feed(await this.s3(), { feedName, url: location, shown, timeoutMs, maxBytes });
      }
      default:
        throw new FeedFetchError(feedName, shown, 'unsupported-location', `unsupported scheme ${scheme}:// (use a path, file://, http(s):// or s3://)`);
    }
  }

  /** Frees pooled connections. */
  close(): void {
    this.s3Client?.destroy();
    this.s3Client = undefined;
  }

  private async s3(): Promise<S3Client> {
    if (this.s3Client === undefined) {
      const { S3Client } = await import('@aws-sdk/client-s3');
      const s3 = this.options.s3 ?? {};
      const region = s3.region ?? process.env['AWS_REGION'] ?? 'us-east-1';
      this.s3Client = new S3Client({
        ...sdkConfig({ ...(s3.endpoint !== undefined ? { endpoint: s3.endpoint } : {}), ...(s3.credentials !== undefined ? { credentials: s3.credentials } : {}), requestTimeoutMs: this.options.timeoutMs ?? DEFAULT_FEED_TIMEOUT_MS }, region),
        forcePathStyle: s3.endpoint !== undefined,
      });
    }
    return this.s3Client;
  }
}
