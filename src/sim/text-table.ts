// Fixed-width text tables for the simulator's and campaigns' console output: each column as wide as its
// widest cell, numbers right-aligned, columns two spaces apart.

export interface TextTableOptions {
  /** Columns padded on the right (text); the rest are right-aligned (numbers). Default: the first. */
  readonly leftAligned?: (column: number) => boolean;
  /** A line of dashes under the header. */
  readonly rule?: boolean;
  /** Trailing spaces cut from each line (a last column left-aligned would otherwise pad them). */
  readonly trimEnd?: boolean;
}

/** The lines of the table (no final newline). */
export function renderTextTable(header: readonly string[], rows: readonly (readonly string[])[], options: TextTableOptions = {}): string {
  const left = options.leftAligned ?? ((column: number) => column === 0);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]): string => {
    const text = cells.map((c, i) => (left(i) ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ');
    return options.trimEnd === true ? text.trimEnd() : text;
  };
  return [line(header), ...(options.rule === true ? [widths.map((w) => '-'.repeat(w)).join('  ')] : []), ...rows.map(line)].join('\n');
}
