// Alerts as log lines, when no Slack webhook is configured.

import type { Alert, Notifier } from '../../ports/notifier.js';
import { alertTitle, fallbackLines } from './format-alert.js';

export class LogNotifier implements Notifier {
  constructor(private readonly log: (line: string) => void) {}
  async notify(alert: Alert): Promise<void> {
    this.log(`alert [${alert.events.join(', ')}] ${alertTitle(alert)}`);
    for (const line of fallbackLines(alert)) this.log(`alert: ${line}`);
  }
}
