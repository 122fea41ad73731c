// Writes schemas/*.schema.json from the zod sources. `npm test` fails when they are out of date.

import { writeFile } from 'node:fs/promises';
import { generateJsonSchemas } from '../src/schemas/json-schemas.js';

for (const s of generateJsonSchemas()) {
  await writeFile(s.file, s.content);
  process.stdout.write(`wrote ${s.file}\n`);
}
