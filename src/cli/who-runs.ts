// Who ran a command, for the control record and the decision history: `--by`, else user@host.

import { hostname, userInfo } from 'node:os';

export function whoRuns(env: Readonly<Record<string, string | undefined>>, by: string | undefined): string {
  if (by !== undefined && by !== '') return by;
  return `${env.USER ?? env.LOGNAME ?? osUser()}@${hostname()}`;
}

function osUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
