// The schema's check of an AWS Region code: known, or "unknown AWS Region 'eu-central1' (did you mean
// eu-central-1?)".

import * as z from 'zod';
import { describeValue, quote } from '../input/describe-value.js';
import { didYouMean } from '../input/did-you-mean.js';
import { AWS_COMMERCIAL_REGIONS } from './aws-regions.js';

/** The shape of a Region code, for the JSON Schema (editors); the list decides. */
export const REGION_CODE_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d$/;

export function isKnownRegion(code: string): boolean {
  return AWS_COMMERCIAL_REGIONS.has(code);
}

export function unknownRegionMessage(input: unknown): string {
  if (typeof input !== 'string') return `must be an AWS Region code such as eu-central-1, not ${describeValue(input)}`;
  return `unknown AWS Region ${quote(input)}${didYouMean(input, AWS_COMMERCIAL_REGIONS)}`;
}

/** An AWS Region code, as policies and scenarios write it. */
export const regionCodeSchema = z
  .string()
  .regex(REGION_CODE_PATTERN, { error: (issue) => unknownRegionMessage(issue.input), abort: true })
  .refine(isKnownRegion, { error: (issue) => unknownRegionMessage(issue.input) });
