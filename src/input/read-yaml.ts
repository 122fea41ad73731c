// YAML text -> plain data, within limits: size, nesting depth (checked on the lexer's tokens and on the
// parsed CST, before anything recurses), aliases (undefined, cyclic, too many or expanding too much),
// keys that are not plain values or reach the object prototype, and one document only. A problem is
// an issue at its place, never an exception. Pure: the caller reads the file.

import { Composer, Lexer, LineCounter, Parser, visit, type CST, type Document } from 'yaml';
import type { PolicyIssue } from '../policy/issues.js';
import { findTooDeep } from './cst-depth.js';
import { checkTextSize } from './text-size.js';
import { MAX_NESTING_DEPTH, MAX_YAML_ALIASES, type InputKind } from './limits.js';
import { escapeControls } from './describe-value.js';
import { finishIssues, issueAt, NO_POSITION, placeFindings, type Locator, type SourcePosition } from './places.js';
import { YamlDepthGuard } from './yaml-depth-guard.js';
import { yamlLocator } from './yaml-locator.js';
import { walkYamlDocument } from './yaml-walk.js';

const MAX_MESSAGE_LENGTH = 160;

export type YamlReadResult =
  | {
      readonly ok: true;
      readonly data: unknown;
      readonly locate: Locator;
      /** Warnings found while reading: YAML 1.1 booleans, unresolved tags. */
      readonly warnings: readonly PolicyIssue[];
    }
  | { readonly ok: false; readonly issues: readonly PolicyIssue[] };

export function readYamlText(text: string, file: string, kind: InputKind): YamlReadResult {
  const tooLarge = checkTextSize(text, file, kind);
  if (tooLarge !== undefined) return { ok: false, issues: [tooLarge] };

  const lineCounter = new LineCounter();
  const position = (offset: number): SourcePosition => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, column: p.col };
  };
  const fail = (offset: number | undefined, message: string): YamlReadResult => ({
    ok: false,
    issues: [issueAt(file, 'error', offset === undefined ? NO_POSITION : position(offset), message)],
  });
  const tooDeep = `nested deeper than ${MAX_NESTING_DEPTH} levels of mappings and lists`;

  const cst = parseCst(text, lineCounter);
  if (cst.exceeded !== undefined) return fail(cst.exceeded.offset, tooDeep);
  for (const token of cst.tokens) {
    const deep = findTooDeep(token, MAX_NESTING_DEPTH);
    if (deep !== undefined) return fail(deep.offset, tooDeep);
  }

  // Duplicate keys are found by the walk below: yaml's own check compares every pair of keys.
  const docs = [...new Composer({ uniqueKeys: false, logLevel: 'error' }).compose(cst.tokens, true, text.length)];
  const doc = docs[0];
  if (doc === undefined) return fail(undefined, `the ${kind} is empty`);
  const syntax = doc.errors.map((e) => issueAt(file, 'error', position(e.pos[0]), firstLine(e.message)));
  const second = docs[1];
  if (second !== undefined) {
    syntax.push(issueAt(file, 'error', position(second.range[0]), `the file holds more than one YAML document: a ${kind} is one document`));
  }
  if (syntax.length > 0) return { ok: false, issues: finishIssues(syntax, file) };
  if (doc.contents === null) return fail(undefined, `the ${kind} is empty`);

  const locate = yamlLocator(doc, lineCounter);
  const walked = walkYamlDocument(doc, MAX_YAML_ALIASES, position);
  if (walked.errors.length > 0) return { ok: false, issues: finishIssues(placeFindings(walked.errors, file, locate), file) };

  const data = toPlainData(doc);
  if (!data.ok) return fail(firstAliasOffset(doc), `YAML aliases expand to more than ${MAX_YAML_ALIASES} copies: write the values out`);
  const tagWarnings = doc.warnings.map((w) => issueAt(file, 'warning', position(w.pos[0]), firstLine(w.message)));
  return { ok: true, data: data.value, locate, warnings: [...placeFindings(walked.warnings, file, locate), ...tagWarnings] };
}

/** Lexes with the depth guard in front of yaml's parser, so deep input stops before the parser slows down. */
function parseCst(text: string, lineCounter: LineCounter): { tokens: CST.Token[]; exceeded: { offset: number } | undefined } {
  const guard = new YamlDepthGuard(MAX_NESTING_DEPTH);
  const parser = new Parser(lineCounter.addNewLine);
  lineCounter.addNewLine(0);
  const tokens: CST.Token[] = [];
  for (const lexeme of guard.guard(new Lexer().lex(text))) for (const token of parser.next(lexeme)) tokens.push(token);
  if (guard.exceeded !== undefined) return { tokens: [], exceeded: guard.exceeded };
  for (const token of parser.end()) tokens.push(token);
  return { tokens, exceeded: undefined };
}

function toPlainData(doc: Document): { ok: true; value: unknown } | { ok: false } {
  try {
    return { ok: true, value: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
  } catch (e) {
    // The only fault toJS raises on a checked document: yaml's alias-expansion limit.
    if (e instanceof ReferenceError && /alias/i.test(e.message)) return { ok: false };
    throw e;
  }
}

function firstAliasOffset(doc: Document): number | undefined {
  let offset: number | undefined;
  visit(doc, {
    Alias(_key, node) {
      offset = node.range?.[0];
      return visit.BREAK;
    },
  });
  return offset;
}

/** yaml's message, on one line and short: some quote a whole token of the text. */
function firstLine(message: string): string {
  const line = escapeControls(message.split('\n')[0] ?? message);
  return line.length > MAX_MESSAGE_LENGTH ? `${line.slice(0, MAX_MESSAGE_LENGTH - 3)}...` : line;
}
