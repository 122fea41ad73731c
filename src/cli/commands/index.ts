// Every `ga-steer` command, in the order `--help` lists them.

import type { Command } from '../command.js';
import { applyCommand } from './apply.js';
import { atlasCommand } from './atlas.js';
import { emulatorCommand } from './emulator.js';
import { pauseCommand, resumeCommand } from './pause.js';
import { planCommand } from './plan.js';
import { restoreCommand } from './restore.js';
import { runCommand } from './run.js';
import { simulateCommand } from './simulate.js';
import { statusCommand } from './status.js';
import { validateCommand } from './validate.js';

export const COMMANDS: readonly Command[] = [validateCommand, planCommand, applyCommand, runCommand, pauseCommand, resumeCommand, restoreCommand, statusCommand, simulateCommand, atlasCommand, emulatorCommand];
