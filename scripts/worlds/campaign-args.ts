// The campaign's command line: --count N (default 20), --seed S (default 1), --out DIR (default
// out/worlds), --jobs N (default 2, the machine's cores), --interval SECONDS (every world's controller
// interval, in place of the 60 or 120 s each world draws: the same worlds on another schedule). Bad
// input is an error naming the option.

export interface CampaignArgs {
  readonly count: number;
  readonly seed: number;
  readonly out: string;
  readonly jobs: number;
  /** Every world's controller interval, when set: the worlds are otherwise the same. */
  readonly intervalSeconds?: number;
}

export class CampaignArgsError extends Error {
  override readonly name = 'CampaignArgsError';
}

const USAGE = 'usage: npm run worlds -- [--count N] [--seed S] [--out DIR] [--jobs N] [--interval SECONDS]';

export function parseCampaignArgs(argv: readonly string[]): CampaignArgs {
  const values: Record<string, string> = {};
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    const eq = arg.indexOf('=');
    const name = eq >= 0 ? arg.slice(0, eq) : arg;
    if (!['--count', '--seed', '--out', '--jobs', '--interval'].includes(name)) throw new CampaignArgsError(`unknown option '${arg}' (${USAGE})`);
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined || value === '') throw new CampaignArgsError(`${name} needs a value (${USAGE})`);
    values[name] = value;
  }
  const whole = (name: string, fallback: number, min: number, max: number): number => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) throw new CampaignArgsError(`${name} must be a whole number from ${min} to ${max}, got '${raw}'`);
    return Number(raw);
  };
  // World seeds are SEED * 1000 + 1 .. + count: up to 999 worlds per campaign seed.
  const args = { count: whole('--count', 20, 1, 999), seed: whole('--seed', 1, 0, 2_000_000), out: values['--out'] ?? 'out/worlds', jobs: whole('--jobs', 2, 1, 16) };
  if (values['--interval'] === undefined) return args;
  const interval = whole('--interval', 120, 60, 3600);
  if (interval % 60 !== 0) throw new CampaignArgsError(`--interval must be a multiple of 60 (the simulator steps a minute at a time), got '${interval}'`);
  return { ...args, intervalSeconds: interval };
}
