// `ga-steer validate <policy...>`: check policies; every issue of every file, with file:line:col.

import { FileReadError, InputFileError } from '../../app/errors.js';
import { loadPolicyFile } from '../../app/input-files.js';
import { MAX_INPUT_BYTES } from '../../input/limits.js';
import { formatIssue } from '../../policy/issues.js';
import type { PolicyUse } from '../../policy/parse-policy.js';
import { oneOf, parseCommandArgs, UsageError } from '../args.js';
import { EXIT_ERROR, EXIT_OK, type Command } from '../command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'Check one or more policy files',
  help: `Usage: ga-steer validate [--use live|snapshot] <policy.yaml>...

Checks each policy's shape (unknown keys, types, ranges) and its meaning (thresholds in order,
known Regions, signals defined, capacity against the stated peak). Every issue is printed as
  FILE:LINE:COL PATH: MESSAGE
Warnings (prefixed "warning:") do not fail validation.

Options:
  --use live       (default) the policy will collect live signals (plan without --snapshot, apply,
                   run, the Lambda): a Region without a CloudWatch load query is an error
  --use snapshot   the policy is only used with recorded snapshots (plan --snapshot, simulate, the
                   library's evaluate), which carry the load: a missing load query is a warning

A policy may be at most ${MAX_INPUT_BYTES.policy / (1024 * 1024)} MiB.

Exit codes: 0 every policy is valid, 1 at least one is not (or a file cannot be read).`,
  async run(argv, io) {
    const { values, positionals } = parseCommandArgs(argv, { use: { type: 'string' } }, true);
    const use = oneOf<PolicyUse>(values.use, '--use', ['live', 'snapshot'], 'live');
    if (positionals.length === 0) throw new UsageError('name at least one policy file');
    let failed = false;
    for (const file of positionals) {
      try {
        const { warnings } = await loadPolicyFile(file, { use });
        for (const w of warnings) io.stderr(`${formatIssue(w)}\n`);
        io.stdout(`${file}: valid\n`);
      } catch (e) {
        if (e instanceof FileReadError) {
          failed = true;
          io.stderr(`${e.message}\n`);
          io.stdout(`${file}: not read\n`);
          continue;
        }
        if (!(e instanceof InputFileError)) throw e;
        failed = true;
        io.stderr(`${e.message}\n`);
        io.stdout(`${file}: invalid (${e.issues.filter((i) => i.severity === 'error').length} error(s))\n`);
      }
    }
    return failed ? EXIT_ERROR : EXIT_OK;
  },
};
