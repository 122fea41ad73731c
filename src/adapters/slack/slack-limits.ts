// Slack's documented limits on a message (chat.postMessage and incoming webhooks, Block Kit reference):
// a message over them is rejected (invalid_blocks), so messages are cut to fit before they are sent.

export const SLACK_LIMITS = {
  /** The top-level `text` (the notification and fallback); longer is truncated by Slack. */
  textChars: 40_000,
  blocksPerMessage: 50,
  /** A section block's `text`. */
  sectionTextChars: 3000,
  /** A header block's plain_text. */
  headerTextChars: 150,
  fieldsPerSection: 10,
  fieldChars: 2000,
  contextElements: 10,
} as const;

/** Cuts text to `max` characters, marking the cut. */
export function cutText(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;
}

/**
 * Lines joined to fit `max` characters: whole lines while they fit, then "… and N more" for the rest
 * (a single line longer than the limit is itself cut).
 */
export function fitLines(lines: readonly string[], max: number): string {
  const out: string[] = [];
  let used = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const rest = lines.length - i - 1;
    // Room for this line and, if more follow, for the "and N more" line.
    const reserve = rest > 0 ? 40 : 0;
    if (used + line.length + 1 + reserve <= max) {
      out.push(line);
      used += line.length + 1;
      continue;
    }
    if (out.length === 0) {
      out.push(cutText(line, max - 40));
      if (rest > 0) out.push(`… and ${rest} more`);
      return out.join('\n');
    }
    out.push(`… and ${lines.length - i} more`);
    return out.join('\n');
  }
  return out.join('\n');
}
