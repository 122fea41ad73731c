// A number per Region for one client group (its RTTs, its vantage points' nearest shares), read as a
// map by code but stored as rows over a fixed list of Regions. A Map of its own grows by copying its
// table, several allocations for twenty Regions, and a decision fills two per client group.

import type { RegionCode } from '../domain/traffic.js';
import { takeFloatRow, takeIntRow } from '../model/row-blocks.js';

/** A fixed list of Regions and each code's index in it (the first, should a code repeat). */
export interface RegionList {
  readonly codes: readonly RegionCode[];
  readonly index: ReadonlyMap<RegionCode, number>;
}

export function regionList(codes: readonly RegionCode[]): RegionList {
  const index = new Map<RegionCode, number>();
  for (let i = codes.length - 1; i >= 0; i -= 1) index.set(codes[i] as RegionCode, i);
  return { codes, index };
}

/** Values of some of a list's Regions: a read-only map from code to value, iterated in the order first set, as a Map is. */
export class RegionValues implements ReadonlyMap<RegionCode, number> {
  private readonly row: Float64Array;
  /** Per Region index: 1 + its place in `order`, 0 while unset. */
  private readonly slot: Int32Array;
  /** Region indices in the order first set. */
  private readonly order: Int32Array;
  private count = 0;
  /** The same entries as a Map, made for the iterators only (the planner reads with get and forEach). */
  private asMap: Map<RegionCode, number> | undefined;

  constructor(private readonly list: RegionList) {
    const R = list.codes.length;
    this.row = takeFloatRow(R);
    this.slot = takeIntRow(R);
    this.order = takeIntRow(R);
  }

  get size(): number {
    return this.count;
  }

  /** Region index i's value; undefined while unset. */
  at(i: number): number | undefined {
    return this.slot[i] === 0 ? undefined : this.row[i];
  }

  /** Sets Region index i's value: a Region not set before comes last in the order, as in a Map. */
  setAt(i: number, value: number): void {
    if (this.slot[i] === 0) {
      this.order[this.count] = i;
      this.count += 1;
      this.slot[i] = this.count;
      this.asMap = undefined;
    } else if (this.asMap !== undefined) this.asMap.set(this.list.codes[i] as RegionCode, value);
    this.row[i] = value;
  }

  get(region: RegionCode): number | undefined {
    const i = this.list.index.get(region);
    return i === undefined ? undefined : this.at(i);
  }

  has(region: RegionCode): boolean {
    const i = this.list.index.get(region);
    return i !== undefined && this.slot[i] !== 0;
  }

  forEach(callback: (value: number, key: RegionCode, map: ReadonlyMap<RegionCode, number>) => void, thisArg?: unknown): void {
    for (let k = 0; k < this.count; k += 1) {
      const i = this.order[k] as number;
      callback.call(thisArg, this.row[i] as number, this.list.codes[i] as RegionCode, this);
    }
  }

  entries(): ReturnType<Map<RegionCode, number>['entries']> {
    return this.map().entries();
  }

  keys(): ReturnType<Map<RegionCode, number>['keys']> {
    return this.map().keys();
  }

  values(): ReturnType<Map<RegionCode, number>['values']> {
    return this.map().values();
  }

  [Symbol.iterator](): ReturnType<Map<RegionCode, number>['entries']> {
    return this.map().entries();
  }

  private map(): Map<RegionCode, number> {
    if (this.asMap === undefined) {
      const made = new Map<RegionCode, number>();
      this.forEach((value, key) => made.set(key, value));
      this.asMap = made;
    }
    return this.asMap;
  }
}
