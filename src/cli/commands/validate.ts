// `ga-steer validate <policy...>`: check policies; every issue of every file, with file:line:col.

import { InputFileError } from '../../app/errors.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { formatIssue } from '../../policy/issues.js';
import { parseCommandArgs, UsageError } from '../args.js';
import { EXIT_ERROR, EXIT_OK, type Command } from '../command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check one or more policy files',
  help: `Usage: ga-steer validate <policy.yaml>...

Checks each policy's shape (unknown keys, types, ranges) and its meaning (thresholds in order,
known Regions, signals defined, capacity against the stated peak). Every issue is printed as
  FILE:LINE:COL PATH: MESSAGE
Warnings do not fail validation.

Exit codes: 0 every policy is valid, 1 at least one is not (or a file cannot be read).`,
  async run(argv, io) {
    const { positionals } = parseCommandArgs(argv, {}, true);
    if (positionals.length === 0) throw new UsageError('name at least one policy file');
    let failed = false;
    for (const file of positionals) {
      try {
        const { warnings } = await loadPolicyFile(file);
        for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
        io.stdout(`${file}: valid\n`);
      } catch (e) {
        if (!(e instanceof InputFileError)) throw e;
        failed = true;
        io.stderr(`${e.message}\n`);
        io.stdout(`${file}: invalid (${e.issues.filter((i) => i.severity === 'error').length} error(s))\n`);
      }
    }
    return failed ? EXIT_ERROR : EXIT_OK;
  },
};
