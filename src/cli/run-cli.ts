// Dispatches `ga-steer <command> ...`. Errors become a message on stderr and exit code 1; only
// unexpected faults print a stack. Everything written to stdout and stderr first passes through the
// one secret redactor, built here when the command starts.

import { GaSteerError } from '../app/errors.js';
import { SecretRedactor } from '../app/redact.js';
import { UsageError } from './args.js';
import { EXIT_ERROR, EXIT_OK, type CliIo, type Command, type CommandIo } from './command.js';
import { COMMANDS } from './commands/index.js';

export async function runCli(argv: readonly string[], rawIo: CliIo, commands: readonly Command[] = COMMANDS): Promise<number> {
  const secrets = new SecretRedactor(rawIo.env);
  const io: CommandIo = { ...rawIo, secrets, stdout: (t) => rawIo.stdout(secrets.redact(t)), stderr: (t) => rawIo.stderr(secrets.redact(t)) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(usage(commands));
    return name === undefined ? EXIT_ERROR : EXIT_OK;
  }
  if (name === '--version') {
    io.stdout('ga-steer 0.1.0\n');
    return EXIT_OK;
  }
  const command = commands.find((c) => c.name === name);
  if (command === undefined) {
    io.stderr(`ga-steer: unknown command "${name}"\n\n${usage(commands)}`);
    return EXIT_ERROR;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.help}\n`);
    return EXIT_OK;
  }
  try {
    return await command.run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr(`ga-steer ${command.name}: ${e.message}\nRun 'ga-steer ${command.name} --help' for usage.\n`);
      return EXIT_ERROR;
    }
    if (e instanceof GaSteerError || isNamedError(e)) {
      io.stderr(`ga-steer ${command.name}: ${(e as Error).message}\n`);
      return EXIT_ERROR;
    }
    io.stderr(`ga-steer ${command.name}: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    return EXIT_ERROR;
  }
}

/** Typed errors of the adapters (each package's root error sets `name`) are expected faults. */
function isNamedError(e: unknown): boolean {
  return e instanceof Error && e.name !== 'Error' && e.name !== 'TypeError' && e.name !== 'RangeError' && e.name !== 'ReferenceError';
}

function usage(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `Usage: ga-steer <command> [options]

Latency-aware steering for AWS Global Accelerator.

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run 'ga-steer <command> --help' for a command's options.
`;
}
