// Files a command writes for people and tools to read (plans, apply reports, snapshots): secrets
// hidden, as on stdout.

import { writeFile } from 'node:fs/promises';
import type { CommandIo } from './command.js';

export async function writeOutputFile(file: string, text: string, io: Pick<CommandIo, 'secrets'>): Promise<void> {
  await writeFile(file, io.secrets.redact(text));
}
