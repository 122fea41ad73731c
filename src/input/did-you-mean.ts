// "did you mean ...?" for a misspelt key, Region or option: the candidates nearest by edit distance
// (ignoring case), or that the word begins (`cooldown` -> `cooldownSeconds`).

import { distance } from 'fastest-levenshtein';

/** Longest word compared: a suggestion for a 5,000-character key is noise and costs time. */
const MAX_WORD_LENGTH = 64;

export function closestMatches(word: string, candidates: Iterable<string>): string[] {
  if (word.length === 0 || word.length > MAX_WORD_LENGTH) return [];
  const lower = word.toLowerCase();
  const limit = Math.min(3, Math.max(1, Math.floor(word.length / 4)));
  let best = Number.POSITIVE_INFINITY;
  let matches: string[] = [];
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const c = candidate.toLowerCase();
    if (c === lower) return [candidate]; // only the case differs
    const d = c.startsWith(lower) && lower.length >= 4 ? 1 : distance(lower, c);
    if (d > limit || d > best) continue;
    if (d < best) {
      best = d;
      matches = [];
    }
    matches.push(candidate);
  }
  return matches.length <= 3 ? matches : [];
}

/** ` (did you mean eu-central-1?)`, or '' when nothing is near. */
export function didYouMean(word: string, candidates: Iterable<string>): string {
  const matches = closestMatches(word, candidates);
  if (matches.length === 0) return '';
  const list = matches.length === 1 ? matches[0] : `${matches.slice(0, -1).join(', ')} or ${matches[matches.length - 1]}`;
  return ` (did you mean ${list}?)`;
}
