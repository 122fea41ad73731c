// Short typed rows (one number per Region) cut from shared blocks. Node keeps the storage of a typed
// array of more than 64 bytes outside the JavaScript heap, a separate allocation each; the model makes
// a few such rows per client group in every decision. A row keeps its block alive; rows are never
// handed out twice. The planner takes its rows here too.

/** Bytes per block: 64 KiB holds about 800 rows of 20 Regions. */
const BLOCK_BYTES = 64 * 1024;

let block = new ArrayBuffer(0);
let used = 0;

function bytes(n: number): number {
  if (used + n > block.byteLength) {
    block = new ArrayBuffer(Math.max(BLOCK_BYTES, n));
    used = 0;
  }
  const at = used;
  // Every row starts on an 8-byte boundary, as a Float64Array must.
  used += Math.ceil(n / 8) * 8;
  return at;
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
