// The CHAOS TXT `id.server` answer an emulated Region gives: a host name the policy's landing rules
// map to that Region (first match wins, as ga-steer reads them). Generated from the rule's regular
// expression (randexp, with a fixed sequence of choices so runs are reproducible) and checked
// against the same rule compiler the collector uses.

import RandExp from 'randexp';
import { compileLandingRules, type LandingRule } from '../../adapters/ripe-atlas/parse/landing-rules.js';

const TRIES_PER_RULE = 200;

export interface LandingAnswers {
  /** Region -> the answer its name servers give. */
  readonly byRegion: ReadonlyMap<string, string>;
  readonly problems: readonly string[];
}

export function landingAnswersFor(rules: readonly LandingRule[], regions: readonly string[]): LandingAnswers {
  const compiled = compileLandingRules(rules);
  const byRegion = new Map<string, string>();
  const problems: string[] = [];
  for (const region of regions) {
    const answer = answerFor(region, rules, compiled.regionOf);
    if (answer === undefined) problems.push(`no answer rule leads to ${region}: its RIPE Atlas landing answers are left out`);
    else byRegion.set(region, answer);
  }
  return { byRegion, problems };
}

function answerFor(region: string, rules: readonly LandingRule[], regionOf: (answer: string) => string | null): string | undefined {
  for (const rule of rules.filter((r) => r.region === region)) {
    try {
      // Validity is judged as the collector judges it (case-insensitive).
      new RegExp(rule.match, 'i');
    } catch {
      // An invalid expression matches exactly only.
      if (regionOf(rule.match) === region) return rule.match;
      continue;
    }
    // Generated in the case the rule is written in; the collector matches ignoring case.
    const gen = new RandExp(new RegExp(rule.match));
    gen.max = 3;
    let state = seedOf(rule.match);
    gen.randInt = (a, b) => {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      return a + (state % (b - a + 1));
    };
    let printable: string | undefined;
    for (let i = 0; i < TRIES_PER_RULE; i += 1) {
      const core = gen.gen();
      // Site labels around the generated part keep answers host-name shaped (`^fra` -> `fra1.emu`).
      for (const candidate of [core, `${core}1.emu`, `emu1${core}`, `emu1${core}1.emu`]) {
        if (!/^[\x21-\x7e]{1,255}$/.test(candidate) || regionOf(candidate) !== region) continue;
        if (/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(candidate) && !candidate.includes('..')) return candidate;
        printable ??= candidate;
      }
    }
    if (printable !== undefined) return printable;
  }
  return undefined;
}

function seedOf(text: string): number {
  let h = 2166136261;
  for (const c of text) h = Math.imul(h ^ c.charCodeAt(0), 16777619) >>> 0;
  return h;
}
