// Alerts as log lines, when no Slack webhook is configured.

import type { Alert, Notifier } from '../../ports/notifier.js';

export class LogNotifier implements Notifier {
  constructor(private readonly log: (line: string) => void) {}
  async notify(alert: Alert): Promise<void> {
    this.log(`alert [${alert.events.join(', ')}] ${alert.plan.policy.name}: ${alert.plan.summary.headline}`);
    for (const note of alert.notes ?? []) this.log(`alert note: ${note}`);
  }
}
