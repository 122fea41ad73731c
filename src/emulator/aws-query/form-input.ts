// Reads an awsQuery request (form-encoded `Action=...&Version=...&Name.member.1.Field=...`) into the
// same input structure the JSON protocols carry, guided by the operation's input shape: lists from
// `member.N`, numbers, booleans, and timestamps (ISO 8601) as epoch seconds.

import type { Shape, StructureShape } from './shapes.js';

export class QueryInputError extends Error {
  override readonly name = 'QueryInputError';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
  }
}

/** A list being filled from `member.N` keys, in any order. */
class SparseList {
  readonly items = new Map<number, unknown>();
}

type Node = Record<string, unknown> | SparseList;

/** Parameters the protocol itself uses; never part of an operation's input. */
const PROTOCOL_PARAMETERS = new Set(['Action', 'Version']);

/** @throws QueryInputError naming the parameter whose value is not of its type. Unknown parameters are ignored, as the services do. */
export function readQueryInput(params: URLSearchParams, shape: StructureShape): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of params) {
    if (PROTOCOL_PARAMETERS.has(key)) continue;
    place(root, shape, key.split('.'), 0, key, value);
  }
  return finish(root) as Record<string, unknown>;
}

function place(node: Node, shape: Shape, segments: readonly string[], i: number, key: string, value: string): void {
  if (node instanceof SparseList) {
    const listShape = shape as { list: Shape };
    if (segments[i] !== 'member') return;
    const index = Number(segments[i + 1]);
    if (!Number.isInteger(index) || index < 1) throw new QueryInputError(key, `The parameter ${key} has an invalid list index.`);
    descend(node.items, index, listShape.list, segments, i + 2, key, value);
    return;
  }
  if (typeof shape !== 'object' || !('structure' in shape)) return;
  const name = segments[i];
  const memberShape = name === undefined ? undefined : shape.structure[name];
  if (name === undefined || memberShape === undefined) return;
  descend(node, name, memberShape, segments, i + 1, key, value);
}

/** Sets `container[slot]` from the rest of the key: a scalar at the end, else a nested list or structure. */
function descend(container: Map<number, unknown> | Record<string, unknown>, slot: number | string, shape: Shape, segments: readonly string[], i: number, key: string, value: string): void {
  const get = (): unknown => (container instanceof Map ? container.get(slot as number) : container[slot as string]);
  const set = (v: unknown): void => {
    if (container instanceof Map) container.set(slot as number, v);
    else container[slot as string] = v;
  };
  if (typeof shape === 'string') {
    if (i === segments.length) set(scalarOf(shape, key, value));
    return;
  }
  let child = get();
  if ('list' in shape) {
    if (!(child instanceof SparseList)) set((child = new SparseList()));
    // `Name=` with nothing after it is how an empty list is sent.
    if (i === segments.length) return;
  } else if (typeof child !== 'object' || child === null || child instanceof SparseList) {
    set((child = {}));
  }
  if (i < segments.length) place(child as Node, shape, segments, i, key, value);
}

function scalarOf(shape: Exclude<Shape, object>, key: string, value: string): unknown {
  const bad = (what: string): QueryInputError => new QueryInputError(key, `The value ${JSON.stringify(value)} for parameter ${key} is invalid: ${what}.`);
  switch (shape) {
    case 'string':
      return value;
    case 'integer':
      if (!/^-?\d+$/.test(value)) throw bad('expected a whole number');
      return Number(value);
    case 'double': {
      const n = Number(value);
      if (value.trim() === '' || !Number.isFinite(n)) throw bad('expected a number');
      return n;
    }
    case 'boolean':
      if (value !== 'true' && value !== 'false') throw bad('expected true or false');
      return value === 'true';
    case 'timestamp': {
      const ms = /^\d+(\.\d+)?$/.test(value) ? Number(value) * 1000 : Date.parse(value);
      if (!Number.isFinite(ms)) throw bad('expected an ISO 8601 time');
      return ms / 1000;
    }
  }
}

function finish(node: unknown): unknown {
  if (node instanceof SparseList) return [...node.items.entries()].sort(([a], [b]) => a - b).map(([, v]) => finish(v));
  if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, finish(v)]));
  return node;
}
