// Slack's documented checks on an incoming-webhook payload (Block Kit reference; chat.postMessage):
// what the local receiver rejects, and with which answer.

export const LIMITS = {
  textChars: 40_000,
  blocks: 50,
  sectionTextChars: 3000,
  headerTextChars: 150,
  fields: 10,
  fieldChars: 2000,
  contextElements: 10,
  blockTextChars: 3000,
} as const;

const BLOCK_TYPES = new Set(['section', 'context', 'divider', 'header', 'actions']);

export type PayloadVerdict = { readonly ok: true } | { readonly ok: false; readonly error: 'invalid_payload' | 'invalid_blocks' | 'no_text'; readonly why: string };

export function checkPayload(body: unknown): PayloadVerdict {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return bad('invalid_payload', 'not a JSON object');
  const b = body as Record<string, unknown>;
  if (b.text !== undefined && typeof b.text !== 'string') return bad('invalid_payload', 'text is not a string');
  if (typeof b.text === 'string' && b.text.length > LIMITS.textChars) return bad('invalid_payload', `text has ${b.text.length} characters (at most ${LIMITS.textChars})`);
  if (b.blocks === undefined) return typeof b.text === 'string' && b.text.length > 0 ? { ok: true } : bad('no_text', 'neither text nor blocks');
  if (!Array.isArray(b.blocks)) return bad('invalid_blocks', 'blocks is not an array');
  if (b.blocks.length > LIMITS.blocks) return bad('invalid_blocks', `${b.blocks.length} blocks (at most ${LIMITS.blocks})`);
  for (const [i, block] of b.blocks.entries()) {
    const why = checkBlock(block);
    if (why !== undefined) return bad('invalid_blocks', `blocks[${i}]: ${why}`);
  }
  return { ok: true };
}

function checkBlock(block: unknown): string | undefined {
  if (block === null || typeof block !== 'object') return 'not an object';
  const b = block as Record<string, unknown>;
  if (typeof b.type !== 'string' || !BLOCK_TYPES.has(b.type)) return `unknown type ${String(b.type)}`;
  switch (b.type) {
    case 'header':
      return checkText(b.text, LIMITS.headerTextChars, ['plain_text']);
    case 'section': {
      if (b.text === undefined && b.fields === undefined) return 'a section needs text or fields';
      if (b.text !== undefined) {
        const why = checkText(b.text, LIMITS.sectionTextChars, ['plain_text', 'mrkdwn']);
        if (why !== undefined) return `text: ${why}`;
      }
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields) || b.fields.length === 0 || b.fields.length > LIMITS.fields) return `fields: 1 to ${LIMITS.fields} expected`;
        for (const f of b.fields) {
          const why = checkText(f, LIMITS.fieldChars, ['plain_text', 'mrkdwn']);
          if (why !== undefined) return `field: ${why}`;
        }
      }
      return undefined;
    }
    case 'context': {
      if (!Array.isArray(b.elements) || b.elements.length === 0 || b.elements.length > LIMITS.contextElements) return `elements: 1 to ${LIMITS.contextElements} expected`;
      for (const e of b.elements) {
        const why = checkText(e, LIMITS.blockTextChars, ['plain_text', 'mrkdwn']);
        if (why !== undefined) return `element: ${why}`;
      }
      return undefined;
    }
    default:
      return undefined;
  }
}

function checkText(t: unknown, max: number, types: readonly string[]): string | undefined {
  if (t === null || typeof t !== 'object') return 'a text object expected';
  const o = t as Record<string, unknown>;
  if (typeof o.type !== 'string' || !types.includes(o.type)) return `type ${String(o.type)} (expected ${types.join(' or ')})`;
  if (typeof o.text !== 'string' || o.text.length === 0) return 'empty text';
  if (o.text.length > max) return `${o.text.length} characters (at most ${max})`;
  return undefined;
}

function bad(error: 'invalid_payload' | 'invalid_blocks' | 'no_text', why: string): PayloadVerdict {
  return { ok: false, error, why };
}
