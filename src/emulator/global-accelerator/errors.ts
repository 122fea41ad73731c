// Global Accelerator's error shapes and status codes (from the service model).

import { EmulatedServiceError } from '../service.js';

export const invalidArgument = (message: string): EmulatedServiceError => new EmulatedServiceError('InvalidArgumentException', 400, message);
export const missingMember = (member: string): EmulatedServiceError => invalidArgument(`${member} is required`);
export const acceleratorNotFound = (arn: string): EmulatedServiceError =>
  new EmulatedServiceError('AcceleratorNotFoundException', 404, `Accelerator not found: ${arn}`);
export const listenerNotFound = (arn: string): EmulatedServiceError => new EmulatedServiceError('ListenerNotFoundException', 404, `Listener not found: ${arn}`);
export const endpointGroupNotFound = (arn: string): EmulatedServiceError =>
  new EmulatedServiceError('EndpointGroupNotFoundException', 404, `Endpoint group not found: ${arn}`);
export const invalidNextToken = (): EmulatedServiceError => new EmulatedServiceError('InvalidNextTokenException', 400, 'The pagination token is invalid');
export const limitExceeded = (message: string): EmulatedServiceError => new EmulatedServiceError('LimitExceededException', 403, message);
