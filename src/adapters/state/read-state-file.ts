// The text of a file a state store keeps (the state file, a lease file), refused unread when it is over
// its size cap: the size is taken from the open file, so the cap holds for what is read.

import { open, type FileHandle } from 'node:fs/promises';
import { FileReadError } from '../../app/errors.js';
import { isTooLarge, tooLargeIssue } from '../../input/text-size.js';
import { StateCorruptError } from './errors.js';
import { corruptError } from './stored-state.js';

/** undefined: the file does not exist. */
export async function readStateFile(file: string, what: 'state' | 'lease'): Promise<string | undefined> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if ((e as { code?: string }).code === 'ENOENT') return undefined;
    throw new FileReadError(file, e);
  }
  try {
    const { size } = await handle.stat();
    if (isTooLarge(what, size)) throw corruptError(file, [tooLargeIssue(file, what, size)], what);
    return await handle.readFile('utf8');
  } catch (e) {
    if (e instanceof StateCorruptError) throw e;
    throw new FileReadError(file, e);
  } finally {
    await handle.close();
  }
}
