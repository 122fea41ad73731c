// A cheap upper bound on a YAML document's nesting, computed from the lexer's tokens before yaml's
// parser and composer see them: the composer recurses once per level (a few hundred levels exhaust
// the stack) and the parser slows down on deep input, so a pathological file must stop here, early.
//
// Flow nesting counts the open `[` and `{` the lexer reports (exact). Block nesting keeps a stack of
// the columns where block nodes start: a deeper node starts further right, except a sequence written
// at the same column as its parent mapping's key, which gets its own entry. Extra entries (an anchor
// or tag before a node, a scalar value after a key) only make the bound larger, never smaller.

import { CST } from 'yaml';

interface OpenBlock {
  readonly column: number;
  readonly sequence: boolean;
}

export interface DepthExceeded {
  /** Offset in the text of the token that went past the limit. */
  readonly offset: number;
}

export class YamlDepthGuard {
  private readonly blocks: OpenBlock[] = [];
  private flowDepth = 0;
  private column = 0;
  private offset = 0;
  private afterScalarMarker = false;
  /** After a block scalar's header its content follows: part of that node, not a new one. */
  private inBlockScalar = false;
  /** Set once the bound passed the limit; the guarded token stream has ended there. */
  exceeded: DepthExceeded | undefined;

  constructor(private readonly maxDepth: number) {}

  /** The lexer's tokens, unchanged, until the nesting bound passes `maxDepth`; then nothing more. */
  *guard(tokens: Iterable<string>): Generator<string> {
    for (const token of tokens) {
      if (!this.accept(token)) return;
      yield token;
    }
  }

  private accept(token: string): boolean {
    const start = this.column;
    if (this.afterScalarMarker) {
      // The scalar's source text: a node starts here; it may span lines.
      this.afterScalarMarker = false;
      if (!this.inBlockScalar && !this.enterNode(start, false)) return this.stop();
      this.inBlockScalar = false;
      this.advance(token);
      return true;
    }
    const type = CST.tokenType(token);
    switch (type) {
      case 'scalar':
        this.afterScalarMarker = true;
        return true; // a marker: zero width
      case 'doc-mode':
      case 'flow-error-end':
        return true; // markers: zero width
      case 'newline':
        this.offset += token.length;
        this.column = 0;
        return true;
      case 'doc-start':
      case 'doc-end':
        this.blocks.length = 0;
        this.flowDepth = 0;
        break;
      case 'flow-seq-start':
      case 'flow-map-start':
        if (!this.enterNode(start, false)) return this.stop();
        this.flowDepth += 1;
        if (this.depth() > this.maxDepth) return this.stop();
        break;
      case 'flow-seq-end':
      case 'flow-map-end':
        this.flowDepth = Math.max(0, this.flowDepth - 1);
        break;
      case 'seq-item-ind':
        if (!this.enterNode(start, true)) return this.stop();
        break;
      case 'explicit-key-ind':
      case 'map-value-ind':
      case 'alias':
      case 'anchor':
      case 'tag':
      case 'block-scalar-header':
      case 'single-quoted-scalar':
      case 'double-quoted-scalar':
        // `: value` after an implicit key is not a node start, but counting it only raises the bound.
        if (type !== 'map-value-ind' && !this.enterNode(start, false)) return this.stop();
        if (type === 'block-scalar-header') this.inBlockScalar = true;
        break;
      default:
        break;
    }
    this.advance(token);
    return true;
  }

  /** Records a node starting at `column` in block context; false when the bound passes the limit. */
  private enterNode(column: number, sequenceItem: boolean): boolean {
    if (this.flowDepth > 0) return true;
    const blocks = this.blocks;
    while (blocks.length > 0 && blocks[blocks.length - 1]!.column > column) blocks.pop();
    const top = blocks[blocks.length - 1];
    if (top === undefined || top.column < column) {
      blocks.push({ column, sequence: sequenceItem });
    } else if (sequenceItem && !top.sequence) {
      blocks.push({ column, sequence: true }); // `key:` then `- item` at the key's column
    } else if (!sequenceItem && top.sequence && blocks[blocks.length - 2]?.column === column) {
      blocks.pop(); // the same-column sequence ended: the next key of its mapping
    }
    return this.depth() <= this.maxDepth;
  }

  private depth(): number {
    return this.blocks.length + this.flowDepth;
  }

  private advance(token: string): void {
    this.offset += token.length;
    const lastNewline = token.lastIndexOf('\n');
    this.column = lastNewline === -1 ? this.column + token.length : token.length - lastNewline - 1;
  }

  private stop(): false {
    this.exceeded = { offset: this.offset };
    return false;
  }
}
