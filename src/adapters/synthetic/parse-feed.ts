// Reads a synthetic feed (JSON Lines or CSV, see FORMAT.md) into latency samples, line by line. A bad
// line becomes a problem naming its place and is skipped; it never stops the lines after it.

import type { LatencySample } from '../../domain/samples.js';
import { checkFeedRecord, CSV_FIELD_NAMES, JSONL_FIELD_NAMES } from './feed-record.js';
import { feedLines, type FeedInput } from './feed-lines.js';
import { readCsvHeader, readCsvLine, type CsvHeader } from './csv-record.js';
import { readJsonlLine, type LineRead } from './jsonl-record.js';
import { CLOCK_SKEW_ALLOWANCE_SECONDS } from '../../signals/freshness.js';

export type FeedFormat = 'jsonl' | 'csv';

export interface ParseFeedOptions {
  /** Names the feed in problems: `name:line N: message`. */
  readonly feedName: string;
  readonly format: FeedFormat;
  /** Lines observed before this are skipped without a problem: only recent samples matter. */
  readonly since?: Date;
  /** Lines stamped more than the clock-skew allowance after this are rejected (a skewed probe clock). */
  readonly now?: Date;
  /** Problems listed before the rest are only counted, so a garbage feed cannot flood a report. */
  readonly maxProblems?: number;
  readonly maxLineChars?: number;
}

export interface FeedCounts {
  /** Lines holding a measurement (not blank, not a comment, not the CSV header). */
  readonly lines: number;
  readonly accepted: number;
  readonly rejected: number;
  readonly tooOld: number;
  readonly duplicates: number;
}

export interface ParsedFeed {
  readonly samples: LatencySample[];
  readonly problems: string[];
  readonly counts: FeedCounts;
}

export const DEFAULT_MAX_PROBLEMS = 50;

export async function parseFeed(input: FeedInput, options: ParseFeedOptions): Promise<ParsedFeed> {
  const { feedName, format } = options;
  const sinceMs = options.since?.getTime() ?? Number.NEGATIVE_INFINITY;
  const latestMs = options.now !== undefined ? options.now.getTime() + CLOCK_SKEW_ALLOWANCE_SECONDS * 1000 : Number.POSITIVE_INFINITY;
  const maxProblems = options.maxProblems ?? DEFAULT_MAX_PROBLEMS;
  const names = format === 'csv' ? CSV_FIELD_NAMES : JSONL_FIELD_NAMES;

  const samples: LatencySample[] = [];
  const problems: string[] = [];
  const seen = new Set<string>();
  const counts = { lines: 0, accepted: 0, rejected: 0, tooOld: 0, duplicates: 0 };
  let unlisted = 0;
  let header: CsvHeader | undefined;
  let headerSeen = false;

  const report = (line: number, message: string): void => {
    if (problems.length < maxProblems) problems.push(`${feedName}:line ${line}: ${message}`);
    else unlisted++;
  };

  for await (const line of feedLines(input, options.maxLineChars)) {
    if (line.kind === 'overlong') {
      counts.lines++;
      counts.rejected++;
      report(line.number, 'line too long');
      continue;
    }
    const text = line.text.trim();
    if (text === '' || text.startsWith('#')) continue;

    if (format === 'csv' && !headerSeen) {
      headerSeen = true;
      const read = readCsvHeader(text);
      if (!read.ok) {
        report(line.number, read.message);
        break; // Without the columns no row can be read.
      }
      header = read.header;
      if (read.ignored.length > 0) report(line.number, `unknown column${read.ignored.length > 1 ? 's' : ''} ${read.ignored.map((c) => JSON.stringify(c)).join(', ')} ignored`);
      continue;
    }

    counts.lines++;
    const read: LineRead = header !== undefined ? readCsvLine(text, header) : readJsonlLine(text);
    const checked = read.ok ? checkFeedRecord(read.record, names) : read;
    if (!checked.ok) {
      counts.rejected++;
      report(line.number, checked.message);
      continue;
    }
    if (checked.observedMs > latestMs) {
      counts.rejected++;
      report(line.number, `${names.timestamp} ${checked.sample.observedAt} is in the future`);
      continue;
    }
    if (checked.observedMs < sinceMs) {
      counts.tooOld++;
      continue;
    }
    const key = `${checked.sample.vantage}\u0000${checked.sample.region}\u0000${checked.observedMs}`;
    if (seen.has(key)) {
      counts.duplicates++;
      continue;
    }
    seen.add(key);
    counts.accepted++;
    samples.push(checked.sample);
  }

  if (format === 'csv' && !headerSeen) problems.push(`${feedName}: no header row`);
  if (unlisted > 0) problems.push(`${feedName}: ${unlisted} more problem${unlisted > 1 ? 's' : ''} not listed`);
  return { samples, problems, counts };
}
