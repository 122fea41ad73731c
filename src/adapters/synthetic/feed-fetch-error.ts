// Errors of reading a feed. The location in a message is always redacted: a query string or user info
// in a feed URL may carry a token.

export type FeedFetchFailure =
  | 'unsupported-location'
  | 'not-found'
  | 'access-denied'
  | 'http-status'
  | 'timeout'
  | 'too-large'
  | 'unreachable'
  | 'read-failed';

export class FeedFetchError extends Error {
  override readonly name = 'FeedFetchError';
  constructor(
    readonly feedName: string,
    /** The feed's location with any secret part replaced (see redactLocation). */
    readonly location: string,
    readonly failure: FeedFetchFailure,
    detail: string,
    /** HTTP status when the server answered (S3 included). */
    readonly status?: number,
  ) {
    super(`${feedName}: cannot read ${location}: ${detail}`);
  }
}
