/**
 * Self-signed certificates made at test time with the openssl CLI, in a temporary directory.
 * A missing openssl throws (the TLS tests must fail, not skip, when they cannot run).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TestCert {
  /** Certificate (self-signed: also its own CA) */
  certPath: string;
  keyPath: string;
  /** Certificate and key in one PEM file. */
  bundlePath: string;
  cert: Buffer;
  key: Buffer;
}

export interface CertDir {
  dir: string;
  make(name: string, subjectAltName: string): TestCert;
  cleanup(): void;
}

export function certDir(): CertDir {
  const dir = mkdtempSync(join(tmpdir(), 'inia-tls-'));
  return {
    dir,
    make(name, subjectAltName) {
      const certPath = join(dir, `${name}.pem`);
      const keyPath = join(dir, `${name}.key`);
      execFileSync('openssl', [
        'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
        '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', `/CN=${name}`,
        '-addext', `subjectAltName=${subjectAltName}`,
      ], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 20_000 });
      const cert = readFileSync(certPath);
      const key = readFileSync(keyPath);
      const bundlePath = join(dir, `${name}-bundle.pem`);
      writeFileSync(bundlePath, Buffer.concat([cert, key]));
      return { certPath, keyPath, bundlePath, cert, key };
    },
    cleanup() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
