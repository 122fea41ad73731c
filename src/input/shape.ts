// Data against a zod schema: the typed value, or findings worded for people (zod-findings.ts).

import type * as z from 'zod';
import type { Finding } from './places.js';
import { zodIssuesToFindings } from './zod-findings.js';

export type ShapeResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly findings: readonly Finding[] };

export function checkShape<S extends z.ZodType>(schema: S, data: unknown): ShapeResult<z.output<S>> {
  // The input in each issue lets a message say what was found ("got the string 'yes'").
  const parsed = schema.safeParse(data, { reportInput: true });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, findings: zodIssuesToFindings(parsed.error.issues, schema) };
}
