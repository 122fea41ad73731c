// CloudWatch's error shapes with their awsQuery codes (the SDK reads both in query-compatible mode).

import { EmulatedServiceError } from '../service.js';

export const invalidParameterValue = (message: string): EmulatedServiceError =>
  new EmulatedServiceError('InvalidParameterValueException', 400, message, 'InvalidParameterValue');
export const invalidParameterCombination = (message: string): EmulatedServiceError =>
  new EmulatedServiceError('InvalidParameterCombinationException', 400, message, 'InvalidParameterCombination');
export const missingParameter = (member: string): EmulatedServiceError =>
  new EmulatedServiceError('MissingRequiredParameterException', 400, `The parameter ${member} is required.`, 'MissingParameter');
export const invalidNextToken = (): EmulatedServiceError => new EmulatedServiceError('InvalidNextToken', 400, 'The token is invalid.', 'InvalidNextToken');
export const expressionError = (id: string, message: string): EmulatedServiceError =>
  new EmulatedServiceError('ValidationException', 400, `Error in expression '${id}': ${message}`, 'ValidationError');
