// The subset of CloudWatch metric math that policies use: arithmetic on series and scalars, PERIOD,
// FILL, RATE, DIFF, ABS, and SUM/AVG/MIN/MAX over a series or an array (METRICS() or [a, b]).
// Anything else is rejected with the service's validation error, never silently misread.

/** Timestamp (epoch seconds) -> value. */
export type Series = Map<number, number>;

export type MathValue =
  | { readonly kind: 'scalar'; readonly value: number }
  | { readonly kind: 'series'; readonly points: Series; readonly periodSeconds: number }
  | { readonly kind: 'array'; readonly items: readonly MathValue[] };

export interface MathContext {
  /** Result of another query by Id; undefined when there is no such query. */
  resolve(id: string): MathValue | undefined;
  /** Every MetricStat query's series, for METRICS(). */
  metrics(): MathValue[];
  /** The expression's time grid (epoch seconds, ascending), for FILL. */
  readonly grid: readonly number[];
}

export class MetricMathError extends Error {
  override readonly name = 'MetricMathError';
}

type Token = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    if (/\s/.test(c)) {
      i += 1;
    } else if (/[0-9.]/.test(c)) {
      const m = /^\d*\.?\d+(e[+-]?\d+)?/i.exec(text.slice(i));
      if (m === null) throw new MetricMathError(`bad number at position ${i}`);
      tokens.push({ t: 'num', v: Number(m[0]) });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(text.slice(i));
      tokens.push({ t: 'id', v: m?.[0] ?? c });
      i += m?.[0].length ?? 1;
    } else if ('+-*/(),[]'.includes(c)) {
      tokens.push({ t: 'op', v: c });
      i += 1;
    } else {
      throw new MetricMathError(`unexpected character "${c}" at position ${i}`);
    }
  }
  return tokens;
}

export function evaluateExpression(text: string, ctx: MathContext): MathValue {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (v: string): boolean => {
    const t = peek();
    return t?.t === 'op' && t.v === v;
  };
  const expect = (v: string): void => {
    if (!isOp(v)) throw new MetricMathError(`expected "${v}"`);
    pos += 1;
  };

  const expr = (): MathValue => {
    let left = term();
    while (isOp('+') || isOp('-')) {
      const op = (peek() as { v: string }).v;
      pos += 1;
      left = binary(op, left, term());
    }
    return left;
  };
  const term = (): MathValue => {
    let left = unary();
    while (isOp('*') || isOp('/')) {
      const op = (peek() as { v: string }).v;
      pos += 1;
      left = binary(op, left, unary());
    }
    return left;
  };
  const unary = (): MathValue => {
    if (isOp('-')) {
      pos += 1;
      return binary('*', { kind: 'scalar', value: -1 }, unary());
    }
    return primary();
  };
  const list = (close: string): MathValue[] => {
    const items: MathValue[] = [];
    if (isOp(close)) {
      pos += 1;
      return items;
    }
    for (;;) {
      items.push(expr());
      if (isOp(',')) {
        pos += 1;
        continue;
      }
      expect(close);
      return items;
    }
  };
  const primary = (): MathValue => {
    const t = peek();
    if (t === undefined) throw new MetricMathError('unexpected end of expression');
    pos += 1;
    if (t.t === 'num') return { kind: 'scalar', value: t.v };
    if (t.t === 'op' && t.v === '(') {
      const v = expr();
      expect(')');
      return v;
    }
    if (t.t === 'op' && t.v === '[') return { kind: 'array', items: list(']') };
    if (t.t === 'id') {
      if (isOp('(')) {
        pos += 1;
        if (t.v === 'FILL') return fill(list(')'));
        return call(t.v, list(')'));
      }
      if (t.v === 'REPEAT') return { kind: 'array', items: [] }; // only meaningful as FILL's argument
      const v = ctx.resolve(t.v);
      if (v === undefined) throw new MetricMathError(`unknown metric id "${t.v}"`);
      return v;
    }
    throw new MetricMathError(`unexpected "${t.v}"`);
  };

  const fill = (args: MathValue[]): MathValue => {
    const [target, with_] = args;
    if (args.length !== 2 || target === undefined || with_ === undefined) throw new MetricMathError('FILL takes two arguments');
    const fillOne = (s: MathValue): MathValue => {
      if (s.kind !== 'series') throw new MetricMathError('FILL expects a time series');
      const out: Series = new Map();
      let last: number | undefined;
      for (const t of ctx.grid) {
        const v = s.points.get(t);
        if (v !== undefined) {
          out.set(t, v);
          last = v;
        } else if (with_.kind === 'scalar') out.set(t, with_.value);
        else if (with_.kind === 'array' && last !== undefined) out.set(t, last); // REPEAT
      }
      return { kind: 'series', points: out, periodSeconds: s.periodSeconds };
    };
    return target.kind === 'array' ? { kind: 'array', items: target.items.map(fillOne) } : fillOne(target);
  };

  const result = expr();
  if (pos !== tokens.length) throw new MetricMathError(`unexpected "${String(tokens[pos]?.v)}"`);
  return result;

  function call(name: string, args: MathValue[]): MathValue {
    const one = (): MathValue => {
      const [a] = args;
      if (args.length !== 1 || a === undefined) throw new MetricMathError(`${name} takes one argument`);
      return a;
    };
    switch (name) {
      case 'METRICS':
        if (args.length > 0) throw new MetricMathError('METRICS() with a filter is not supported');
        return { kind: 'array', items: ctx.metrics() };
      case 'PERIOD': {
        const a = one();
        if (a.kind !== 'series') throw new MetricMathError('PERIOD expects a time series');
        return { kind: 'scalar', value: a.periodSeconds };
      }
      case 'ABS':
        return map(one(), Math.abs);
      case 'RATE':
      case 'DIFF':
        return mapSeries(one(), (s) => derive(s, name === 'RATE'));
      case 'SUM':
      case 'AVG':
      case 'MIN':
      case 'MAX':
        return aggregate(name, one());
      default:
        throw new MetricMathError(`unsupported function ${name}`);
    }
  }
}

function map(v: MathValue, f: (x: number) => number): MathValue {
  if (v.kind === 'scalar') return { kind: 'scalar', value: f(v.value) };
  if (v.kind === 'array') return { kind: 'array', items: v.items.map((i) => map(i, f)) };
  const out: Series = new Map();
  for (const [t, x] of v.points) out.set(t, f(x));
  return { kind: 'series', points: out, periodSeconds: v.periodSeconds };
}

function mapSeries(v: MathValue, f: (s: Series) => Series): MathValue {
  if (v.kind === 'series') return { kind: 'series', points: f(v.points), periodSeconds: v.periodSeconds };
  if (v.kind === 'array') return { kind: 'array', items: v.items.map((i) => mapSeries(i, f)) };
  throw new MetricMathError('expected a time series');
}

function derive(s: Series, perSecond: boolean): Series {
  const times = [...s.keys()].sort((a, b) => a - b);
  const out: Series = new Map();
  for (let i = 1; i < times.length; i += 1) {
    const t0 = times[i - 1] as number;
    const t1 = times[i] as number;
    const d = (s.get(t1) as number) - (s.get(t0) as number);
    out.set(t1, perSecond ? d / (t1 - t0) : d);
  }
  return out;
}

function aggregate(name: string, v: MathValue): MathValue {
  const reduce = (xs: number[]): number => {
    if (name === 'SUM') return xs.reduce((a, b) => a + b, 0);
    if (name === 'AVG') return xs.reduce((a, b) => a + b, 0) / xs.length;
    return name === 'MIN' ? Math.min(...xs) : Math.max(...xs);
  };
  if (v.kind === 'scalar') return v;
  if (v.kind === 'series') {
    const xs = [...v.points.values()];
    return xs.length === 0 ? { kind: 'series', points: new Map(), periodSeconds: v.periodSeconds } : { kind: 'scalar', value: reduce(xs) };
  }
  // Array of series: pointwise, over the timestamps any member has.
  const series = v.items.filter((i): i is Extract<MathValue, { kind: 'series' }> => i.kind === 'series');
  const byTime = new Map<number, number[]>();
  for (const s of series) for (const [t, x] of s.points) byTime.set(t, [...(byTime.get(t) ?? []), x]);
  const out: Series = new Map();
  for (const [t, xs] of byTime) out.set(t, reduce(xs));
  return { kind: 'series', points: out, periodSeconds: series[0]?.periodSeconds ?? 60 };
}

function binary(op: string, a: MathValue, b: MathValue): MathValue {
  const f = (x: number, y: number): number | undefined => {
    switch (op) {
      case '+':
        return x + y;
      case '-':
        return x - y;
      case '*':
        return x * y;
      default:
        // CloudWatch drops a datapoint divided by zero rather than returning Infinity.
        return y === 0 ? undefined : x / y;
    }
  };
  if (a.kind === 'array' || b.kind === 'array') {
    if (a.kind === 'array') return { kind: 'array', items: a.items.map((i) => binary(op, i, b)) };
    return { kind: 'array', items: (b as { items: readonly MathValue[] }).items.map((i) => binary(op, a, i)) };
  }
  if (a.kind === 'scalar' && b.kind === 'scalar') {
    const r = f(a.value, b.value);
    if (r === undefined) throw new MetricMathError('division by zero');
    return { kind: 'scalar', value: r };
  }
  const out: Series = new Map();
  const period = a.kind === 'series' ? a.periodSeconds : (b as { periodSeconds: number }).periodSeconds;
  const times = a.kind === 'series' ? [...a.points.keys()] : [...(b as { points: Series }).points.keys()];
  for (const t of times) {
    const x = a.kind === 'series' ? a.points.get(t) : a.value;
    const y = b.kind === 'series' ? b.points.get(t) : b.value;
    if (x === undefined || y === undefined) continue;
    const r = f(x, y);
    if (r !== undefined) out.set(t, r);
  }
  return { kind: 'series', points: out, periodSeconds: period };
}
