// Seeded draws for the world generator, over the simulator's own PRNG (src/sim/random.ts), so a seed
// gives the same world on every machine.

import { Random } from '../../src/sim/random.js';

export class Draw {
  private readonly random: Random;

  constructor(seed: number | Random) {
    this.random = typeof seed === 'number' ? new Random(seed) : seed;
  }

  /** An independent stream for one part of the world: adding draws to one part never shifts another. */
  fork(label: string): Draw {
    return new Draw(this.random.fork(label));
  }

  /** Uniform in [low, high). */
  uniform(low: number, high: number): number {
    return low + (high - low) * this.random.next();
  }

  /** A whole number in [low, high], both included. */
  int(low: number, high: number): number {
    return Math.min(high, low + Math.floor(this.random.next() * (high - low + 1)));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.random.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    const item = items[this.int(0, items.length - 1)];
    if (item === undefined) throw new RangeError('pick from an empty list');
    return item;
  }

  /** One item, each with probability proportional to its weight. */
  weighted<T>(items: readonly (readonly [T, number])[]): T {
    const total = items.reduce((s, [, w]) => s + w, 0);
    let x = this.random.next() * total;
    for (const [item, w] of items) {
      x -= w;
      if (x < 0) return item;
    }
    const last = items.at(-1);
    if (last === undefined) throw new RangeError('weighted pick from an empty list');
    return last[0];
  }

  /** n distinct items in random order (Fisher-Yates on a copy). */
  sample<T>(items: readonly T[], n: number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i -= 1) {
      const j = this.int(0, i);
      [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
    }
    return copy.slice(0, n);
  }

  /** Rounded to `step` (e.g. 5 for whole multiples of 5). */
  round(x: number, step: number): number {
    return Math.round(x / step) * step;
  }
}
