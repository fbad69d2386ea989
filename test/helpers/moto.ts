/** The end-to-end tests share the demo's moto launcher, and one way of making clients for it. */
import { after, before } from 'node:test';
import type { Client, Session, SessionOptions } from '../../src/index.js';
import { startMoto, type MotoServer } from '../../scripts/lib/moto.js';
import { EMPTY_ENV } from './env.js';

export { startMoto, type MotoServer };

export interface MotoForFile {
  /** The server's URL (valid once the file's tests run). */
  readonly url: string;
  /** A client for `service` on the server (us-east-1, test credentials, no machine config), destroyed after the file. */
  client(service: string): Client;
}

/**
 * Starts moto before a test file's tests and stops it after them, destroying the clients made
 * through `client()` first. Call at the top level of the file. `SessionClass` is the Session of
 * the build under test: the package's ('inia', the bundle) or the sources'.
 */
export function motoForFile(SessionClass: new (options: SessionOptions) => Session): MotoForFile {
  let moto: MotoServer | undefined;
  const clients: Client[] = [];
  before(async () => {
    moto = await startMoto();
  });
  after(async () => {
    for (const c of clients) c.destroy();
    await moto?.stop();
  });
  return {
    get url(): string {
      if (moto === undefined) throw new Error('moto is not running yet: use url inside a test or hook');
      return moto.url;
    },
    client(service: string): Client {
      const c: Client = new SessionClass({ env: { ...EMPTY_ENV } }).client(service, {
        region: 'us-east-1',
        endpointUrl: this.url,
        credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      });
      clients.push(c);
      return c;
    },
  };
}
