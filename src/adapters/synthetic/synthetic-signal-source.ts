// Latency samples from every synthetic feed the policy lists, read in parallel. A feed that cannot be
// read becomes a problem and contributes nothing; the other feeds still count. Turning samples into
// per-group statistics happens when the snapshot is assembled, not here.

import type { LatencySample } from '../../domain/samples.js';
import type { Policy } from '../../policy/schema.js';
import { FeedFetchError } from './feed-fetch-error.js';
import { FeedFetcher } from './fetch-feed.js';
import { parseFeed } from './parse-feed.js';
import { redactLocation } from './redact-location.js';

export interface SyntheticSamples {
  readonly samples: LatencySample[];
  readonly problems: string[];
}

type SyntheticFeed = Policy['signals']['synthetic'][number];

export class SyntheticSignalSource {
  readonly name = 'synthetic';

  constructor(private readonly fetcher: FeedFetcher = new FeedFetcher()) {}

  /** Samples newer than the policy's latency age limit, from every feed, in the policy's feed order. */
  async collectSamples(policy: Policy, now: Date): Promise<SyntheticSamples> {
    const since = new Date(now.getTime() - policy.guardrails.maxSignalAgeSeconds.latency * 1000);
    const perFeed = await Promise.all(policy.signals.synthetic.map((feed) => this.readFeed(feed, since, now)));
    return { samples: perFeed.flatMap((r) => r.samples), problems: perFeed.flatMap((r) => r.problems) };
  }

  private async readFeed(feed: SyntheticFeed, since: Date, now: Date): Promise<SyntheticSamples> {
    try {
      const body = await this.fetcher.open(feed.name, feed.url);
      const parsed = await parseFeed(body, { feedName: feed.name, format: feed.format, since, now });
      const problems = [...parsed.problems];
      if (parsed.samples.length === 0) {
        const older = parsed.counts.tooOld > 0 ? ` (${parsed.counts.tooOld} older line${parsed.counts.tooOld > 1 ? 's' : ''} skipped)` : '';
        problems.push(`${feed.name}: no samples since ${since.toISOString()}${older}`);
      }
      return { samples: parsed.samples, problems };
    } catch (e) {
      // A feed cut off mid-read is dropped whole: its first part alone would be a biased sample.
      if (e instanceof FeedFetchError) return { samples: [], problems: [e.message] };
      // Anything else is unexpected; its message might quote the URL, so only its kind is shown.
      const kind = e instanceof Error ? e.name : typeof e;
      return { samples: [], problems: [`${feed.name}: cannot read ${redactLocation(feed.url)}: unexpected ${kind}`] };
    }
  }
}
