// RIPE Atlas as a signal source: the policy's latency measurements (ping to each Region's unicast
// addresses) and landing measurements (CHAOS TXT through the anycast address) become the snapshot's
// latency and landing measurements per client group, with the time of their newest sample, so the
// planner can hold on stale data.
//
// Ingestion is incremental across the cycles of one process (`ga-steer run`, a warm Lambda): each
// measurement keeps its converted samples over the age window and a cursor, and a cycle asks only for
// results after the cursor (the whole age window on the first cycle, or after the policy changed the
// measurement). A failed request keeps the window as it was; its samples keep their own times, so the
// planner still holds once they grow stale.
//
// Nothing here throws: API failures, unreadable lines, results without a sample and a missing key all
// become `problems`, and what could be read still counts. The API key is read from the environment on
// every cycle and scrubbed from every problem text.

import type { ClientGroupId, LandingSample, LatencySample } from '../../domain/samples.js';
import type { Policy } from '../../policy/schema.js';
import type { SignalReadout, SignalSource } from '../../ports/signal-source.js';
import type { ClientGroup } from '../../snapshot/schema.js';
import { openCallScope } from '../deadline/call-deadline.js';
import { DeadlineExceededError } from '../deadline/errors.js';
import { AtlasClient } from './client/atlas-client.js';
import { ATLAS_DEFAULTS, type AtlasClientConfig } from './client/config.js';
import { AtlasApiError, AtlasLineError, AtlasStreamInterrupted } from './client/errors.js';
import type { AtlasProbe } from './client/probe.js';
import { redactSecret } from './client/secret.js';
import { ResultParseError } from './parse/errors.js';
import { parseAtlasResult } from './parse/parse-result.js';
import type { ProbeDirectory, ProbeInfo } from './parse/probe-directory.js';
import type { ParsedResult } from './parse/result-types.js';
import { summarizeLanding, summarizeLatency } from '../../signals/summarize-samples.js';
import { toLandingSamples, toLatencySamples, type SampleIssue } from './parse/to-samples.js';
import { measurementSpecKey, type AtlasMeasurementSpec } from './measurement-spec-key.js';
import { EMPTY_BATCH, SampleWindow, windowStartSeconds, type CursorKey, type WindowView } from './sample-window.js';

type AtlasSignals = NonNullable<Policy['signals']['ripeAtlas']>;

export interface RipeAtlasSourceOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Origin of the API; default https://atlas.ripe.net. */
  readonly baseUrl?: string;
  /** Client settings other than the origin and the key: timeouts, retries, test seams. */
  readonly client?: Omit<AtlasClientConfig, 'baseUrl' | 'apiKey'>;
  /** Probe metadata (country, ASN, location) is read again after this long; default one day. */
  readonly probeCacheSeconds?: number;
  /** Results read per measurement and cycle at most; the rest is reported, not buffered. */
  readonly maxResultsPerMeasurement?: number;
  /** Samples (and unplaced results) kept per measurement at most; the oldest go first. Default 200,000. */
  readonly maxSamplesPerMeasurement?: number;
  /**
   * Seconds before the newest result already read that each cycle asks for again, to catch results
   * the API stored late; repeats are recognised and dropped. Default 0: start = newest + 1.
   */
  readonly overlapSeconds?: number;
  /**
   * Deadline of each request, whole body included (default 60 s; the cycle's applies too): the
   * client's own timeouts bound each wait for data, not a server that trickles it.
   */
  readonly callTimeoutMs?: number;
}

const DEFAULT_PROBE_CACHE_SECONDS = 24 * 3600;
const DEFAULT_MAX_RESULTS = 200_000;
const DEFAULT_MAX_SAMPLES = 200_000;
const DEFAULT_CALL_TIMEOUT_MS = 60_000;
/** A probe id the API does not list (yet) is asked for again after this long. */
const UNKNOWN_PROBE_RETRY_MS = 3600 * 1000;
/** Examples quoted per kind of problem; the counts say how many there were. */
const EXAMPLES = 3;

interface FetchedMeasurement {
  readonly results: ParsedResult[];
  readonly keys: CursorKey[];
  readonly problems: string[];
  /** The request failed: nothing read in it is taken, the cursor stays, the next cycle asks again. */
  readonly failed: boolean;
}

type MeasurementSlot =
  | { readonly spec: AtlasMeasurementSpec; readonly role: 'latency'; readonly window: SampleWindow<LatencySample> }
  | { readonly spec: AtlasMeasurementSpec; readonly role: 'landing'; readonly window: SampleWindow<LandingSample> };

export class RipeAtlasSignalSource implements SignalSource {
  readonly name = 'ripe-atlas';
  readonly #options: RipeAtlasSourceOptions;
  /** Kept across cycles: probes seldom move, and the probes API need not be asked every minute. */
  readonly #probes = new Map<number, { readonly probe: AtlasProbe; readonly readAt: number }>();
  /** Probe ids the API did not know when last asked, and when: not asked again every cycle. */
  readonly #unknownProbes = new Map<number, number>();
  /** Each measurement's samples over its age window and its cursor, by measurementSpecKey. */
  readonly #windows = new Map<string, MeasurementSlot>();

  constructor(options: RipeAtlasSourceOptions) {
    this.#options = options;
  }

  async collect(policy: Policy, now: Date): Promise<SignalReadout> {
    const atlas = policy.signals.ripeAtlas;
    if (atlas === undefined || atlas.measurements.length === 0) return { problems: [] };
    const raw = this.#options.env[atlas.apiKeyEnv];
    const apiKey = raw === undefined || raw.trim() === '' ? undefined : raw.trim();
    const scrub = (text: string): string => redactSecret(raw === undefined ? text : redactSecret(text, raw), apiKey);
    try {
      const readout = await this.#collect(atlas, policy, now, apiKey);
      return { ...readout, problems: readout.problems.map((p) => `ripe-atlas: ${scrub(p)}`) };
    } catch (e) {
      // Not expected (every call below reports its own failures), but a source must never throw.
      return { problems: [`ripe-atlas: ${scrub(describeError(e, atlas.apiKeyEnv, apiKey !== undefined))}`] };
    }
  }

  async #collect(atlas: AtlasSignals, policy: Policy, now: Date, apiKey: string | undefined): Promise<SignalReadout> {
    const client = new AtlasClient({
      ...this.#options.client,
      ...(this.#options.baseUrl !== undefined ? { baseUrl: this.#options.baseUrl } : {}),
      ...(apiKey !== undefined ? { apiKey } : {}),
    });
    const maxAge = policy.guardrails.maxSignalAgeSeconds;
    const slots = this.#slotsFor(atlas, now, maxAge);
    const fetched = await Promise.all(slots.map((slot) => this.#fetch(client, slot, now, maxAge[slot.role], atlas.apiKeyEnv, apiKey !== undefined)));
    const problems = fetched.flatMap((f) => f.problems);

    // Probes of the window as well as of the new results: a result kept waiting for its probe is placed
    // once the metadata arrives, and the client groups' locations cover every sample kept.
    const ids = new Set<number>();
    for (const slot of slots) for (const id of slot.window.probeIds()) ids.add(id);
    for (const f of fetched) for (const r of f.results) ids.add(r.probeId);
    const lookup = await this.#lookUpProbes(client, [...ids].sort((a, b) => a - b), now, atlas.apiKeyEnv, apiKey !== undefined);
    problems.push(...lookup.problems);

    const common = { probes: lookup.directory, clientGroupRule: atlas.clientGroupBy, now };
    const maxEntries = this.#options.maxSamplesPerMeasurement ?? DEFAULT_MAX_SAMPLES;
    const placeable = (id: number): boolean => lookup.directory.has(id);
    const latencySamples: LatencySample[] = [];
    const landingSamples: LandingSample[] = [];
    slots.forEach((slot, i) => {
      const f = fetched[i];
      const batch = f === undefined || f.failed ? EMPTY_BATCH : f;
      const options = { now, maxAgeSeconds: maxAge[slot.role], maxEntries, placeable };
      let view: WindowView<LatencySample | LandingSample>;
      if (slot.role === 'latency') {
        const targets = slot.spec.targets ?? {};
        const v = slot.window.ingest(batch, { ...options, convert: (rs) => toLatencySamples(rs, { ...common, targets }) });
        latencySamples.push(...v.samples);
        view = v;
      } else {
        const answers = slot.spec.answers ?? [];
        const v = slot.window.ingest(batch, { ...options, convert: (rs) => toLandingSamples(rs, { ...common, answers }) });
        landingSamples.push(...v.samples);
        view = v;
      }
      problems.push(...conversionProblems(slot.spec.id, view), ...view.capped.map((p) => `measurement ${slot.spec.id}: ${p}`));
      const empty = view.samples.length === 0 && view.dropped.length === 0 && view.flagged.length === 0;
      if (empty && f !== undefined && f.problems.length === 0) {
        problems.push(`measurement ${slot.spec.id}: no results since ${new Date(windowStartSeconds(now, maxAge[slot.role]) * 1000).toISOString()}`);
      }
    });

    const latency = summarizeLatency(latencySamples, { now, maxAgeSeconds: maxAge.latency });
    const landing = summarizeLanding(landingSamples, { now, maxAgeSeconds: maxAge.landing });
    problems.push(...latency.problems, ...landing.problems);
    const measuredGroups = new Set<ClientGroupId>([...latency.measurements.map((m) => m.clientGroup), ...landing.measurements.map((m) => m.clientGroup)]);
    const clientGroups = clientGroupsOf([...latencySamples, ...landingSamples], measuredGroups, lookup.probes);
    return { latency: latency.measurements, landing: landing.measurements, clientGroups, problems };
  }

  /**
   * The window of each measurement in the policy: the one kept from earlier cycles when the policy
   * still asks for the same thing over no longer a time, else a new, empty one. Windows of
   * measurements the policy no longer lists are forgotten.
   */
  #slotsFor(atlas: AtlasSignals, now: Date, maxAge: Policy['guardrails']['maxSignalAgeSeconds']): MeasurementSlot[] {
    const slots = new Map<string, MeasurementSlot>();
    for (const spec of atlas.measurements) {
      const key = measurementSpecKey(spec, atlas.clientGroupBy);
      // The same measurement listed twice is read once.
      if (slots.has(key)) continue;
      const kept = this.#windows.get(key);
      if (kept !== undefined && kept.window.covers(now, maxAge[spec.role])) {
        slots.set(key, kept);
        continue;
      }
      const from = windowStartSeconds(now, maxAge[spec.role]);
      const overlap = this.#options.overlapSeconds ?? 0;
      slots.set(
        key,
        spec.role === 'latency'
          ? { spec, role: 'latency', window: new SampleWindow<LatencySample>(key, from, overlap) }
          : { spec, role: 'landing', window: new SampleWindow<LandingSample>(key, from, overlap) },
      );
    }
    this.#windows.clear();
    for (const [key, slot] of slots) this.#windows.set(key, slot);
    return [...slots.values()];
  }

  /** Results of one measurement that are new since its cursor (or the whole age window), parsed; bad lines counted. */
  async #fetch(client: AtlasClient, slot: MeasurementSlot, now: Date, maxAgeSeconds: number, keyEnv: string, hasKey: boolean): Promise<FetchedMeasurement> {
    const { spec, window } = slot;
    const results: ParsedResult[] = [];
    const keys: CursorKey[] = [];
    const problems: string[] = [];
    const lineErrors: string[] = [];
    const parseErrors: string[] = [];
    let otherMeasurement = 0;
    let truncated = false;
    let failed = false;
    const limit = this.#options.maxResultsPerMeasurement ?? DEFAULT_MAX_RESULTS;
    const start = window.startFor(now, maxAgeSeconds);
    const stop = Math.floor(now.getTime() / 1000);
    const scope = openCallScope({ service: 'RIPE Atlas', operation: `GET results of measurement ${spec.id}`, target: this.#host() }, this.#callTimeoutMs());
    try {
      for await (const item of client.streamResults(spec.id, { start, stop: now, signal: scope.signal })) {
        if (item instanceof AtlasLineError) {
          lineErrors.push(`line ${item.lineNumber} ${item.reason}`);
          continue;
        }
        // The boundary second (or the overlap) comes back: taken by an earlier cycle.
        if (!window.isNew(item)) continue;
        if (results.length >= limit) {
          truncated = true;
          break;
        }
        const key = SampleWindow.keyOf(item, stop);
        if (key !== undefined) keys.push(key);
        const parsed = parseAtlasResult(item);
        if (parsed instanceof ResultParseError) {
          parseErrors.push(`${parsed.context.probeId !== undefined ? `probe ${parsed.context.probeId}: ` : ''}${parsed.message}`);
          continue;
        }
        if (parsed.msmId !== spec.id) {
          otherMeasurement++;
          continue;
        }
        results.push(parsed);
      }
    } catch (e) {
      // Results read before the failure are not taken: a stream is not in time order, so the cursor
      // could not say which ones are missing. The next cycle asks for the same span again.
      failed = true;
      const cause = scope.ranOut() ?? e;
      const read = (cause instanceof AtlasStreamInterrupted || cause instanceof DeadlineExceededError) && results.length > 0 ? `; the ${results.length} result(s) read before are left for the next cycle` : '';
      const kept = window.size.samples > 0 ? `; the ${window.size.samples} sample(s) of earlier cycles still count` : '';
      problems.push(`measurement ${spec.id}: ${describeError(cause, keyEnv, hasKey)}${read}${kept}`);
    } finally {
      scope.end();
    }
    if (lineErrors.length > 0) problems.push(`measurement ${spec.id}: ${lineErrors.length} unreadable result line(s) skipped (${examples(lineErrors)})`);
    if (parseErrors.length > 0) problems.push(`measurement ${spec.id}: ${parseErrors.length} unusable result(s) skipped (${examples(parseErrors)})`);
    if (otherMeasurement > 0) problems.push(`measurement ${spec.id}: ${otherMeasurement} result(s) of another measurement ignored`);
    if (truncated) problems.push(`measurement ${spec.id}: more than ${limit} new results since ${new Date(start * 1000).toISOString()}; only the first ${limit} were used`);
    return { results, keys, problems, failed };
  }

  #callTimeoutMs(): number {
    return this.#options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS;
  }

  /** The API's host, for messages. */
  #host(): string {
    try {
      return new URL(this.#options.baseUrl ?? ATLAS_DEFAULTS.baseUrl).host;
    } catch {
      return 'RIPE Atlas API';
    }
  }

  /** Country, ASN and location of the probes seen: from the cache when recent, else one API lookup. */
  async #lookUpProbes(
    client: AtlasClient,
    ids: readonly number[],
    now: Date,
    keyEnv: string,
    hasKey: boolean,
  ): Promise<{ directory: ProbeDirectory; probes: ReadonlyMap<number, AtlasProbe>; problems: string[] }> {
    const problems: string[] = [];
    const maxAgeMs = (this.#options.probeCacheSeconds ?? DEFAULT_PROBE_CACHE_SECONDS) * 1000;
    const stale = ids.filter((id) => {
      const cached = this.#probes.get(id);
      if (cached !== undefined) return now.getTime() - cached.readAt > maxAgeMs;
      const missedAt = this.#unknownProbes.get(id);
      return missedAt === undefined || now.getTime() - missedAt > UNKNOWN_PROBE_RETRY_MS;
    });
    if (stale.length > 0) {
      const scope = openCallScope({ service: 'RIPE Atlas', operation: 'GET probes', target: this.#host() }, this.#callTimeoutMs());
      try {
        const found = new Set<number>();
        for (const probe of await client.probes({ ids: stale, signal: scope.signal })) {
          this.#probes.set(probe.id, { probe, readAt: now.getTime() });
          this.#unknownProbes.delete(probe.id);
          found.add(probe.id);
        }
        for (const id of stale) if (!found.has(id) && !this.#probes.has(id)) this.#unknownProbes.set(id, now.getTime());
      } catch (e) {
        // Older metadata still places a probe; only probes never seen are lost.
        problems.push(`probe metadata for ${stale.length} probe(s): ${describeError(scope.ranOut() ?? e, keyEnv, hasKey)}`);
      } finally {
        scope.end();
      }
    }
    const directory = new Map<number, ProbeInfo>();
    const probes = new Map<number, AtlasProbe>();
    const noCountry: number[] = [];
    for (const id of ids) {
      const probe = this.#probes.get(id)?.probe;
      if (probe === undefined) continue;
      probes.set(id, probe);
      const cc = probe.countryCode?.toUpperCase();
      if (cc === undefined || !/^[A-Z]{2}$/.test(cc)) {
        noCountry.push(id);
        continue;
      }
      directory.set(id, { countryCode: cc, ...(probe.asnV4 !== null ? { asn: probe.asnV4 } : {}), ...(probe.asnV6 !== null ? { asnV6: probe.asnV6 } : {}) });
    }
    if (noCountry.length > 0) problems.push(`${noCountry.length} probe(s) without a country code, their results left out (${examples(noCountry.map(String))})`);
    return { directory, probes, problems };
  }
}

/** Results that gave no sample, by reason; samples kept with a doubtful clock; bad answer rules. */
function conversionProblems(
  msmId: number,
  conversion: { readonly dropped: readonly SampleIssue[]; readonly flagged: readonly SampleIssue[]; readonly problems: readonly string[] },
): string[] {
  const out = [...conversion.problems.map((p) => `measurement ${msmId}: ${p}`)];
  if (conversion.dropped.length > 0) {
    out.push(`measurement ${msmId}: ${conversion.dropped.length} result(s) gave no sample (${countByReason(conversion.dropped)}; e.g. ${examples(conversion.dropped.map(issueText))})`);
  }
  if (conversion.flagged.length > 0) out.push(`measurement ${msmId}: ${conversion.flagged.length} sample(s) from probes unsure of their clock`);
  return out;
}

function countByReason(issues: readonly SampleIssue[]): string {
  const counts = new Map<string, number>();
  for (const i of issues) counts.set(i.reason, (counts.get(i.reason) ?? 0) + 1);
  return [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ');
}

function issueText(i: SampleIssue): string {
  return i.detail.includes(`probe ${i.probeId}`) ? i.detail : `probe ${i.probeId}: ${i.detail}`;
}

function examples(items: readonly string[]): string {
  return items.slice(0, EXAMPLES).join('; ') + (items.length > EXAMPLES ? '; ...' : '');
}

/**
 * One entry per measured client group: its country, its ASN when groups are by country and ASN, and
 * the centre of its probes' (obfuscated) locations when the probes have one.
 */
function clientGroupsOf(samples: readonly (LatencySample | LandingSample)[], measured: ReadonlySet<ClientGroupId>, probes: ReadonlyMap<number, AtlasProbe>): ClientGroup[] {
  const members = new Map<ClientGroupId, Set<number>>();
  for (const s of samples) {
    if (!measured.has(s.clientGroup)) continue;
    const set = members.get(s.clientGroup) ?? new Set<number>();
    set.add(Number(s.vantage));
    members.set(s.clientGroup, set);
  }
  const groups: ClientGroup[] = [];
  for (const [id, probeIds] of [...members.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const located = [...probeIds].flatMap((pid) => {
      const p = probes.get(pid);
      return p !== undefined && p.latitude !== null && p.longitude !== null ? [{ latitude: p.latitude, longitude: p.longitude }] : [];
    });
    const centre = sphericalMean(located);
    const asn = /-AS(\d+)$/.exec(id)?.[1];
    const cc = /^([A-Z]{2})(?:-AS\d+)?$/.exec(id)?.[1];
    groups.push({
      id,
      ...(cc !== undefined ? { countryCode: cc } : {}),
      ...(asn !== undefined ? { asn: Number(asn) } : {}),
      ...(centre !== undefined ? centre : {}),
    });
  }
  return groups;
}

/** Mean of points on the sphere (so a group spanning the antimeridian is not placed on the far side). */
export function sphericalMean(points: readonly { latitude: number; longitude: number }[]): { latitude: number; longitude: number } | undefined {
  if (points.length === 0) return undefined;
  let x = 0;
  let y = 0;
  let z = 0;
  for (const p of points) {
    const lat = (p.latitude * Math.PI) / 180;
    const lon = (p.longitude * Math.PI) / 180;
    x += Math.cos(lat) * Math.cos(lon);
    y += Math.cos(lat) * Math.sin(lon);
    z += Math.sin(lat);
  }
  const hyp = Math.hypot(x, y);
  // Points that cancel out (antipodes) have no meaningful centre.
  if (hyp < 1e-9 && Math.abs(z) < 1e-9) return undefined;
  const round4 = (v: number): number => Math.round(v * 10_000) / 10_000;
  return { latitude: round4((Math.atan2(z, hyp) * 180) / Math.PI), longitude: round4((Math.atan2(y, x) * 180) / Math.PI) };
}

/** The error's own message (the client's errors never hold the key), with a hint when access was refused. */
function describeError(e: unknown, keyEnv: string, hasKey: boolean): string {
  const text = e instanceof Error ? e.message : String(e);
  if (e instanceof AtlasApiError && (e.status === 401 || e.status === 403)) {
    return hasKey
      ? `${text} (the key in ${keyEnv} was refused or lacks permission for this measurement)`
      : `${text} (${keyEnv} is not set: a non-public measurement needs an API key)`;
  }
  return text;
}
