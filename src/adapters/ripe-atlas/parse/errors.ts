// Errors of RIPE Atlas result parsing. Both carry where the problem is, so a report can point at it.

export type DnsSection = 'question' | 'answer' | 'authority' | 'additional';

/** What went wrong while decoding a DNS wire message. */
export type DnsDecodeFault =
  | 'bad-base64'
  | 'short-header'
  | 'truncated'
  | 'bad-label-type'
  | 'pointer-out-of-range'
  | 'pointer-loop'
  /** ripe-ncc dialect only: a compression pointer that points at another pointer. */
  | 'pointer-to-pointer'
  /** ripe-ncc dialect only: a label holding a zero octet. */
  | 'zero-octet-in-label'
  | 'name-too-long'
  | 'bad-rdata'
  | 'trailing-bytes';

/** A DNS message (an Atlas `abuf`) that cannot be decoded, or not completely. */
export class DnsDecodeError extends Error {
  override readonly name = 'DnsDecodeError';
  constructor(
    readonly fault: DnsDecodeFault,
    /** The part of the message being read: `header` or one of the four sections. */
    readonly part: 'header' | DnsSection,
    /** Byte offset in the message where the problem was found. */
    readonly offset: number,
    detail: string,
  ) {
    super(`DNS message, ${part} at byte ${offset}: ${detail}`);
  }
}

/**
 * A RIPE Atlas result object that cannot be used. Returned, not thrown, by the result parser: one bad
 * line in a download must not stop the others.
 */
export class ResultParseError extends Error {
  override readonly name = 'ResultParseError';
  constructor(
    /** JSON-pointer-like path of the offending field, `''` for the whole object. */
    readonly path: string,
    detail: string,
    /** `msm_id`/`prb_id`/`timestamp` when they could be read, to find the line again. */
    readonly context: { readonly msmId?: number; readonly probeId?: number; readonly timestamp?: number } = {},
  ) {
    super(`${path === '' ? 'result' : path}: ${detail}`);
  }
}
