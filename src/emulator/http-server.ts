// The emulator's HTTP front: a real server on loopback that speaks the AWS JSON protocols (routed on
// X-Amz-Target) and awsQuery (form-encoded, routed on Version and Action), so unmodified AWS SDKs and
// the AWS CLI talk to it. It reads the Region from the SigV4 credential scope, formats errors as each
// protocol does, injects configured faults, and serves plain HTTP routes (RIPE Atlas, feeds) beside.
// Every answer's `Date` header comes from the emulator's clock (simulated time in the simulator and the
// campaign), as AWS's comes from AWS's: it is how a caller compares its clock with the service's.

import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { QueryInputError, readQueryInput } from './aws-query/form-input.js';
import { queryErrorXml, queryResponseXml } from './aws-query/xml-output.js';
import { FaultInjector, faultRuleSchema, type FaultRule, type HumanEdit } from './faults.js';
import { EmulatedServiceError, type EmulatedService } from './service.js';
import { toJsonWire } from './wire-values.js';

const MAX_BODY_BYTES = 1024 * 1024;

/** A plain HTTP API served beside the AWS ones (RIPE Atlas, a synthetic feed). */
export interface HttpRoute {
  matches(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> | void;
}

interface Responder {
  /** A served call's answer in the protocol's format (sent whole, or cut short by a fault). */
  render(output: unknown): { readonly contentType: string; readonly text: string };
  fail(error: EmulatedServiceError): void;
}

export interface EmulatorServerOptions {
  readonly services: readonly EmulatedService[];
  /** Paths answered by these instead of the AWS protocols. */
  readonly routes?: readonly HttpRoute[];
  readonly faults?: FaultInjector;
  /** Applies a `concurrent-edit` fault's change, as a human at the console would make it. */
  readonly applyHumanEdit?: (edit: HumanEdit) => void;
  readonly host?: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
  /** The emulator's clock, milliseconds since the epoch (default `Date.now`): the answers' `Date`. */
  readonly now?: () => number;
}

export interface RecordedCall {
  readonly target: string;
  /** The wire protocol the call came in: a JSON protocol (X-Amz-Target) or awsQuery (form-encoded). */
  readonly protocol: 'json' | 'query';
  readonly region: string;
  readonly status: number;
  readonly errorType?: string;
  readonly input: unknown;
}

export interface RunningEmulator {
  readonly url: string;
  readonly port: number;
  readonly faults: FaultInjector;
  /** The most recent calls (bounded), for tests and the emulator's log. */
  readonly calls: RecordedCall[];
  close(): Promise<void>;
}

const MAX_RECORDED_CALLS = 10_000;

export async function startEmulatorServer(options: EmulatorServerOptions): Promise<RunningEmulator> {
  const faults = options.faults ?? new FaultInjector();
  const calls: RecordedCall[] = [];
  const byPrefix = new Map(options.services.map((s) => [s.targetPrefix, s]));
  const record = (call: RecordedCall): void => {
    calls.push(call);
    if (calls.length > MAX_RECORDED_CALLS) calls.splice(0, calls.length - MAX_RECORDED_CALLS);
    options.log?.(`${call.status} ${call.target} ${call.protocol} ${call.region}${call.errorType !== undefined ? ` ${call.errorType}` : ''}`);
  };

  const now = options.now ?? Date.now;
  const server = createServer((req, res) => {
    // Node would stamp the host's time; the answer carries the emulator's.
    res.sendDate = false;
    res.setHeader('date', httpDate(now()));
    handle(req, res).catch((e: unknown) => {
      options.log?.(`emulator error: ${e instanceof Error ? e.stack ?? e.message : String(e)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const body = await readBody(req);
    if (req.url?.startsWith('/_emulator/') === true) return admin(req, res, body);
    const url = new URL(req.url ?? '/', 'http://emulator.invalid');
    const route = options.routes?.find((r) => r.matches(url.pathname));
    if (route !== undefined) return route.handle(req, res, url);

    const requestId = randomUUID();
    const contentType = header(req, 'content-type')?.split(';')[0]?.trim().toLowerCase();
    if (req.method === 'POST' && contentType === 'application/x-www-form-urlencoded') return handleQuery(req, res, body, requestId);

    const target = header(req, 'x-amz-target') ?? '';
    const dot = target.indexOf('.');
    const service = byPrefix.get(dot > 0 ? target.slice(0, dot) : '');
    if (req.method !== 'POST' || service === undefined) {
      return sendJson(res, 400, 'application/x-amz-json-1.1', requestId, { __type: 'UnknownOperationException', message: `unknown target "${target}"` });
    }
    const operation = target.slice(dot + 1);
    const region = regionFromAuthorization(header(req, 'authorization'));
    const expectedType = service.protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
    const reply: Responder = {
      render: (output) => ({ contentType: expectedType, text: JSON.stringify(toJsonWire(output)) }),
      fail: (error) => sendJsonError(res, service, requestId, error),
    };
    const fail = (error: EmulatedServiceError, input: unknown): void => {
      record({ target, protocol: 'json', region: region ?? '', status: error.httpStatus, errorType: error.errorType, input });
      reply.fail(error);
    };

    if (region === undefined) return fail(missingAuthentication(), undefined);
    if (contentType !== expectedType) {
      return fail(new EmulatedServiceError('SerializationException', 400, `Content-Type must be ${expectedType}`), undefined);
    }
    let input: unknown;
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
    } catch {
      return fail(new EmulatedServiceError('SerializationException', 400, 'the request body is not valid JSON'), undefined);
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return fail(new EmulatedServiceError('SerializationException', 400, 'the request body must be a JSON object'), input);
    }
    if (!service.operations.has(operation)) {
      return fail(new EmulatedServiceError('UnknownOperationException', 400, `unknown operation ${operation}`), input);
    }
    await serve({ req, res, protocol: 'json', service, operation, target, region, requestId, input: input as Record<string, unknown>, reply });
  }

  /** awsQuery: `Action` and `Version` in a form-encoded body; answers and errors in XML. */
  async function handleQuery(req: IncomingMessage, res: ServerResponse, body: Buffer, requestId: string): Promise<void> {
    const params = new URLSearchParams(body.toString('utf8'));
    const version = params.get('Version') ?? '';
    const action = params.get('Action') ?? '';
    const service = options.services.find((s) => s.query !== undefined && s.query.version === version);
    const namespace = service?.query?.xmlNamespace ?? '';
    const target = `${service?.targetPrefix ?? version}.${action}`;
    const region = regionFromAuthorization(header(req, 'authorization'));
    const reply: Responder = {
      render: (output) => ({ contentType: 'text/xml', text: queryResponseXml(action, output, requestId, namespace) }),
      fail: (error) =>
        sendXml(res, error.httpStatus, requestId, queryErrorXml({ type: error.fault, code: error.queryCode ?? error.errorType, message: error.message }, requestId, namespace)),
    };
    const fail = (error: EmulatedServiceError, input: unknown): void => {
      record({ target, protocol: 'query', region: region ?? '', status: error.httpStatus, errorType: error.queryCode ?? error.errorType, input });
      reply.fail(error);
    };
    if (region === undefined) return fail(missingAuthentication(), undefined);
    if (service?.query === undefined) return fail(new EmulatedServiceError('NoSuchVersion', 400, `no service here speaks API version "${version}" over the query protocol`, 'NoSuchVersion'), undefined);
    if (action === '') return fail(new EmulatedServiceError('MissingAction', 400, 'The request must contain the parameter Action.', 'MissingAction'), undefined);
    const shape = service.query.inputs[action];
    if (shape === undefined || !service.operations.has(action)) {
      return fail(new EmulatedServiceError('InvalidAction', 400, `The action ${action} is not valid for this web service.`, 'InvalidAction'), undefined);
    }
    let input: Record<string, unknown>;
    try {
      input = readQueryInput(params, shape);
    } catch (e) {
      if (e instanceof QueryInputError) return fail(new EmulatedServiceError('InvalidParameterValueException', 400, e.message, 'InvalidParameterValue'), undefined);
      throw e;
    }
    await serve({ req, res, protocol: 'query', service, operation: action, target, region, requestId, input, reply });
  }

  /** Faults, then the operation, whichever protocol carried the call. */
  async function serve(call: {
    req: IncomingMessage;
    res: ServerResponse;
    protocol: RecordedCall['protocol'];
    service: EmulatedService;
    operation: string;
    target: string;
    region: string;
    requestId: string;
    input: Record<string, unknown>;
    reply: Responder;
  }): Promise<void> {
    const { service, target, region, input, reply } = call;
    const fail = (error: EmulatedServiceError): void => {
      record({ target, protocol: call.protocol, region, status: error.httpStatus, errorType: error.errorType, input });
      reply.fail(error);
    };
    const firing = faults.match(target);
    const has = (kind: FaultRule['kind']): FaultRule | undefined => firing.find((f) => f.kind === kind);
    // A human edits the resource right after this call, whatever became of it: between the caller's
    // read and its write, or during its back-off after a write that failed.
    const humanEdits = (): void => {
      for (const f of firing) if (f.kind === 'concurrent-edit' && f.edit !== undefined) options.applyHumanEdit?.(f.edit);
    };
    for (const f of firing) if (f.kind === 'latency') await sleep(f.delayMs);
    if (has('disconnect') !== undefined) {
      record({ target, protocol: call.protocol, region, status: 0, errorType: 'disconnect', input });
      call.req.socket.destroy();
      humanEdits();
      return;
    }
    if (has('hang') !== undefined) {
      // Read and never answered: the connection stays open until the caller gives up.
      record({ target, protocol: call.protocol, region, status: 0, errorType: 'hang', input });
      humanEdits();
      return;
    }
    if (has('throttle') !== undefined) {
      fail(new EmulatedServiceError('ThrottlingException', 400, 'Rate exceeded', 'Throttling'));
      humanEdits();
      return;
    }
    if (has('server-error') !== undefined) {
      const type = service.protocol === 'awsJson1_1' ? 'InternalServiceErrorException' : 'InternalServiceFault';
      fail(new EmulatedServiceError(type, 500, 'An internal error occurred', 'InternalServiceError'));
      humanEdits();
      return;
    }

    let output: unknown;
    try {
      output = await service.handle(call.operation, input, { region, requestId: call.requestId });
    } catch (e) {
      if (e instanceof EmulatedServiceError) return fail(e);
      throw e;
    }
    // Served: whatever happens to the answer now, the call has taken effect.
    humanEdits();
    if (has('drop-response') !== undefined) {
      record({ target, protocol: call.protocol, region, status: 0, errorType: 'drop-response', input });
      call.req.socket.destroy();
      return;
    }
    const stall = has('stall-body');
    const trickle = has('trickle');
    record({ target, protocol: call.protocol, region, status: 200, ...(stall !== undefined ? { errorType: 'stall-body' } : trickle !== undefined ? { errorType: 'trickle' } : {}), input });
    const answer = reply.render(output);
    if (stall !== undefined) return sendPartly(call.res, answer.contentType, call.requestId, answer.text, 'stall', 0);
    if (trickle !== undefined) return sendPartly(call.res, answer.contentType, call.requestId, answer.text, 'trickle', trickle.delayMs > 0 ? trickle.delayMs : 200);
    sendText(call.res, 200, answer.contentType, call.requestId, answer.text);
  }

  function admin(req: IncomingMessage, res: ServerResponse, body: Buffer): void {
    if (req.method === 'GET' && req.url === '/_emulator/health') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
      return;
    }
    if (req.method === 'POST' && req.url === '/_emulator/faults') {
      const parsed = faultRuleSchema.safeParse(safeJson(body));
      if (!parsed.success) {
        res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) }));
        return;
      }
      faults.add(parsed.data);
      res.writeHead(204).end();
      return;
    }
    if (req.method === 'DELETE' && req.url === '/_emulator/faults') {
      faults.clear();
      res.writeHead(204).end();
      return;
    }
    res.writeHead(404).end();
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const host = options.host ?? '127.0.0.1';
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    faults,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** RFC 7231 IMF-fixdate (`Tue, 01 Dec 2026 06:00:00 GMT`), whole seconds, as AWS sends it. */
export function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** `AWS4-HMAC-SHA256 Credential=AKID/20261122/us-west-2/globalaccelerator/aws4_request, ...` */
function regionFromAuthorization(authorization: string | undefined): string | undefined {
  const m = /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/[a-z0-9-]+\/aws4_request/.exec(authorization ?? '');
  return m?.[1];
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const b = chunk as Buffer;
    size += b.length;
    if (size > MAX_BODY_BYTES) throw new Error('request body too large');
    chunks.push(b);
  }
  return Buffer.concat(chunks);
}

function safeJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, contentType: string, requestId: string, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-requestid': requestId,
    ...extra,
  });
  res.end(text);
}

function sendXml(res: ServerResponse, status: number, requestId: string, xml: string): void {
  sendText(res, status, 'text/xml', requestId, xml);
}

function sendText(res: ServerResponse, status: number, contentType: string, requestId: string, text: string): void {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-requestid': requestId });
  res.end(text);
}

/** The answer's headers, then half its body and silence (`stall`), or its body one byte at a time (`trickle`). */
function sendPartly(res: ServerResponse, contentType: string, requestId: string, text: string, mode: 'stall' | 'trickle', byteEveryMs: number): void {
  const bytes = Buffer.from(text);
  res.writeHead(200, { 'content-type': contentType, 'content-length': bytes.length, 'x-amzn-requestid': requestId });
  if (mode === 'stall') {
    res.write(bytes.subarray(0, Math.floor(bytes.length / 2)));
    return;
  }
  let sent = 0;
  const timer = setInterval(() => {
    if (res.destroyed || sent >= bytes.length) {
      clearInterval(timer);
      if (!res.destroyed) res.end();
      return;
    }
    res.write(bytes.subarray(sent, sent + 1));
    sent += 1;
  }, byteEveryMs);
  res.on('close', () => clearInterval(timer));
}

function missingAuthentication(): EmulatedServiceError {
  return new EmulatedServiceError('MissingAuthenticationTokenException', 403, 'Missing Authentication Token', 'MissingAuthenticationToken');
}

function sendJsonError(res: ServerResponse, service: EmulatedService, requestId: string, error: EmulatedServiceError): void {
  const contentType = service.protocol === 'awsJson1_1' ? 'application/x-amz-json-1.1' : 'application/x-amz-json-1.0';
  const common = new Set(['ThrottlingException', 'SerializationException', 'UnknownOperationException', 'MissingAuthenticationTokenException']);
  const type = common.has(error.errorType) ? error.errorType : `${service.errorNamespace}#${error.errorType}`;
  const extra: Record<string, string> = { 'x-amzn-errortype': error.errorType };
  if (service.protocol === 'awsJson1_0-query-compatible') {
    extra['x-amzn-query-error'] = `${error.queryCode ?? error.errorType};${error.fault}`;
  }
  sendJson(res, error.httpStatus, contentType, requestId, { __type: type, [service.messageMember]: error.message }, extra);
}
