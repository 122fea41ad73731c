// CSV feed lines to raw records. Each line is parsed on its own (fields may be quoted but hold no line
// breaks), so one malformed line cannot derail the lines after it.

import { parse } from 'csv-parse/sync';
import type { FeedField, RawFeedRecord } from './feed-record.js';
import type { LineRead } from './jsonl-record.js';

const COLUMNS: Readonly<Record<string, FeedField>> = {
  timestamp: 'timestamp', vantage: 'vantage', client_group: 'clientGroup', region: 'region',
  rtt_ms: 'rttMs', loss_percent: 'lossPercent', sent: 'sent', received: 'received',
};
const REQUIRED = ['timestamp', 'vantage', 'region', 'rtt_ms'] as const;
const NUMERIC: ReadonlySet<FeedField> = new Set(['rttMs', 'lossPercent', 'sent', 'received']);
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The header's columns in order; `undefined` for a column the format does not know (ignored). */
export interface CsvHeader {
  readonly fields: readonly (FeedField | undefined)[];
}

export type HeaderRead = { readonly ok: true; readonly header: CsvHeader; readonly ignored: readonly string[] } | { readonly ok: false; readonly message: string };

export function readCsvHeader(text: string): HeaderRead {
  const cells = splitCsvLine(text);
  if (typeof cells === 'string') return { ok: false, message: `header is not valid CSV: ${cells}` };
  const names = cells.map((c) => c.trim().toLowerCase());
  const missing = REQUIRED.filter((r) => !names.includes(r));
  if (missing.length > 0) return { ok: false, message: `header lacks column${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
  const repeated = names.filter((n, i) => n !== '' && names.indexOf(n) !== i);
  if (repeated.length > 0) return { ok: false, message: `header repeats column ${[...new Set(repeated)].join(', ')}` };
  return {
    ok: true,
    header: { fields: names.map((n) => COLUMNS[n]) },
    ignored: names.filter((n) => COLUMNS[n] === undefined),
  };
}

export function readCsvLine(text: string, header: CsvHeader): LineRead {
  const cells = splitCsvLine(text);
  if (typeof cells === 'string') return { ok: false, message: `not valid CSV: ${cells}` };
  if (cells.length !== header.fields.length) return { ok: false, message: `expected ${header.fields.length} fields, got ${cells.length}` };
  const values: Partial<Record<FeedField, unknown>> = {};
  header.fields.forEach((field, i) => {
    if (field === undefined) return;
    const cell = (cells[i] ?? '').trim();
    if (cell === '') {
      // An empty RTT cell is the documented "no reply"; other empty cells are absent values.
      values[field] = field === 'rttMs' ? null : undefined;
    } else {
      values[field] = NUMERIC.has(field) && DECIMAL.test(cell) ? Number(cell) : cell;
    }
  });
  const record: RawFeedRecord = {
    timestamp: values.timestamp, vantage: values.vantage, clientGroup: values.clientGroup, region: values.region,
    rttMs: values.rttMs, lossPercent: values.lossPercent, sent: values.sent, received: values.received,
  };
  return { ok: true, record };
}

/** The line's cells, or what is wrong with its quoting. */
function splitCsvLine(text: string): string[] | string {
  // Without quotes a comma always separates; csv-parse is only needed (and only paid for) with quotes.
  if (!text.includes('"')) return text.split(',');
  try {
    const rows: unknown = parse(text, { relax_column_count: true, skip_empty_lines: false });
    const first = Array.isArray(rows) ? (rows[0] as unknown) : undefined;
    if (!Array.isArray(first) || !first.every((c): c is string => typeof c === 'string')) return 'no fields';
    return first;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    return typeof code === 'string' ? (CSV_ERRORS[code] ?? code) : 'unreadable';
  }
}

const CSV_ERRORS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'unclosed quote',
  INVALID_OPENING_QUOTE: 'quote inside an unquoted field',
  CSV_INVALID_CLOSING_QUOTE: 'text after a closing quote',
};
