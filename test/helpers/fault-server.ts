/**
 * A loopback-only HTTP/1.1 fault-injection server, for proving that inia retries exactly
 * like botocore when the network or the service misbehaves.
 *
 * Two listeners, both on 127.0.0.1 and port 0:
 *  - the *service* listener (`url`, `port`) plays AWS: every request it receives consumes
 *    the next action of the current script and is counted and logged;
 *  - the *control* listener (`controlUrl`) lets another process (the botocore driver,
 *    test/helpers/botocore_faults.py) set the script and read the counts. It is a separate
 *    port, so a control request can never be mistaken for an AWS request (whatever its
 *    path) and never shows up in the counts. Its routes:
 *      POST /script   body: FaultScript JSON (or a bare action array)  -> {"ok":true,"scriptId":n}
 *      GET  /count                                                     -> {"total":n,"sinceScript":n,"scriptId":n}
 *      GET  /log                                                       -> RequestLogEntry[] (headers included)
 *
 * A script is a list of actions consumed one per received request. When it runs out,
 * `then` decides: 'repeat-last' (the default: the last action repeats forever; an empty
 * list means DEFAULT_SUCCESS) or an explicit action to answer every further request with.
 *
 * Every timer and socket is tracked; close() destroys all sockets and clears all timers.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { crc32 } from 'node:zlib';

export type Headers = Record<string, string>;

/** A complete response; Content-Length is always set from the body. */
export interface RespondAction { kind: 'respond'; status: number; headers?: Headers; body?: string }
/** Destroy the socket (RST) as soon as the request headers arrive, before any response. */
export interface ResetAction { kind: 'reset' }
/** Read the request, then end() the socket gracefully (FIN) without any response. */
export interface CloseBeforeResponseAction { kind: 'close-before-response' }
/** Announce the full body's Content-Length, send only `sendBytes` of it, then close (FIN). */
export interface TruncateAction { kind: 'truncate'; status: number; headers?: Headers; body: string; sendBytes: number }
/** As truncate, but the socket is reset (RST) after the partial body. */
export interface ResetMidBodyAction { kind: 'reset-mid-body'; status: number; headers?: Headers; body: string; sendBytes: number }
/** Read the request and send nothing for `ms`, then destroy the socket. */
export interface StallAction { kind: 'stall'; ms: number }
/** Send the headers and `sendBytes` of the body, go silent for `ms`, then destroy the socket. */
export interface StallMidBodyAction {
  kind: 'stall-mid-body'; status: number; headers?: Headers; body: string; sendBytes: number; ms: number;
}
/** DynamoDB-style 200 JSON response whose x-amz-crc32 does not match the body. */
export interface CorruptCrc32Action { kind: 'corrupt-crc32'; body: string; status?: number }
/** DynamoDB-style 200 JSON response with the right x-amz-crc32 (unsigned decimal). */
export interface CorrectCrc32Action { kind: 'correct-crc32'; body: string; status?: number }
/** S3 GetObject-style 200 response with a wrong x-amz-checksum-<algorithm> header. */
export interface CorruptChecksumAction { kind: 'corrupt-checksum'; body: string; algorithm: 'crc32'; headers?: Headers }
/** S3 GetObject-style 200 response with the right x-amz-checksum-<algorithm> header. */
export interface CorrectChecksumAction { kind: 'correct-checksum'; body: string; algorithm: 'crc32'; headers?: Headers }

export type FaultAction =
  | RespondAction | ResetAction | CloseBeforeResponseAction | TruncateAction | ResetMidBodyAction
  | StallAction | StallMidBodyAction | CorruptCrc32Action | CorrectCrc32Action
  | CorruptChecksumAction | CorrectChecksumAction;

export interface FaultScript {
  actions: FaultAction[];
  /** What answers requests after the actions run out. Default 'repeat-last'. */
  then?: 'repeat-last' | FaultAction;
}

export interface RequestLogEntry {
  /** 0-based over the server's life. */
  index: number;
  /** The script (setScript call) this request consumed an action of; 0 = the initial one. */
  scriptId: number;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** Request body bytes read; 0 for 'reset' (the socket is destroyed before the body). */
  bodyBytes: number;
  /** The kind of action applied. */
  action: FaultAction['kind'];
  /** ms since the server started. */
  at: number;
}

export interface FaultServer {
  url: string;
  port: number;
  /** The control listener (separate port), for the python driver. */
  controlUrl: string;
  /** Connections clients hold open to the service listener now. */
  readonly openConnections: number;
  requests: {
    /** Every request that reached the service listener, including ones reset. */
    readonly count: number;
    /** Requests since the last setScript. */
    readonly sinceScript: number;
    readonly log: readonly RequestLogEntry[];
  };
  setScript(script: FaultScript | FaultAction[]): void;
  close(): Promise<void>;
}

/** What answers a request when no script action applies (empty script). A JSON `{}`. */
export const DEFAULT_SUCCESS: RespondAction = Object.freeze({
  kind: 'respond',
  status: 200,
  headers: Object.freeze({ 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'fault-default' }) as Headers,
  body: '{}',
}) as RespondAction;

// ---------------------------------------------------------------------------------------
// Builders for protocol-correct responses
// ---------------------------------------------------------------------------------------

let requestIdCounter = 0;
function requestId(): string {
  requestIdCounter = (requestIdCounter + 1) % 1_000_000;
  return `FAULT${String(requestIdCounter).padStart(6, '0')}REQUESTID`;
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** CRC32 of the body as an unsigned decimal string (DynamoDB's x-amz-crc32). */
export function crc32Decimal(body: string | Uint8Array): string {
  return String(crc32(typeof body === 'string' ? Buffer.from(body, 'utf8') : body) >>> 0);
}

/** CRC32 of the body as base64 of its 4 big-endian bytes (S3's x-amz-checksum-crc32). */
export function crc32Base64(body: string | Uint8Array): string {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(crc32(typeof body === 'string' ? Buffer.from(body, 'utf8') : body) >>> 0, 0);
  return b.toString('base64');
}

/**
 * An awsJson error (DynamoDB, and any awsJson1_0/1_1 service): `__type` is
 * `<prefix>#<code>`; DynamoDB's prefix is com.amazonaws.dynamodb.v20120810.
 */
export function jsonError(opts: {
  status: number; code: string; message?: string; prefix?: string; jsonVersion?: '1.0' | '1.1'; headers?: Headers;
}): RespondAction {
  const prefix = opts.prefix ?? 'com.amazonaws.dynamodb.v20120810';
  return {
    kind: 'respond',
    status: opts.status,
    headers: {
      'content-type': `application/x-amz-json-${opts.jsonVersion ?? '1.0'}`,
      'x-amzn-requestid': requestId(),
      ...opts.headers,
    },
    body: JSON.stringify({ __type: `${prefix}#${opts.code}`, message: opts.message ?? `injected ${opts.code}` }),
  };
}

/** DynamoDB error (awsJson1_0). */
export function dynamodbError(status: number, code: string, message?: string): RespondAction {
  return jsonError({ status, code, prefix: 'com.amazonaws.dynamodb.v20120810', ...(message !== undefined ? { message } : {}) });
}

/**
 * SQS error. botocore's SQS model is awsJson1_0 with awsQueryCompatible, so the body is
 * JSON (`com.amazonaws.sqs#<Code>`) and, when `queryCode` is given, the
 * `x-amzn-query-error: <queryCode>;Sender` header that botocore turns into Error.Code.
 */
export function sqsError(status: number, code: string, queryCode?: string): RespondAction {
  return jsonError({
    status, code, prefix: 'com.amazonaws.sqs',
    ...(queryCode !== undefined ? { headers: { 'x-amzn-query-error': `${queryCode};${status >= 500 ? 'Receiver' : 'Sender'}` } } : {}),
  });
}

/** A query-protocol (STS, IAM, EC2-ish) XML error: `<ErrorResponse><Error><Code>...`. */
export function queryError(status: number, code: string, message?: string): RespondAction {
  const id = requestId();
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'text/xml', 'x-amzn-requestid': id },
    body:
      `<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error>` +
      `<Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message ?? `injected ${code}`)}</Message></Error>` +
      `<RequestId>${id}</RequestId></ErrorResponse>`,
  };
}

/** An S3 (rest-xml) error: `<Error><Code>SlowDown</Code>...`. */
export function s3Error(status: number, code: string, message?: string): RespondAction {
  const id = requestId();
  return {
    kind: 'respond',
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id, 'x-amz-id-2': `${id}/id2` },
    body:
      `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${xmlEscape(code)}</Code>` +
      `<Message>${xmlEscape(message ?? `injected ${code}`)}</Message><RequestId>${id}</RequestId>` +
      `<HostId>${id}/id2</HostId></Error>`,
  };
}

/** A 200 awsJson response with the given JSON body. */
export function jsonOk(body: unknown, jsonVersion: '1.0' | '1.1' = '1.0'): RespondAction {
  return {
    kind: 'respond', status: 200,
    headers: { 'content-type': `application/x-amz-json-${jsonVersion}`, 'x-amzn-requestid': requestId() },
    body: JSON.stringify(body),
  };
}

/** A 200 XML response (query or rest-xml). */
export function xmlOk(xml: string, headers?: Headers): RespondAction {
  return { kind: 'respond', status: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId(), ...headers }, body: xml };
}

export function corruptCrc32(body: string): CorruptCrc32Action { return { kind: 'corrupt-crc32', body }; }
export function correctCrc32(body: string): CorrectCrc32Action { return { kind: 'correct-crc32', body }; }
export function corruptChecksum(body: string): CorruptChecksumAction { return { kind: 'corrupt-checksum', body, algorithm: 'crc32' }; }
export function correctChecksum(body: string): CorrectChecksumAction { return { kind: 'correct-checksum', body, algorithm: 'crc32' }; }

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

const KINDS: ReadonlySet<string> = new Set<FaultAction['kind']>([
  'respond', 'reset', 'close-before-response', 'truncate', 'reset-mid-body', 'stall', 'stall-mid-body',
  'corrupt-crc32', 'correct-crc32', 'corrupt-checksum', 'correct-checksum',
]);
/** No stall may outlive this, so a forgotten script cannot keep a test alive for long. */
const MAX_STALL_MS = 120_000;
const MAX_CONTROL_BODY = 4 * 1024 * 1024;

/** Validates a script from JSON (the control channel) or from TS. Throws on nonsense. */
export function normalizeScript(input: unknown): FaultScript {
  const script: FaultScript = Array.isArray(input) ? { actions: input as FaultAction[] } : (input as FaultScript);
  if (!script || typeof script !== 'object' || !Array.isArray(script.actions)) throw new Error('fault script: expected {actions: [...]} or an array');
  const check = (a: unknown): FaultAction => {
    if (!a || typeof a !== 'object' || !KINDS.has((a as { kind: string }).kind)) {
      throw new Error(`fault script: unknown action ${JSON.stringify(a)}`);
    }
    const act = a as FaultAction;
    if ((act.kind === 'stall' || act.kind === 'stall-mid-body') && !(act.ms >= 0 && act.ms <= MAX_STALL_MS)) {
      throw new Error(`fault script: stall ms must be within 0..${MAX_STALL_MS}`);
    }
    if ('status' in act && act.status !== undefined && !(Number.isInteger(act.status) && act.status >= 100 && act.status <= 599)) {
      throw new Error(`fault script: bad status ${String(act.status)}`);
    }
    return act;
  };
  const actions = script.actions.map(check);
  const then = script.then === undefined || script.then === 'repeat-last' ? 'repeat-last' : check(script.then);
  return { actions, then };
}

function bodyBuffer(body: string | undefined): Buffer {
  return Buffer.from(body ?? '', 'utf8');
}

export interface FaultServerOptions {
  /** Keep a log entry per request (default true). A soak test turns it off to measure its own heap. */
  keepLog?: boolean;
}

export async function startFaultServer(initial?: FaultScript | FaultAction[], options: FaultServerOptions = {}): Promise<FaultServer> {
  const keepLog = options.keepLog !== false;
  let received = 0;
  const started = Date.now();
  const sockets = new Set<Socket>();
  /** The service listener's open connections (the control listener's are not counted). */
  const serviceSockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const log: RequestLogEntry[] = [];
  let script: FaultScript = normalizeScript(initial ?? []);
  let cursor = 0;
  let scriptId = 0;
  let sinceScript = 0;
  let closed = false;

  /** A tracked timer about `socket`: cleared when the socket closes first, or on close(). */
  const later = (socket: Socket, ms: number, fn: () => void): void => {
    const onClose = (): void => { clearTimeout(t); timers.delete(t); };
    const t = setTimeout(() => { timers.delete(t); socket.off('close', onClose); fn(); }, ms);
    timers.add(t);
    socket.once('close', onClose);
  };

  const nextAction = (): FaultAction => {
    if (cursor < script.actions.length) return script.actions[cursor++]!;
    if (script.then !== undefined && script.then !== 'repeat-last') return script.then;
    return script.actions.length > 0 ? script.actions[script.actions.length - 1]! : DEFAULT_SUCCESS;
  };

  const rst = (socket: Socket): void => {
    if (socket.destroyed) return;
    if (typeof socket.resetAndDestroy === 'function') socket.resetAndDestroy();
    else socket.destroy();
  };

  /** Write headers and a prefix of the body; `then` runs once it reached the kernel. */
  const writePartial = (req: IncomingMessage, res: ServerResponse, status: number, headers: Headers | undefined, body: string, sendBytes: number, then: () => void): void => {
    const full = bodyBuffer(body);
    const n = Math.max(0, Math.min(sendBytes, full.length));
    res.writeHead(status, { ...headers, 'content-length': String(full.length) });
    if (req.method === 'HEAD') {
      // A HEAD response carries no body: only the headers go out.
      res.flushHeaders();
      later(req.socket, 10, then);
      return;
    }
    res.write(full.subarray(0, n), () => then());
  };

  const respond = (res: ServerResponse, status: number, headers: Headers | undefined, body: string | undefined): void => {
    const buf = bodyBuffer(body);
    res.writeHead(status, { ...headers, 'content-length': String(buf.length) });
    res.end(buf);
  };

  const perform = (action: FaultAction, req: IncomingMessage, res: ServerResponse): void => {
    const socket = req.socket;
    switch (action.kind) {
      case 'respond':
        respond(res, action.status, action.headers, action.body);
        return;
      case 'reset':
        rst(socket);
        return;
      case 'close-before-response':
        socket.end();
        // If the peer never closes its side, do not keep the socket forever.
        later(socket, 2_000, () => socket.destroy());
        return;
      case 'truncate':
        writePartial(req, res, action.status, action.headers, action.body, action.sendBytes, () => later(socket, 10, () => socket.destroy()));
        return;
      case 'reset-mid-body':
        writePartial(req, res, action.status, action.headers, action.body, action.sendBytes, () => later(socket, 10, () => rst(socket)));
        return;
      case 'stall':
        later(socket, action.ms, () => socket.destroy());
        return;
      case 'stall-mid-body':
        writePartial(req, res, action.status, action.headers, action.body, action.sendBytes, () => later(socket, action.ms, () => socket.destroy()));
        return;
      case 'corrupt-crc32':
      case 'correct-crc32': {
        const good = Number(crc32Decimal(action.body));
        const value = action.kind === 'correct-crc32' ? good : (good + 1) >>> 0;
        respond(res, action.status ?? 200, {
          'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': requestId(), 'x-amz-crc32': String(value),
        }, action.body);
        return;
      }
      case 'corrupt-checksum':
      case 'correct-checksum': {
        let value = crc32Base64(action.body);
        if (action.kind === 'corrupt-checksum') {
          const b = Buffer.from(value, 'base64');
          b.writeUInt32BE((b.readUInt32BE(0) + 1) >>> 0, 0);
          value = b.toString('base64');
        }
        respond(res, 200, {
          'content-type': 'application/octet-stream', 'etag': '"fault-etag"', 'x-amz-request-id': requestId(),
          'last-modified': 'Thu, 01 Jan 2015 00:00:00 GMT', ...action.headers,
          [`x-amz-checksum-${action.algorithm}`]: value,
        }, action.body);
        return;
      }
    }
  };

  const service: Server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => {
    const action = nextAction();
    sinceScript++;
    const entry: RequestLogEntry = {
      index: received, scriptId, method: req.method ?? '', path: req.url ?? '', headers: { ...req.headers },
      bodyBytes: 0, action: action.kind, at: Date.now() - started,
    };
    received++;
    if (keepLog) log.push(entry);
    res.on('error', () => {});
    if (action.kind === 'reset') {
      // As soon as the headers arrived: no body read, no response.
      rst(req.socket);
      return;
    }
    req.on('data', (chunk: Buffer) => { entry.bodyBytes += chunk.length; });
    req.on('error', () => {});
    req.on('end', () => { if (!closed && !req.socket.destroyed) perform(action, req, res); });
  });
  service.on('connection', (s: Socket) => {
    sockets.add(s);
    serviceSockets.add(s);
    s.on('error', () => {});
    s.on('close', () => {
      sockets.delete(s);
      serviceSockets.delete(s);
    });
  });
  service.on('clientError', (_err, s: Socket) => { s.destroy(); });

  const control: Server = createServer((req, res) => {
    const send = (status: number, value: unknown): void => {
      const buf = Buffer.from(JSON.stringify(value));
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(buf.length), connection: 'close' });
      res.end(buf);
    };
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_CONTROL_BODY) { req.socket.destroy(); return; }
      chunks.push(c);
    });
    req.on('error', () => {});
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0];
      try {
        if (req.method === 'POST' && path === '/script') {
          server.setScript(normalizeScript(JSON.parse(Buffer.concat(chunks).toString('utf8'))));
          send(200, { ok: true, scriptId });
        } else if (req.method === 'GET' && path === '/count') {
          send(200, { total: received, sinceScript, scriptId });
        } else if (req.method === 'GET' && path === '/log') {
          send(200, log);
        } else {
          send(404, { error: `no control route ${req.method} ${path}` });
        }
      } catch (e) {
        send(400, { error: (e as Error).message });
      }
    });
  });
  control.on('connection', (s: Socket) => {
    sockets.add(s);
    s.on('error', () => {});
    s.on('close', () => sockets.delete(s));
  });

  const listen = (srv: Server): Promise<number> =>
    new Promise((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        srv.off('error', reject);
        resolve((srv.address() as AddressInfo).port);
      });
    });
  const port = await listen(service);
  let controlPort: number;
  try {
    controlPort = await listen(control);
  } catch (e) {
    service.close();
    throw e;
  }

  const server: FaultServer = {
    url: `http://127.0.0.1:${port}`,
    port,
    controlUrl: `http://127.0.0.1:${controlPort}`,
    get openConnections() { return serviceSockets.size; },
    requests: {
      get count() { return received; },
      get sinceScript() { return sinceScript; },
      get log() { return log; },
    },
    setScript(s) {
      script = normalizeScript(s);
      cursor = 0;
      sinceScript = 0;
      scriptId++;
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      const done = Promise.all([service, control].map((srv) => new Promise<void>((resolve) => srv.close(() => resolve()))));
      service.closeAllConnections();
      control.closeAllConnections();
      for (const s of sockets) s.destroy();
      sockets.clear();
      return done.then(() => undefined);
    },
  };
  return server;
}
