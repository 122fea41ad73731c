// Short Float64Arrays cut from shared blocks. Node puts the storage of a Float64Array of more than 8
// numbers outside the JavaScript heap, at about 2 us per array on the 2-core machine measured (a view
// into a block: a tenth of that); the dial search makes thousands of rows of one per Region in a
// decision.

/** Numbers per block: 8192 (64 KiB) holds 400 rows of 20 Regions. */
const BLOCK_NUMBERS = 8192;

export class FloatRows {
  private block = new Float64Array(0);
  private used = 0;

  /** A new row of `length` zeros. */
  take(length: number): Float64Array {
    if (length > BLOCK_NUMBERS) return new Float64Array(length);
    if (this.used + length > this.block.length) {
      this.block = new Float64Array(BLOCK_NUMBERS);
      this.used = 0;
    }
    const row = this.block.subarray(this.used, this.used + length);
    this.used += length;
    return row;
  }

  /** A new row holding the first `length` numbers of `source` (all of them by default). */
  copy(source: ArrayLike<number>, length = source.length): Float64Array {
    const row = this.take(length);
    if (length === source.length) row.set(source);
    else if (source instanceof Float64Array) row.set(source.subarray(0, length));
    else for (let i = 0; i < length; i += 1) row[i] = source[i] as number;
    return row;
  }
}
