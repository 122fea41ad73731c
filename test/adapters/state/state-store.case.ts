// The contract every StateStore passes (memory, file, S3, DynamoDB): the lease (acquire, conflict,
// expiry and takeover, renewal, fencing, release, N concurrent contenders) and the state (round trip,
// missing, corrupt). Each implementation's test file runs it with its own fixture.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StateCorruptError } from '../../../src/adapters/state/errors.js';
import { emptyControllerState, type ControllerState } from '../../../src/planner/controller-state.js';
import type { Lease, LeaseAttempt } from '../../../src/ports/lease.js';
import type { StateStore, StoredState } from '../../../src/ports/state-store.js';
import type { AlertMemory } from '../../../src/app/alert-memory.js';

export interface StoreFixture {
  /** A new handle on the same storage, as another process would open it. */
  open(): StateStore;
  /** Makes the stored state unreadable (garbage where the state should be). */
  corrupt(): Promise<void>;
  /** Puts `text` where the store keeps the state's text, as another writer might have left it. */
  storeStateText(text: string): Promise<void>;
  /** What a StateCorruptError must name: the store and the key. */
  readonly location: string;
}

export interface StateStoreContract {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Empty storage of its own for one test. */
  fresh(): Promise<StoreFixture>;
}

const T0 = new Date('2026-12-01T18:00:00.000Z');
const TTL = 60_000;
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const stateAt = (iso: string, dial: number): ControllerState => ({ ...emptyControllerState(), groups: { 'arn:group': { lastChangeAt: iso, expectedDialPercent: dial } } });

function granted(attempt: LeaseAttempt): Lease {
  if (!attempt.acquired) throw new Error(`expected the lease, but ${attempt.holder.owner} holds it`);
  return attempt.lease;
}

export function describeStateStoreContract(contract: StateStoreContract): void {
  describe(`${contract.name} state store (contract)`, () => {
    beforeAll(() => contract.start());
    afterAll(() => contract.stop());

    it('loads the empty state when nothing was saved', async () => {
      const f = await contract.fresh();
      expect(await f.open().load()).toEqual(emptyControllerState());
    });

    it('round-trips the state through another handle', async () => {
      const f = await contract.fresh();
      const a = f.open();
      const lease = granted(await a.acquireLease('writer-a', TTL, T0));
      expect(await a.save(stateAt('2026-12-01T18:00:00Z', 85), lease, at(1000))).toEqual({ written: true });
      expect(await f.open().load()).toEqual(stateAt('2026-12-01T18:00:00Z', 85));
      expect(await a.save(stateAt('2026-12-01T18:00:01Z', 70), lease, at(2000))).toEqual({ written: true });
      expect(await f.open().load()).toEqual(stateAt('2026-12-01T18:00:01Z', 70));
    });

    it('grants a free lease with a positive token and the expiry asked for', async () => {
      const f = await contract.fresh();
      const attempt = await f.open().acquireLease('writer-a', TTL, T0);
      expect(attempt).toEqual({ acquired: true, lease: { owner: 'writer-a', token: expect.any(Number), expiresAt: at(TTL) } });
      expect(granted(attempt).token).toBeGreaterThan(0);
    });

    it('refuses a second owner while the lease is valid, naming the holder and its expiry', async () => {
      const f = await contract.fresh();
      const lease = granted(await f.open().acquireLease('writer-a', TTL, T0));
      const second = await f.open().acquireLease('writer-b', TTL, at(TTL - 1));
      expect(second).toEqual({ acquired: false, holder: { owner: 'writer-a', token: lease.token, expiresAt: at(TTL) } });
    });

    it('takes an expired lease over with a greater token, and says from whom', async () => {
      const f = await contract.fresh();
      const first = granted(await f.open().acquireLease('writer-a', TTL, T0));
      const second = await f.open().acquireLease('writer-b', TTL, at(TTL));
      expect(second).toMatchObject({ acquired: true, lease: { owner: 'writer-b', expiresAt: at(2 * TTL) }, tookOverFrom: { owner: 'writer-a', token: first.token } });
      expect(granted(second).token).toBeGreaterThan(first.token);
    });

    it('renewal extends the lease: no takeover at the old expiry, and the renewed expiry is reported', async () => {
      const f = await contract.fresh();
      const store = f.open();
      const lease = granted(await store.acquireLease('writer-a', TTL, T0));
      const renewal = await store.renewLease(lease, TTL, at(TTL / 2));
      expect(renewal).toEqual({ held: true, lease: { ...lease, expiresAt: at(TTL / 2 + TTL) } });
      const contender = await f.open().acquireLease('writer-b', TTL, at(TTL + 1));
      expect(contender).toEqual({ acquired: false, holder: { owner: 'writer-a', token: lease.token, expiresAt: at(TTL / 2 + TTL) } });
    });

    it('a lease that expired, or was taken over, cannot be renewed', async () => {
      const f = await contract.fresh();
      const store = f.open();
      const lease = granted(await store.acquireLease('writer-a', TTL, T0));
      expect(await store.renewLease(lease, TTL, at(TTL))).toMatchObject({ held: false, reason: expect.stringContaining('expired') });
      const next = granted(await f.open().acquireLease('writer-b', TTL, at(TTL + 1)));
      expect(await store.renewLease(lease, TTL, at(TTL + 2))).toMatchObject({ held: false, holder: { owner: 'writer-b', token: next.token } });
      expect(await f.open().checkLease(next, at(TTL + 3))).toEqual({ held: true, lease: next });
    });

    it('fencing: a superseded holder cannot save; the new holder\'s state stands', async () => {
      const f = await contract.fresh();
      const a = f.open();
      const old = granted(await a.acquireLease('writer-a', TTL, T0));
      expect(await a.save(stateAt('2026-12-01T18:00:00Z', 85), old, at(1))).toEqual({ written: true });
      const b = f.open();
      const current = granted(await b.acquireLease('writer-b', TTL, at(TTL)));
      expect(await b.save(stateAt('2026-12-01T18:01:00Z', 70), current, at(TTL + 1))).toEqual({ written: true });
      // The old holder wakes up, its clock behind: by its own clock its lease is still valid.
      const refused = await a.save(stateAt('2026-12-01T18:00:30Z', 55), old, at(TTL / 2));
      expect(refused).toMatchObject({ written: false, holder: { owner: 'writer-b', token: current.token } });
      expect(await a.checkLease(old, at(TTL / 2))).toMatchObject({ held: false });
      expect(await f.open().load()).toEqual(stateAt('2026-12-01T18:01:00Z', 70));
    });

    it('an expired holder cannot save even when nobody took over', async () => {
      const f = await contract.fresh();
      const store = f.open();
      const lease = granted(await store.acquireLease('writer-a', TTL, T0));
      expect(await store.save(stateAt('2026-12-01T18:00:00Z', 85), lease, at(TTL))).toMatchObject({ written: false, reason: expect.stringContaining('expired') });
      expect(await f.open().load()).toEqual(emptyControllerState());
    });

    it('release frees the lease at once, keeps tokens growing, and a stale release changes nothing', async () => {
      const f = await contract.fresh();
      const a = f.open();
      const first = granted(await a.acquireLease('writer-a', TTL, T0));
      await a.releaseLease(first);
      expect(await a.checkLease(first, at(1))).toMatchObject({ held: false });
      const b = f.open();
      const second = await b.acquireLease('writer-b', TTL, at(2));
      expect(second).toMatchObject({ acquired: true });
      // A released lease was given up, not taken over.
      expect(second).not.toHaveProperty('tookOverFrom');
      expect(granted(second).token).toBeGreaterThan(first.token);
      await a.releaseLease(first);
      expect(await b.checkLease(granted(second), at(3))).toEqual({ held: true, lease: granted(second) });
      expect(await f.open().acquireLease('writer-c', TTL, at(4))).toMatchObject({ acquired: false, holder: { owner: 'writer-b' } });
    });

    it('tokens strictly increase over many grants', async () => {
      const f = await contract.fresh();
      const tokens: number[] = [];
      for (let i = 0; i < 6; i++) {
        const store = f.open();
        const lease = granted(await store.acquireLease(`writer-${i}`, TTL, at(i * 10)));
        tokens.push(lease.token);
        if (i % 2 === 0) await store.releaseLease(lease);
        else await store.renewLease(lease, 1, at(i * 10 + 1)); // expires at once: the next takes it over
      }
      expect(tokens).toEqual([...tokens].sort((x, y) => x - y));
      expect(new Set(tokens).size).toBe(tokens.length);
    });

    it('of N concurrent contenders exactly one gets the lease; the others name it', async () => {
      const f = await contract.fresh();
      // Half of them find an expired lease to take over, the race every Lambda overlap is.
      const stale = f.open();
      granted(await stale.acquireLease('crashed', TTL, T0));
      const attempts = await Promise.all(Array.from({ length: 8 }, (_, i) => f.open().acquireLease(`contender-${i}`, TTL, at(TTL + i))));
      const winners = attempts.filter((a) => a.acquired);
      expect(winners).toHaveLength(1);
      const winner = granted(winners[0]!);
      for (const a of attempts.filter((x) => !x.acquired)) expect(a).toMatchObject({ acquired: false, holder: { owner: winner.owner, token: winner.token } });
      expect(await f.open().checkLease(winner, at(TTL + 10))).toEqual({ held: true, lease: winner });
    });

    it('a corrupt state is a StateCorruptError naming the store and key, never reset', async () => {
      const f = await contract.fresh();
      await f.corrupt();
      const error = await f.open().load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StateCorruptError);
      expect((error as StateCorruptError).message).toContain(f.location);
      expect((error as StateCorruptError).location).toBe(f.location);
    });

    it('reads the stored text through the one guarded state parser: each issue at its place, nesting bounded', async () => {
      const f = await contract.fresh();
      const loadError = async (): Promise<StateCorruptError> => {
        const error = await f.open().load().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(StateCorruptError);
        return error as StateCorruptError;
      };
      await f.storeStateText('{\n  "stateVersion": 1,\n  "groups": {"g": {"expectedDialPercent": "85"}}\n}\n');
      expect((await loadError()).message).toBe(
        `${f.location}: the stored state is not valid (${f.location}:3:43 groups.g.expectedDialPercent: expected a number, got the string '85'); refusing to reset it`,
      );
      await f.storeStateText(`{"stateVersion": 1, "groups": ${'['.repeat(100)}${']'.repeat(100)}}`);
      expect((await loadError()).message).toContain(`(${f.location}:1:94 nested deeper than 64 levels of objects and arrays)`);
      await f.storeStateText('{"stateVersion": 1, "groups": {}, "__proto__": {"polluted": true}}');
      expect((await loadError()).message).toMatch(new RegExp(`\\(${f.location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:1:35 __proto__: `));
      expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
    });

    it('keeps the alert memory beside the state; a state without it still loads', async () => {
      const f = await contract.fresh();
      const a = f.open();
      const lease = granted(await a.acquireLease('writer-a', TTL, T0));
      const alerts: AlertMemory = {
        version: 1,
        open: { 'hold:region:eu-central-1:CoolingDown': { kind: 'hold', title: 'eu-central-1: CoolingDown', firstPostedAt: '2026-12-01T18:00:00.000Z', lastPostedAt: '2026-12-01T18:00:00.000Z', seenCount: 1 } },
      };
      const stored: StoredState = { ...stateAt('2026-12-01T18:00:00Z', 85), alerts };
      expect(await a.save(stored, lease, at(1000))).toEqual({ written: true });
      expect(await f.open().load()).toEqual(stored);
      await f.storeStateText('{"stateVersion": 1, "groups": {}}');
      expect((await f.open().load()).alerts).toBeUndefined();
    });

    it('a bad alert memory is an issue at its place, through the same parser', async () => {
      const f = await contract.fresh();
      await f.storeStateText('{\n  "stateVersion": 1,\n  "groups": {},\n  "alerts": {"version": 1, "open": {"k": {"kind": "nope"}}}\n}\n');
      const error = await f.open().load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StateCorruptError);
      expect((error as StateCorruptError).message).toMatch(new RegExp(`${f.location.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:4:\\d+ alerts\\.open\\.k\\.kind: `));
    });

    it('keeps the control record and decision history beside the state; state without them loads as it was', async () => {
      const f = await contract.fresh();
      const a = f.open();
      const lease = granted(await a.acquireLease('writer-a', TTL, T0));
      const control = {
        setting: { mode: 'paused' as const, by: 'alice', at: '2026-12-01T18:00:00.000Z', reason: 'deploy freeze' },
        baselines: { 'arn:group': { region: 'eu-central-1', listenerArn: 'arn:listener', recordedAt: '2026-12-01T17:00:00.000Z', trafficDialPercent: 100, endpoints: [{ endpointId: 'e-1', weight: 128 }] } },
      };
      const decisions = [{ at: '2026-12-01T18:00:00.000Z', kind: 'apply' as const, verdict: 'no-changes' as const, headline: 'No changes.', changes: [], holds: [] }];
      const stored = { ...stateAt('2026-12-01T18:00:00Z', 85), control, decisions };
      expect(await a.save(stored, lease, at(1000))).toEqual({ written: true });
      expect(await f.open().load()).toEqual(stored);
      await f.storeStateText('{"stateVersion": 1, "groups": {"g": {"expectedDialPercent": 85}}}');
      const old = await f.open().load();
      expect(old.control).toBeUndefined();
      expect(old.decisions).toBeUndefined();
      expect(old.groups['g']?.expectedDialPercent).toBe(85);
      await f.storeStateText('{"stateVersion": 2,\n "control": {"setting": {"mode": "stopped", "by": "bob", "at": "2026-12-01T18:00:00Z", "reason": ""}}}');
      const error = await f.open().load().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(StateCorruptError);
      expect((error as StateCorruptError).message).toMatch(/:2:34 control\.setting\.mode: /);
    });

    it('a time that is not an ISO-8601 time is refused at its place, in every time field of the state', async () => {
      const f = await contract.fresh();
      // A bad lastChangeAt must never read as "no change yet": that would silently end every cooldown.
      const fields: readonly { path: string; text: (bad: string) => string; line: number; column: number }[] = [
        { path: 'groups.g.lastChangeAt', text: (t) => `{\n  "stateVersion": 2,\n  "groups": {"g": {"lastChangeAt": "${t}"}}\n}\n`, line: 3, column: 36 },
        { path: 'groups.g.weightsChangedAt', text: (t) => `{\n  "stateVersion": 2,\n  "groups": {"g": {"weightsChangedAt": "${t}"}}\n}\n`, line: 3, column: 40 },
        { path: 'groups.g.humanOverrideSeenAt', text: (t) => `{\n  "stateVersion": 2,\n  "groups": {"g": {"humanOverrideSeenAt": "${t}"}}\n}\n`, line: 3, column: 43 },
        { path: 'regions.eu-west-1.healthSince', text: (t) => `{\n  "stateVersion": 2,\n  "regions": {"eu-west-1": {"healthy": true, "healthSince": "${t}"}}\n}\n`, line: 3, column: 61 },
        { path: 'history[0].at', text: (t) => `{\n  "stateVersion": 2,\n  "history": [{"at": "${t}", "dials": {}, "healthy": {}}]\n}\n`, line: 3, column: 22 },
        { path: 'history[0].load.eu-west-1.at', text: (t) => `{\n  "stateVersion": 2,\n  "history": [{"at": "2026-12-01T18:00:00Z", "dials": {}, "healthy": {},\n    "load": {"eu-west-1": {"value": 1, "at": "${t}"}}}]\n}\n`, line: 4, column: 46 },
        { path: 'groups.g.lastChangeAt', text: (t) => `{"stateVersion": 1, "groups": {"g": {"lastChangeAt": "${t}"}}}`, line: 1, column: 54 },
      ];
      for (const field of fields) {
        await f.storeStateText(field.text('yesterday'));
        const error = await f.open().load().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error, field.path).toBeInstanceOf(StateCorruptError);
        expect((error as StateCorruptError).message).toContain(`${f.location}:${field.line}:${field.column} ${field.path}: must be an ISO-8601 time`);
        // The same document with a real time loads.
        await f.storeStateText(field.text('2026-12-01T17:00:00Z'));
        await expect(f.open().load(), field.path).resolves.toMatchObject({ stateVersion: 2 });
      }
    });
  });
}
