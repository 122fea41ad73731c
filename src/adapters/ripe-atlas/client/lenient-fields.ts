// Field readers for API documents whose shapes drift between API versions and record dates:
// numbers that arrive as strings, times as UNIX seconds or ISO-8601 text, nulls for unknowns.

import * as z from 'zod';

/** An integer, or a string of digits; anything else reads as null. */
export const lenientInt = z
  .unknown()
  .optional()
  .transform((v): number | null => {
    if (typeof v === 'number' && Number.isSafeInteger(v)) return v;
    if (typeof v === 'string' && /^-?\d{1,15}$/.test(v.trim())) return Number(v.trim());
    return null;
  });

export const lenientString = z.unknown().optional().transform((v): string | null => (typeof v === 'string' ? v : null));

export const lenientBool = z.unknown().optional().transform((v): boolean | null => (typeof v === 'boolean' ? v : null));

/** UNIX seconds from either an integer or an ISO-8601 string (the API's `format[datetime]` chooses). */
export const lenientUnixSeconds = z.unknown().optional().transform((v): number | null => {
  if (typeof v === 'number' && Number.isFinite(v)) return Math.floor(v);
  if (typeof v === 'string') {
    if (/^\d+$/.test(v)) return Number(v);
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return Math.floor(ms / 1000);
  }
  return null;
});

export const statusSchema = z
  .unknown()
  .optional()
  .transform((v): { id: number; name: string | null; since: number | null } | null => {
    if (typeof v !== 'object' || v === null) return null;
    const o = v as Record<string, unknown>;
    const id = lenientInt.parse(o['id']);
    if (id === null) return null;
    return { id, name: lenientString.parse(o['name']), since: lenientUnixSeconds.parse(o['since']) };
  });
