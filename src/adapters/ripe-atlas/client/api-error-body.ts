// Reads the documented error body: {"error": {"status", "code", "detail", "title", "errors": [...]}}.
// Anything else (HTML from a proxy, plain text) yields undefined and the raw excerpt is kept instead.

import * as z from 'zod';
import type { AtlasApiErrorBody } from './errors.js';
import { redactSecret } from './secret.js';

const errorItem = z.looseObject({
  source: z.looseObject({ pointer: z.string().optional(), parameter: z.string().optional() }).optional(),
  detail: z.string().optional(),
});

const errorBody = z.looseObject({
  error: z.looseObject({
    status: z.number().optional(),
    code: z.number().optional(),
    detail: z.string().optional(),
    title: z.string().optional(),
    errors: z.array(errorItem).optional(),
  }),
});

export function parseApiErrorBody(text: string, secret: string | undefined): AtlasApiErrorBody | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = errorBody.safeParse(json);
  if (!parsed.success) return undefined;
  const e = parsed.data.error;
  const clean = (s: string | undefined): string | undefined => (s === undefined ? undefined : redactSecret(s, secret));
  return {
    status: e.status,
    code: e.code,
    detail: clean(e.detail),
    title: clean(e.title),
    errors: e.errors?.map((item) => ({
      source: item.source && { pointer: clean(item.source.pointer), parameter: clean(item.source.parameter) },
      detail: clean(item.detail),
    })),
  };
}
