// Global Accelerator's error shapes and status codes. The API reference documents HTTP 400 for every
// modeled exception (not-found and limit errors included), unlike the 404/403 a REST API would use.

import { EmulatedServiceError } from '../service.js';

const clientError = (type: string, message: string): EmulatedServiceError => new EmulatedServiceError(type, 400, message);

export const invalidArgument = (message: string): EmulatedServiceError => clientError('InvalidArgumentException', message);
export const missingMember = (member: string): EmulatedServiceError => invalidArgument(`${member} is required`);
export const acceleratorNotFound = (arn: string): EmulatedServiceError => clientError('AcceleratorNotFoundException', `Accelerator not found: ${arn}`);
export const listenerNotFound = (arn: string): EmulatedServiceError => clientError('ListenerNotFoundException', `Listener not found: ${arn}`);
export const endpointGroupNotFound = (arn: string): EmulatedServiceError => clientError('EndpointGroupNotFoundException', `Endpoint group not found: ${arn}`);
export const invalidNextToken = (): EmulatedServiceError => clientError('InvalidNextTokenException', 'The pagination token is invalid');
export const limitExceeded = (message: string): EmulatedServiceError => clientError('LimitExceededException', message);
