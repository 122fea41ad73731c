// What the emulator's HTTP server needs from each emulated AWS service.

import type { QueryProtocol } from './aws-query/shapes.js';

/** A service error as the real service would return it. */
export class EmulatedServiceError extends Error {
  override readonly name = 'EmulatedServiceError';
  constructor(
    /** Error shape name, e.g. `EndpointGroupNotFoundException`. */
    readonly errorType: string,
    readonly httpStatus: number,
    message: string,
    /** awsQuery-compatible services: the query error code, e.g. `InvalidParameterValue`. */
    readonly queryCode?: string,
    readonly fault: 'Sender' | 'Receiver' = httpStatus >= 500 ? 'Receiver' : 'Sender',
  ) {
    super(message);
  }
}

/** What the server learned about a request before handing it to a service. */
export interface RequestContext {
  /** From the SigV4 credential scope (`Credential=AKID/date/REGION/service/aws4_request`). */
  readonly region: string;
  readonly requestId: string;
}

export interface EmulatedService {
  /** The X-Amz-Target prefix before the dot, e.g. `GlobalAccelerator_V20180706`. */
  readonly targetPrefix: string;
  /** Smithy namespace used in `__type`, e.g. `com.amazonaws.globalaccelerator`. */
  readonly errorNamespace: string;
  readonly protocol: 'awsJson1_1' | 'awsJson1_0-query-compatible';
  /** Name of the error message member: GA uses `Message`, CloudWatch mostly `message`. */
  readonly messageMember: 'Message' | 'message';
  /** Services that also speak awsQuery (form-encoded requests, XML answers) on the same endpoint. */
  readonly query?: QueryProtocol;
  /** Operations this service implements; anything else is `UnknownOperationException`. */
  readonly operations: ReadonlySet<string>;
  /**
   * Handles one operation, whichever protocol carried it. Answers with Date for timestamps and Map for
   * maps; the protocol layer writes them. Throws EmulatedServiceError for service errors.
   */
  handle(operation: string, input: Readonly<Record<string, unknown>>, context: RequestContext): Promise<unknown> | unknown;
}
