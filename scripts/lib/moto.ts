/**
 * Starts a moto server on a free loopback port for the demo and the end-to-end
 * tests, and stops it.
 * A moto that cannot start fails the test run: it is never a skip.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, request } from 'node:http';

export interface MotoServer {
  readonly url: string;
  readonly port: number;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const req = request({ host: '127.0.0.1', port, path: '/moto-api/', method: 'GET', timeout: 500 }, (res) => {
      res.resume();
      resolve((res.statusCode ?? 500) < 500);
    });
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

const STARTUP_LIMIT_MS = 30_000;

export interface StartMotoOptions {
  /**
   * Variables added to the server's environment (over this process's), e.g.
   * `{ INITIAL_NO_AUTH_ACTION_COUNT: '4' }` to turn moto's IAM authentication on after four
   * free calls. moto reads its settings when it starts, so they are fixed for the server's life.
   */
  env?: Readonly<Record<string, string>>;
}

export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const port = await freePort();
  const child: ChildProcess = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...options.env, PYTHONUNBUFFERED: '1' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 20_000) stderr += chunk.toString();
  });
  let exited: number | null | undefined;
  child.once('exit', (code) => {
    exited = code;
  });
  const deadline = Date.now() + STARTUP_LIMIT_MS;
  for (let attempt = 0; Date.now() < deadline && attempt < 600; attempt++) {
    if (exited !== undefined) break;
    if (await ping(port)) {
      return {
        url: `http://127.0.0.1:${port}`,
        port,
        stop: () =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || exited !== undefined) return resolve();
            const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(timer);
              resolve();
            });
            child.kill('SIGTERM');
          }),
      };
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`moto server did not start on 127.0.0.1:${port} (exit ${String(exited)}). Is moto installed (python3 -m moto.server)?\n${stderr.slice(-2000)}`);
}
