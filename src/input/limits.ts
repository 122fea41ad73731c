// Bounds on what a loader accepts, so a hostile or broken file costs bounded time and memory and ends
// in a clear issue instead of a crash. Each input kind has its own size cap; the structural limits are
// shared.

export type InputKind = 'policy' | 'scenario' | 'snapshot' | 'state' | 'lease' | 'fault plan' | 'fleet';

const MiB = 1024 * 1024;

/** Largest file, in bytes (UTF-8), each kind of input may be. Documented in the README. */
export const MAX_INPUT_BYTES: Readonly<Record<InputKind, number>> = {
  policy: 1 * MiB,
  scenario: 1 * MiB,
  // A recorded snapshot of a large service (thousands of client groups x Regions) runs to a few MiB.
  snapshot: 32 * MiB,
  state: 8 * MiB,
  // A file store's lock file: one lease record of a few hundred bytes.
  lease: 1 * MiB,
  'fault plan': 1 * MiB,
  fleet: 1 * MiB,
};

/** Deepest nesting of mappings and lists. Real inputs nest 8-10 levels; parsers recurse per level. */
export const MAX_NESTING_DEPTH = 64;

/** Most YAML aliases (`*name`) one document may hold, and most expansions yaml's toJS may make. */
export const MAX_YAML_ALIASES = 100;

/** Issues listed for one file; a summary line counts the rest. */
export const MAX_REPORTED_ISSUES = 100;

/** A cap for people: every cap is a whole number of MiB. */
export function describeBytes(bytes: number): string {
  return `${bytes / MiB} MiB`;
}

/** UTF-8 length of `text` (what the file held), without encoding a copy. */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4; // a surrogate pair is one 4-byte code point
      i++;
    } else bytes += 3;
  }
  return bytes;
}
