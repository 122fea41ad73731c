import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/adapters/synthetic/parse-feed.js';
import { parseFeedTimestamp } from '../../src/adapters/synthetic/feed-timestamp.js';

const NOW = new Date('2025-06-01T12:00:00Z');
const SINCE = new Date('2025-06-01T11:00:00Z');
const EPOCH_1130 = Date.parse('2025-06-01T11:30:00Z') / 1000;

describe('JSON Lines feeds', () => {
  const lines = [
    /* 1 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","clientGroup":"DE","region":"eu-central-1","rttMs":3.2}',
    /* 2 */ `{"timestamp":${EPOCH_1130},"vantage":"fra-1","clientGroup":"DE","region":"us-east-1","rttMs":null}`,
    /* 3 */ '',
    /* 4 */ '# probes from the Frankfurt office',
    /* 5 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1"',
    /* 6 */ '{"timestamp":"yesterday","vantage":"fra-1","region":"eu-central-1","rttMs":3}',
    /* 7 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","region":"eu-central","rttMs":3}',
    /* 8 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","region":"eu-west-1","rttMs":-3}',
    /* 9 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","region":"eu-west-2","rttMs":20,"lossPercent":120}',
    /* 10 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"fra-1","region":"eu-west-3"}',
    /* 11 */ `{"timestamp":${EPOCH_1130 * 1000},"vantage":"fra-1","region":"eu-north-1","rttMs":25}`,
    /* 12 */ '{"timestamp":"2025-06-01T13:50:00+02:00","vantage":"fra-1","clientGroup":"DE","region":"eu-central-1","rttMs":3.9}',
    /* 13 */ '{"timestamp":"2025-06-01T10:59:59Z","vantage":"fra-1","region":"eu-central-1","rttMs":3}',
    /* 14 */ '{"timestamp":"2025-06-01T12:10:00Z","vantage":"fra-1","region":"eu-central-1","rttMs":3}',
    /* 15 */ '{"timestamp":"2025-06-01 11:45:30.25+0200","vantage":"sin-2","clientGroup":"SG","region":"ap-southeast-1","rttMs":1.9,"sent":10,"received":9,"lossPercent":10}',
    /* 16 */ '[1,2,3]',
    /* 17 */ '{"timestamp":"2025-06-01T11:50:00Z","vantage":"sin-2","region":"ap-southeast-1","rttMs":2,"sent":3,"received":4}',
    /* 18 */ '{"timestamp":"2025-06-01T11:55:00Z","vantage":"  ","region":"ap-southeast-1","rttMs":2}',
    /* 19 */ '{"timestamp":"2025-06-01T11:55:00Z","vantage":"sin-2","region":"ap-southeast-1","rttMs":40,"lossPercent":25}',
    /* 20 */ '{"timestamp":"2025-06-01T11:55:00Z","vantage":"sin-2","region":"us-west-2","rttMs":null,"lossPercent":25}',
  ];

  it('keeps the good lines, reports each bad one with its line number, and skips old and duplicate lines', async () => {
    const parsed = await parseFeed(lines.join('\n') + '\n', { feedName: 'office', format: 'jsonl', since: SINCE, now: NOW });
    expect(parsed.problems).toEqual([
      'office:line 5: not valid JSON',
      'office:line 6: timestamp "yesterday" is neither ISO-8601 with a time zone nor epoch seconds',
      'office:line 7: region "eu-central" is not an AWS Region code such as eu-central-1',
      'office:line 8: rttMs -3 is negative',
      'office:line 9: lossPercent 120 is outside 0..100',
      'office:line 10: rttMs missing (null means no reply)',
      `office:line 11: timestamp ${EPOCH_1130 * 1000} looks like milliseconds; epoch timestamps are in seconds`,
      'office:line 14: timestamp 2025-06-01T12:10:00.000Z is in the future',
      'office:line 16: not a JSON object',
      'office:line 17: received 4 exceeds sent 3',
      'office:line 18: vantage missing',
      'office:line 20: rttMs says no reply but lossPercent is 25',
    ]);
    expect(parsed.samples).toEqual([
      { clientGroup: 'DE', vantage: 'fra-1', region: 'eu-central-1', rttMs: 3.2, sent: 1, received: 1, observedAt: '2025-06-01T11:50:00.000Z', source: 'synthetic' },
      { clientGroup: 'DE', vantage: 'fra-1', region: 'us-east-1', rttMs: null, sent: 1, received: 0, observedAt: '2025-06-01T11:30:00.000Z', source: 'synthetic' },
      { clientGroup: 'sin-2', vantage: 'sin-2', region: 'ap-southeast-1', rttMs: 40, sent: 100, received: 75, observedAt: '2025-06-01T11:55:00.000Z', source: 'synthetic' },
    ]);
    // Line 12 is line 1's instant in another zone: a duplicate. Lines 13 and 15 are older than `since`.
    expect(parsed.counts).toEqual({ lines: 18, accepted: 3, rejected: 12, tooOld: 2, duplicates: 1 });
  });

  it('without `since` or `now`, keeps old and future lines', async () => {
    const parsed = await parseFeed([lines[12], lines[13], lines[14]].join('\n'), { feedName: 'office', format: 'jsonl' });
    expect(parsed.problems).toEqual([]);
    expect(parsed.samples.map((s) => s.observedAt)).toEqual(['2025-06-01T10:59:59.000Z', '2025-06-01T12:10:00.000Z', '2025-06-01T09:45:30.250Z']);
  });

  it('rejects counts that contradict the RTT or the loss', async () => {
    const base = '"timestamp":"2025-06-01T11:50:00Z","vantage":"v","region":"eu-west-1"';
    const parsed = await parseFeed(
      [
        `{${base},"rttMs":5,"sent":4,"received":0}`,
        `{${base},"rttMs":null,"sent":4,"received":1}`,
        `{${base},"rttMs":5,"sent":4,"received":3,"lossPercent":50}`,
        `{${base},"rttMs":5,"sent":4}`,
        `{${base},"rttMs":5,"sent":0,"received":0}`,
        `{${base},"rttMs":5,"sent":2.5,"received":1}`,
        `{${base},"rttMs":"5"}`,
        `{${base},"rttMs":5,"lossPercent":100}`,
        `{${base},"rttMs":5,"clientGroup":7}`,
        `{"vantage":"v","region":"eu-west-1","rttMs":5}`,
        `{"timestamp":"2025-02-30T10:00:00Z","vantage":"v","region":"eu-west-1","rttMs":5}`,
        `{"timestamp":"2025-06-01T10:00:00","vantage":"v","region":"eu-west-1","rttMs":5}`,
        `{"timestamp":"2025-06-01T10:00:00+25:00","vantage":"v","region":"eu-west-1","rttMs":5}`,
      ].join('\n'),
      { feedName: 'f', format: 'jsonl' },
    );
    expect(parsed.problems).toEqual([
      'f:line 1: rttMs 5 given but received is 0',
      'f:line 2: rttMs says no reply but received is 1',
      'f:line 3: lossPercent 50 disagrees with sent 4 / received 3',
      'f:line 4: sent and received go together',
      'f:line 5: sent must be a whole number >= 1, got 0',
      'f:line 6: sent must be a whole number >= 1, got 2.5',
      'f:line 7: rttMs must be a number, got "5"',
      'f:line 8: rttMs 5 given but lossPercent is 100',
      'f:line 9: clientGroup must be a string',
      'f:line 10: timestamp missing',
      'f:line 11: timestamp "2025-02-30T10:00:00Z" is not a valid date and time',
      'f:line 12: timestamp "2025-06-01T10:00:00" is neither ISO-8601 with a time zone nor epoch seconds',
      'f:line 13: timestamp "2025-06-01T10:00:00+25:00" has an impossible time zone offset',
    ]);
    expect(parsed.samples).toEqual([]);
  });
});

describe('CSV feeds', () => {
  it('reads rows by header name, with empty RTT as no reply, and reports bad rows with their line numbers', async () => {
    const text = [
      /* 1 */ 'timestamp,vantage,client_group,region,rtt_ms,loss_percent',
      /* 2 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-central-1,3.2,0',
      /* 3 */ `${EPOCH_1130},fra-1,DE,us-east-1,,100`,
      /* 4 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-west-1,20',
      /* 5 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-west-1,abc,0',
      /* 6 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-west-1,-1.5,0',
      /* 7 */ '2025-06-01T11:50:00Z,"fra-1,DE,eu-west-1,20,0',
      /* 8 */ '2025-06-01T11:50:00Z,fra-1,DE,EU-WEST-1,20,0',
      /* 9 */ '"2025-06-01T11:51:00Z","lon, office",,eu-west-2,12.5,',
      /* 10 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-west-3,20,150',
      /* 11 */ '2025-06-01T11:50:00Z,,DE,eu-west-3,20,0',
      /* 12 */ 'last tuesday,fra-1,DE,eu-west-3,20,0',
      /* 13 */ '2025-06-01T11:50:00Z,fra-1,DE,eu-central-1,3.5,0',
      /* 14 */ '2025-06-01T10:00:00Z,fra-1,DE,eu-central-1,3.5,0',
      /* 15 */ '2025-06-01T11:52:00Z,par-1,FR,eu-west-3,1e1,50',
    ].join('\r\n');
    const parsed = await parseFeed(text, { feedName: 'probes.csv', format: 'csv', since: SINCE, now: NOW });
    expect(parsed.problems).toEqual([
      'probes.csv:line 4: expected 6 fields, got 5',
      'probes.csv:line 5: rtt_ms must be a number, got "abc"',
      'probes.csv:line 6: rtt_ms -1.5 is negative',
      'probes.csv:line 7: not valid CSV: unclosed quote',
      'probes.csv:line 8: region "EU-WEST-1" is not an AWS Region code such as eu-central-1',
      'probes.csv:line 10: loss_percent 150 is outside 0..100',
      'probes.csv:line 11: vantage missing',
      'probes.csv:line 12: timestamp "last tuesday" is neither ISO-8601 with a time zone nor epoch seconds',
    ]);
    expect(parsed.samples).toEqual([
      { clientGroup: 'DE', vantage: 'fra-1', region: 'eu-central-1', rttMs: 3.2, sent: 100, received: 100, observedAt: '2025-06-01T11:50:00.000Z', source: 'synthetic' },
      { clientGroup: 'DE', vantage: 'fra-1', region: 'us-east-1', rttMs: null, sent: 100, received: 0, observedAt: '2025-06-01T11:30:00.000Z', source: 'synthetic' },
      { clientGroup: 'lon, office', vantage: 'lon, office', region: 'eu-west-2', rttMs: 12.5, sent: 1, received: 1, observedAt: '2025-06-01T11:51:00.000Z', source: 'synthetic' },
      { clientGroup: 'FR', vantage: 'par-1', region: 'eu-west-3', rttMs: 10, sent: 100, received: 50, observedAt: '2025-06-01T11:52:00.000Z', source: 'synthetic' },
    ]);
    expect(parsed.counts).toEqual({ lines: 14, accepted: 4, rejected: 8, tooOld: 1, duplicates: 1 });
  });

  it('takes the columns in any order and without the optional ones', async () => {
    const parsed = await parseFeed('# exported by probe-runner\nRTT_MS,Region,Vantage,Timestamp,Sent,Received\n41,us-west-2,sea-1,2025-06-01T11:40:00Z,5,4\n', {
      feedName: 'f',
      format: 'csv',
    });
    expect(parsed.problems).toEqual([]);
    expect(parsed.samples).toEqual([
      { clientGroup: 'sea-1', vantage: 'sea-1', region: 'us-west-2', rttMs: 41, sent: 5, received: 4, observedAt: '2025-06-01T11:40:00.000Z', source: 'synthetic' },
    ]);
  });

  it('stops at a header that lacks a required column, and names columns it ignores', async () => {
    const missing = await parseFeed('timestamp,vantage,region,rtt\n2025-06-01T11:50:00Z,fra-1,eu-central-1,3\n', { feedName: 'f', format: 'csv' });
    expect(missing.problems).toEqual(['f:line 1: header lacks column rtt_ms']);
    expect(missing.samples).toEqual([]);

    const missingTwo = await parseFeed('\n\ntime,vantage,region\n', { feedName: 'f', format: 'csv' });
    expect(missingTwo.problems).toEqual(['f:line 3: header lacks columns timestamp, rtt_ms']);

    const extra = await parseFeed('timestamp,vantage,region,rtt_ms,loss_pct\n2025-06-01T11:50:00Z,fra-1,eu-central-1,3,1\n', { feedName: 'f', format: 'csv' });
    expect(extra.problems).toEqual(['f:line 1: unknown column "loss_pct" ignored']);
    expect(extra.samples).toHaveLength(1);

    const repeated = await parseFeed('timestamp,vantage,region,rtt_ms,region\n', { feedName: 'f', format: 'csv' });
    expect(repeated.problems).toEqual(['f:line 1: header repeats column region']);

    expect((await parseFeed('', { feedName: 'f', format: 'csv' })).problems).toEqual(['f: no header row']);
  });
});

describe('reading line by line', () => {
  const good = (i: number): string => `{"timestamp":${EPOCH_1130 + i},"vantage":"vé-${i}","region":"eu-west-1","rttMs":${i}}`;

  it('gives the same result whatever the chunking, even across multi-byte characters and CRLF', async () => {
    const text = '\uFEFF' + [good(1), '{bad', good(2), '', good(3)].join('\r\n');
    const whole = await parseFeed(text, { feedName: 'f', format: 'jsonl' });
    expect(whole.samples.map((s) => s.vantage)).toEqual(['vé-1', 'vé-2', 'vé-3']);
    expect(whole.problems).toEqual(['f:line 2: not valid JSON']);
    const bytes = Buffer.from(text, 'utf8');
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(fc.integer({ min: 1, max: bytes.length - 1 }), { maxLength: 12 }), async (cuts) => {
        const points = [0, ...cuts.sort((a, b) => a - b), bytes.length];
        const chunks = points.slice(1).map((end, i) => bytes.subarray(points[i], end));
        const streamed = await parseFeed(Readable.from(chunks), { feedName: 'f', format: 'jsonl' });
        expect(streamed).toEqual(whole);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects an overlong line without buffering it, and goes on', async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield good(1) + '\n{"vantage":"';
      for (let i = 0; i < 100; i++) yield 'x'.repeat(1000);
      yield '"}\n' + good(2);
    }
    const parsed = await parseFeed(chunks(), { feedName: 'f', format: 'jsonl', maxLineChars: 4096 });
    expect(parsed.problems).toEqual(['f:line 2: line too long']);
    expect(parsed.samples.map((s) => s.vantage)).toEqual(['vé-1', 'vé-2']);
  });

  it('lists a bounded number of problems and counts the rest', async () => {
    const text = Array.from({ length: 10 }, () => 'nope').join('\n');
    const parsed = await parseFeed(text, { feedName: 'f', format: 'jsonl', maxProblems: 3 });
    expect(parsed.problems).toEqual(['f:line 1: not valid JSON', 'f:line 2: not valid JSON', 'f:line 3: not valid JSON', 'f: 7 more problems not listed']);
    expect(parsed.counts.rejected).toBe(10);
  });
});

describe('feed timestamps', () => {
  it('reads ISO-8601 with any zone form and epoch seconds, to the millisecond', () => {
    const ms = (v: unknown): number | string => {
      const r = parseFeedTimestamp(v, 't');
      return r.ok ? r.ms : r.message;
    };
    expect(ms('2025-06-01T12:00:00Z')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(ms('2025-06-01t12:00z')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(ms('2025-06-01T14:00:00+02:00')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(ms('2025-06-01T08:30:00-0330')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(ms('2025-06-01T13:00:00+01')).toBe(Date.UTC(2025, 5, 1, 12));
    expect(ms('2025-06-01T12:00:00.123456789Z')).toBe(Date.UTC(2025, 5, 1, 12, 0, 0, 123));
    expect(ms('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(ms(1748779200.5)).toBe(1748779200500);
    expect(ms('1748779200')).toBe(1748779200000);
    expect(ms('2023-02-29T00:00:00Z')).toBe('t "2023-02-29T00:00:00Z" is not a valid date and time');
    expect(ms(-5)).toBe('t -5 is not a valid epoch time');
    expect(ms(true)).toBe('t must be a string or a number');
    expect(ms(null)).toBe('t missing');
  });
});
