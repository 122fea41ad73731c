// The parts of a policy that parsed, so the checks of meaning run in the same pass as the checks of
// shape: a user sees every issue at once, not the semantic ones only after fixing the shape. A
// whole, valid policy gives every part. A broken one gives, field by field, what parsed on its own:
// the fields of each section and of each Region, each Region's load-query list, and the Region names
// as written (so a reference to a Region whose settings are broken is not also "not listed").

import * as z from 'zod';
import { policySchema, type LoadQuerySpec, type Policy, type RegionPolicy } from './schema.js';

/** A section whole (lists, values, `regions`) or the fields of it that parsed (the other mappings). */
export type SectionParts = {
  readonly [K in Exclude<keyof Policy, 'regions'>]?: Policy[K] extends readonly unknown[] ? Policy[K] : Policy[K] extends object ? Partial<Policy[K]> : Policy[K];
} & { readonly regions?: Policy['regions'] };

export interface PolicyParts {
  /** Each section's fields that parsed; a field left out of the text holds its default. */
  readonly sections: SectionParts;
  /** Every Region written under `regions`, whether or not its code or settings parsed. */
  readonly regionNames: ReadonlySet<string>;
  /** Each validly named Region's settings that parsed, field by field. */
  readonly regions: ReadonlyMap<string, RegionParts>;
  /** Valid Region codes written under `signals.load`, whether or not their queries parsed. */
  readonly loadRegionNames: ReadonlySet<string>;
  /** Per-Region load-query lists that parsed. */
  readonly load: ReadonlyMap<string, readonly LoadQuerySpec[]>;
}

export interface RegionParts {
  readonly settings: Partial<RegionPolicy>;
  /** Fields written but not valid: checks that read them are skipped. */
  readonly broken: ReadonlySet<string>;
}

export function partsOfPolicy(policy: Policy): PolicyParts {
  return {
    sections: policy,
    regionNames: new Set(Object.keys(policy.regions)),
    regions: new Map(Object.entries(policy.regions).map(([name, settings]) => [name, { settings, broken: new Set<string>() }])),
    loadRegionNames: new Set(Object.keys(policy.signals.load)),
    load: new Map(Object.entries(policy.signals.load)),
  };
}

const regionsSchema = policySchema.shape.regions;
const loadSchema = policySchema.shape.signals.unwrap().shape.load.unwrap();

/** The parts of data that failed the policy schema which pass it on their own. */
export function salvagePolicyParts(data: unknown): PolicyParts {
  const raw = asRecord(data);
  const sections = salvageFields(policySchema, raw).fields;
  for (const key of Object.keys(policySchema.shape)) {
    const schema = unwrapObject(policySchema.shape[key as keyof Policy]);
    if (sections[key] === undefined && schema !== undefined && isRecord(raw[key])) sections[key] = salvageFields(schema, raw[key]).fields;
  }
  const regions = new Map<string, RegionParts>();
  // Every name written counts (a misspelt one is reported by the schema): for counts and references.
  const regionNames = new Set(Object.keys(asRecord(raw.regions)));
  for (const name of validKeys(raw.regions, (k) => regionsSchema.keyType.safeParse(k).success)) {
    const { fields, broken } = salvageFields(regionsSchema.valueType, asRecord(raw.regions)[name]);
    regions.set(name, { settings: fields as Partial<RegionPolicy>, broken });
  }
  const rawLoad = asRecord(asRecord(raw.signals).load);
  const load = new Map<string, readonly LoadQuerySpec[]>();
  const loadRegionNames = validKeys(rawLoad, (k) => loadSchema.keyType.safeParse(k).success);
  for (const name of loadRegionNames) {
    const parsed = loadSchema.valueType.safeParse(rawLoad[name]);
    if (parsed.success) load.set(name, parsed.data);
  }
  // Each field came from the schema of its own key, so the sections hold what SectionParts says.
  return { sections: sections as SectionParts, regionNames, regions, loadRegionNames, load };
}

/** Each field of `value` parsed by its own schema in `schema`'s shape: the ones that pass, and the rest. */
function salvageFields(schema: z.ZodObject, value: unknown): { fields: Record<string, unknown>; broken: Set<string> } {
  const raw = asRecord(value);
  const fields: Record<string, unknown> = {};
  const broken = new Set<string>();
  for (const [key, field] of Object.entries(schema.shape)) {
    const parsed = (field as z.ZodType).safeParse(raw[key]);
    if (parsed.success) fields[key] = parsed.data;
    else broken.add(key);
  }
  return { fields, broken };
}

/** The object schema inside optional/default/prefault wrappers, if it is one. */
function unwrapObject(schema: z.ZodType): z.ZodObject | undefined {
  let s: z.ZodType = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodObject ? s : undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isRecord(value) ? value : {};
}

function validKeys(value: unknown, valid: (key: string) => boolean): Set<string> {
  return new Set(Object.keys(asRecord(value)).filter(valid));
}
