// JSON Schemas for editors and other tools, generated from the same zod schemas the code parses with.

import * as z from 'zod';
import { planFileSchema } from '../plan/plan-file.js';
import { policySchema } from '../policy/schema.js';
import { scenarioSchema } from '../sim/scenario/scenario-schema.js';
import { snapshotSchema } from '../snapshot/schema.js';

export interface GeneratedSchema {
  readonly file: string;
  readonly content: string;
}

export function generateJsonSchemas(): GeneratedSchema[] {
  return [
    { file: 'schemas/policy.schema.json', content: render(policySchema, 'ga-steer policy', 'https://ga-steer.io/schemas/policy.schema.json') },
    { file: 'schemas/snapshot.schema.json', content: render(snapshotSchema, 'ga-steer snapshot', 'https://ga-steer.io/schemas/snapshot.schema.json') },
    { file: 'schemas/plan.schema.json', content: render(planFileSchema, 'ga-steer plan file', 'https://ga-steer.io/schemas/plan.schema.json') },
    { file: 'schemas/scenario.schema.json', content: render(scenarioSchema, 'ga-steer simulation scenario', 'https://ga-steer.io/schemas/scenario.schema.json') },
  ];
}

function render(schema: z.ZodType, title: string, id: string): string {
  // `input` describes what a user may write: fields with defaults are optional.
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
  return `${JSON.stringify({ $id: id, title, ...json }, null, 2)}\n`;
}
