// Configuration shared by ga-steer's AWS clients: an optional endpoint (the emulator), credentials,
// and the SDK's own retries turned off (ours are in retry.ts).
//
// Deadlines are ours too (every call passes an AbortSignal, see deadline/call-deadline.ts). The SDK's
// requestTimeout only logs a warning unless throwOnRequestTimeout is set; it is set here as a backstop
// for the wait for response headers, never as the deadline itself.

/** Static credentials (the emulator accepts any); otherwise the SDK's default provider chain. */
export interface StaticCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface AwsClientOptions {
  /** Overrides the service endpoint; otherwise the SDK's resolution applies, AWS_ENDPOINT_URL_* included. */
  readonly endpoint?: string;
  readonly credentials?: StaticCredentials;
  /** Backstop for the wait for response headers (default 10 s). */
  readonly requestTimeoutMs?: number;
}

export function sdkConfig(options: AwsClientOptions, region: string): Record<string, unknown> {
  return {
    region,
    maxAttempts: 1,
    ...(options.endpoint !== undefined ? { endpoint: options.endpoint } : {}),
    ...(options.credentials !== undefined ? { credentials: options.credentials } : {}),
    requestHandler: { requestTimeout: options.requestTimeoutMs ?? 10_000, connectionTimeout: 3_000, throwOnRequestTimeout: true },
  };
}
