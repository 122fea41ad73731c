// Typed rows (one number per Region, or any length) cut from shared blocks. Node keeps the storage of
// a typed array of more than 64 bytes outside the JavaScript heap, a separate allocation each; the
// model makes a few such rows per client group in every decision. A row keeps its block alive; rows
// are never handed out twice while their block is in use.
//
// Inside a row scope (withRowScope: evaluate opens one per decision) blocks come from a free list and
// go back to it when the scope ends, to serve the next decision. Fresh memory is what costs: on the
// virtual machines measured here a new 64 KiB block took 150-230 us to allocate and more to touch
// (README, "Benchmark results"), and a decision took a dozen. So a row taken inside a scope must not
// outlive it: evaluate's plan and state are plain data (test/planner/decision-rows.test.ts).

/** Bytes per block: 64 KiB holds about 800 rows of 20 Regions. */
const BLOCK_BYTES = 64 * 1024;
/** At most this many bytes of blocks wait on the free list between scopes. */
const MAX_FREE_BYTES = 32 * 1024 * 1024;

let block = new ArrayBuffer(0);
let used = 0;
/** The blocks taken by the open scope; undefined outside any. */
let scoped: ArrayBuffer[] | undefined;
const free: ArrayBuffer[] = [];
let freeBytes = 0;

function bytes(n: number): number {
  if (used + n > block.byteLength) nextBlock(n);
  const at = used;
  // Every row starts on an 8-byte boundary, as a Float64Array must.
  used += Math.ceil(n / 8) * 8;
  return at;
}

function nextBlock(n: number): void {
  const size = Math.max(BLOCK_BYTES, n);
  used = 0;
  if (scoped === undefined) {
    block = new ArrayBuffer(size);
    return;
  }
  // The smallest free block that fits; a block handed back holds the rows of an earlier scope: zeroed.
  let best = -1;
  for (let i = 0; i < free.length; i += 1) {
    const length = (free[i] as ArrayBuffer).byteLength;
    if (length >= size && (best < 0 || length < (free[best] as ArrayBuffer).byteLength)) best = i;
  }
  if (best >= 0) {
    block = free[best] as ArrayBuffer;
    free[best] = free[free.length - 1] as ArrayBuffer;
    free.pop();
    freeBytes -= block.byteLength;
    new Uint8Array(block).fill(0);
  } else {
    // A block for one long row is rounded up to a power of two: the next decision's row of about the same length fits it.
    block = new ArrayBuffer(size === BLOCK_BYTES ? size : 2 ** Math.ceil(Math.log2(size)));
  }
  scoped.push(block);
}

/**
 * Runs `work` with the rows it takes cut from recycled blocks, handed back when it returns or throws:
 * nothing `work` returns may hold a row taken inside (copy it out). A scope inside a scope is part of it.
 */
export function withRowScope<T>(work: () => T): T {
  if (scoped !== undefined) return work();
  const outer = { block, used };
  scoped = [];
  block = new ArrayBuffer(0);
  used = 0;
  try {
    return work();
  } finally {
    const taken = scoped;
    scoped = undefined;
    ({ block, used } = outer);
    for (const b of taken) {
      if (freeBytes + b.byteLength > MAX_FREE_BYTES) continue;
      free.push(b);
      freeBytes += b.byteLength;
    }
  }
}

/** A new row of `length` zeros. */
export function takeFloatRow(length: number): Float64Array {
  const at = bytes(length * 8);
  return new Float64Array(block, at, length);
}

/** A new row of `length` zeros. */
export function takeIntRow(length: number): Int32Array {
  const at = bytes(length * 4);
  return new Int32Array(block, at, length);
}

/** A new row holding the first `length` numbers of `source` (all of them by default). */
export function copyFloatRow(source: ArrayLike<number>, length = source.length): Float64Array {
  const row = takeFloatRow(length);
  // Part of a source copied number by number: a subarray to set from would be one more object.
  if (length === source.length) row.set(source);
  else for (let i = 0; i < length; i += 1) row[i] = source[i] as number;
  return row;
}

/** A new row holding the first `length` numbers of `source`. */
export function copyIntRow(source: Int32Array, length: number): Int32Array {
  const row = takeIntRow(length);
  for (let i = 0; i < length; i += 1) row[i] = source[i] as number;
  return row;
}
