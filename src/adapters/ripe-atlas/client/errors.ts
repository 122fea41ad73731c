// Errors of the RIPE Atlas client. The API key is a secret: no message or property ever holds it, and
// text that came from the server is scrubbed of it before it is kept (see secret.ts).

export class AtlasError extends Error {
  override readonly name: string = 'AtlasError';
  constructor(message: string) {
    super(message);
  }
}

/** The client was configured with values it cannot use. */
export class AtlasConfigError extends AtlasError {
  override readonly name = 'AtlasConfigError';
  constructor(
    readonly field: string,
    reason: string,
  ) {
    super(`RIPE Atlas client configuration: ${field} ${reason}`);
  }
}

/** The `error` object of an API error body, as documented by RIPE Atlas. */
export interface AtlasApiErrorBody {
  readonly status?: number;
  /** Deprecated by the API but still sent. */
  readonly code?: number;
  readonly detail?: string;
  readonly title?: string;
  readonly errors?: readonly { readonly source?: { readonly pointer?: string; readonly parameter?: string }; readonly detail?: string }[];
}

/** The API answered with a non-2xx status (after retries, when the status was retryable). */
export class AtlasApiError extends AtlasError {
  override readonly name = 'AtlasApiError';
  constructor(
    readonly method: string,
    /** Path and query only; the origin is the configured base URL. */
    readonly path: string,
    readonly status: number,
    /** The parsed `error` object, when the body had the documented shape. */
    readonly apiError: AtlasApiErrorBody | undefined,
    /** The start of the raw body, for bodies that are not the documented JSON. */
    readonly bodyExcerpt: string,
    readonly attempts: number,
  ) {
    const what = apiError?.detail ?? apiError?.title ?? (bodyExcerpt.length > 0 ? bodyExcerpt : 'no body');
    super(`RIPE Atlas API ${method} ${path} answered HTTP ${status}: ${what}`);
  }
}

/** A response body grew past the configured maxResponseBytes; the transfer was aborted. */
export class AtlasResponseTooLarge extends AtlasError {
  override readonly name = 'AtlasResponseTooLarge';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly limitBytes: number,
    /** Bytes received (or announced by Content-Length) when the transfer was stopped. */
    readonly receivedBytes: number,
  ) {
    super(`RIPE Atlas API ${method} ${path}: response exceeds ${limitBytes} bytes (${receivedBytes} seen); aborted`);
  }
}

/** No response headers, or no body data, within timeoutMs. */
export class AtlasTimeoutError extends AtlasError {
  override readonly name = 'AtlasTimeoutError';
  constructor(
    readonly method: string,
    readonly path: string,
    readonly phase: 'headers' | 'body',
    readonly timeoutMs: number,
    readonly attempts: number,
  ) {
    super(`RIPE Atlas API ${method} ${path}: no ${phase === 'headers' ? 'response headers' : 'body data'} within ${timeoutMs} ms (${attempts} attempt(s))`);
  }
}

/** The connection failed or was cut (refused, reset, closed mid-body). */
export class AtlasConnectionError extends AtlasError {
  override readonly name = 'AtlasConnectionError';
  constructor(
    readonly method: string,
    readonly path: string,
    /** The network error code only (ECONNREFUSED, UND_ERR_SOCKET, ...). */
    readonly code: string,
    readonly attempts: number,
  ) {
    super(`RIPE Atlas API ${method} ${path}: connection failed (${code}) after ${attempts} attempt(s)`);
  }
}

/** A 2xx body that is not the JSON the endpoint documents. */
export class AtlasResponseFormatError extends AtlasError {
  override readonly name = 'AtlasResponseFormatError';
  constructor(
    readonly method: string,
    readonly path: string,
    reason: string,
  ) {
    super(`RIPE Atlas API ${method} ${path}: unexpected response (${reason})`);
  }
}

/**
 * A results stream broke after it had started: results already yielded stay valid, and the
 * incremental cursor lets the next run resume. Not retried here, because a retry would repeat them.
 */
export class AtlasStreamInterrupted extends AtlasError {
  override readonly name = 'AtlasStreamInterrupted';
  constructor(
    readonly measurementId: number,
    readonly reason: 'body-timeout' | 'connection-lost',
    readonly code: string,
    readonly resultsYielded: number,
  ) {
    super(`RIPE Atlas results of measurement ${measurementId}: stream interrupted (${code}) after ${resultsYielded} result(s)`);
  }
}

/**
 * One line of a JSON Lines results body that is not a JSON object. The stream yields it in place
 * of a result and goes on with the next line, so one bad line does not lose the rest.
 */
export class AtlasLineError extends AtlasError {
  override readonly name = 'AtlasLineError';
  constructor(
    readonly measurementId: number,
    /** 1-based line number within the response body. */
    readonly lineNumber: number,
    readonly reason: 'invalid-json' | 'not-an-object' | 'line-too-long',
    /** The first characters of the line. */
    readonly excerpt: string,
  ) {
    super(`RIPE Atlas results of measurement ${measurementId}, line ${lineNumber}: ${reason} (${JSON.stringify(excerpt)})`);
  }
}

/** A persisted incremental cursor that does not have the expected shape. */
export class AtlasCursorStateError extends AtlasError {
  override readonly name = 'AtlasCursorStateError';
  constructor(readonly issues: readonly string[]) {
    super(`RIPE Atlas cursor state is not usable: ${issues.join('; ')}`);
  }
}
