// The emulated SSM Parameter Store, driven by the unmodified AWS SDK client over HTTP: what the Lambda's
// secrets reader sees from the real service.

import { GetParameterCommand, ParameterAlreadyExists, ParameterNotFound, ParameterVersionNotFound, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type Emulator } from '../../src/emulator/emulator.js';
import { TEST_CREDENTIALS } from '../support/emulator.js';

let emulator: Emulator;
let ssm: SSMClient;
const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/ssm-secret-webhook-token';

beforeEach(async () => {
  emulator = await startEmulator({ topology: [], parameters: [{ name: '/ga-steer/slack-webhook', value: WEBHOOK }, { name: 'plain-setting', value: 'hello', type: 'String' }] });
  ssm = new SSMClient({ region: 'eu-central-1', endpoint: emulator.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
});
afterEach(async () => {
  ssm.destroy();
  await emulator.close();
});

describe('SSM Parameter Store emulator (AWS JSON 1.1, real SDK client)', () => {
  it('returns a SecureString decrypted only WithDecryption, with its version and ARN', async () => {
    const out = await ssm.send(new GetParameterCommand({ Name: '/ga-steer/slack-webhook', WithDecryption: true }));
    expect(out.Parameter).toMatchObject({ Name: '/ga-steer/slack-webhook', Type: 'SecureString', Value: WEBHOOK, Version: 1, DataType: 'text', ARN: 'arn:aws:ssm:eu-central-1:123456789012:parameter/ga-steer/slack-webhook' });
    expect(out.Parameter?.LastModifiedDate).toBeInstanceOf(Date);
    const hidden = await ssm.send(new GetParameterCommand({ Name: '/ga-steer/slack-webhook' }));
    expect(hidden.Parameter?.Value).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(hidden.Parameter?.Value).not.toContain('ssm-secret-webhook-token');
    expect(emulator.calls.at(-1)).toMatchObject({ target: 'AmazonSSM.GetParameter', protocol: 'json', region: 'eu-central-1', status: 200 });
  });

  it('finds a parameter by its ARN and a version by name:version; String values come back as they are', async () => {
    await ssm.send(new PutParameterCommand({ Name: '/ga-steer/slack-webhook', Value: `${WEBHOOK}-2`, Overwrite: true }));
    const byArn = await ssm.send(new GetParameterCommand({ Name: 'arn:aws:ssm:eu-central-1:123456789012:parameter/ga-steer/slack-webhook', WithDecryption: true }));
    expect(byArn.Parameter).toMatchObject({ Value: `${WEBHOOK}-2`, Version: 2, Type: 'SecureString' });
    const first = await ssm.send(new GetParameterCommand({ Name: '/ga-steer/slack-webhook:1', WithDecryption: true }));
    expect(first.Parameter).toMatchObject({ Value: WEBHOOK, Version: 1, Selector: ':1' });
    expect((await ssm.send(new GetParameterCommand({ Name: 'plain-setting' }))).Parameter?.Value).toBe('hello');
  });

  it('answers a missing parameter with ParameterNotFound (400), a missing version with ParameterVersionNotFound', async () => {
    const missing = await ssm.send(new GetParameterCommand({ Name: '/ga-steer/nope', WithDecryption: true })).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ParameterNotFound);
    expect((missing as ParameterNotFound).$metadata.httpStatusCode).toBe(400);
    const version = await ssm.send(new GetParameterCommand({ Name: '/ga-steer/slack-webhook:7' })).catch((e: unknown) => e);
    expect(version).toBeInstanceOf(ParameterVersionNotFound);
  });

  it('refuses invalid names and an existing parameter without Overwrite, as the service does', async () => {
    await expect(ssm.send(new GetParameterCommand({ Name: 'ga-steer/no-leading-slash' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new GetParameterCommand({ Name: '/aws/reserved' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new GetParameterCommand({ Name: 'bad name!' }))).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(ssm.send(new PutParameterCommand({ Name: 'plain-setting', Value: 'x', Type: 'String' }))).rejects.toBeInstanceOf(ParameterAlreadyExists);
    await expect(ssm.send(new PutParameterCommand({ Name: 'new-one', Value: 'x' }))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
