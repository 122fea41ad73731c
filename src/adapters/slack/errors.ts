// Errors of the Slack adapter. The webhook URL is a secret: it never appears in a message.

export class SlackError extends Error {
  override readonly name: string = 'SlackError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

export class SlackWebhookRejected extends SlackError {
  override readonly name = 'SlackWebhookRejected';
  constructor(
    readonly status: number,
    readonly body: string,
  ) {
    super(`the Slack webhook answered HTTP ${status}: ${body.slice(0, 200)}`);
  }
}
