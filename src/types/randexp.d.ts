// randexp ships no type declarations; this is the part of its API the emulator uses.
declare module 'randexp' {
  export default class RandExp {
    constructor(pattern: RegExp | string, flags?: string);
    /** Largest repetition for `*`, `+` and open ranges. */
    max: number;
    /** Random integer in [a, b]; replaced to make generation deterministic. */
    randInt: (a: number, b: number) => number;
    gen(): string;
  }
}
