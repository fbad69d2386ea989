/** The AWS Signature Version 4 test suite (../shared/conformance/sigv4), every case. */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { signRequest, uriEncode } from '../../src/auth/sigv4.js';
import type { HttpRequest } from '../../src/http/types.js';
import { conformanceDir } from '../helpers/paths.js';

const suiteDir = join(conformanceDir, 'sigv4');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2015-08-30T12:36:00Z');

/** Every directory holding a `<name>.req`, at any depth. */
function findCases(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const full = join(dir, entry);
    if (!statSync(full).isDirectory()) continue;
    if (existsSync(join(full, `${entry}.req`))) found.push(full);
    found.push(...findCases(full));
  }
  return found;
}

/** Encodes a raw query the way it would travel: each key and value RFC 3986-encoded. */
function encodeQuery(raw: string): string {
  if (!raw) return '';
  return raw
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      const [k, v] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
      return `${uriEncode(decodeURIComponent(k), false)}=${uriEncode(decodeURIComponent(v), false)}`;
    })
    .join('&');
}

interface ParsedCase {
  request: HttpRequest;
  sessionToken: string | undefined;
}

/** Parses the suite's raw HTTP: folded header lines, repeated names joined with ','. */
function parseRequest(text: string): ParsedCase {
  const blank = text.indexOf('\n\n');
  const head = blank < 0 ? text : text.slice(0, blank);
  const body = blank < 0 ? '' : text.slice(blank + 2);
  const lines = head.split('\n');
  const requestLine = lines.shift()!;
  const firstSpace = requestLine.indexOf(' ');
  const lastSpace = requestLine.lastIndexOf(' ');
  const method = requestLine.slice(0, firstSpace);
  const target = requestLine.slice(firstSpace + 1, lastSpace);
  const q = target.indexOf('?');
  const rawPath = q < 0 ? target : target.slice(0, q);
  const rawQuery = q < 0 ? '' : target.slice(q + 1);
  const entries: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === '') continue;
    if (/^\s/.test(line) && entries.length) entries[entries.length - 1]![1] += ` ${line.trim()}`;
    else {
      const colon = line.indexOf(':');
      entries.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()]);
    }
  }
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  const sessionToken = headers['x-amz-security-token'];
  delete headers['x-amz-security-token'];
  return {
    request: { method, protocol: 'https:', hostname: headers.host ?? 'example.amazonaws.com', port: undefined, path: rawPath, query: encodeQuery(rawQuery), headers, body: body || undefined },
    sessionToken,
  };
}

const cases = findCases(suiteDir);

describe('SigV4 test suite', () => {
  it('finds the whole suite', () => {
    assert.ok(cases.length >= 30, `found only ${cases.length} cases`);
  });

  for (const dir of cases) {
    const name = basename(dir);
    it(dir.slice(suiteDir.length + 1), () => {
      const read = (ext: string): string | undefined => {
        const file = join(dir, `${name}.${ext}`);
        return existsSync(file) ? readFileSync(file, 'utf8').replace(/\r\n/g, '\n') : undefined;
      };
      const parsed = parseRequest(read('req')!);
      const { request } = parsed;
      // The token of get-vanilla-with-session-token is only in the signed request (.sreq);
      // post-sts-header-after adds it after signing, so there the signature must not cover it.
      const signedToken = /^x-amz-security-token:(.*)$/im.exec(read('sreq') ?? '');
      const tokenIsSigned = /x-amz-security-token/.test(read('creq') ?? '');
      const sessionToken = parsed.sessionToken ?? (signedToken && tokenIsSigned ? signedToken[1]!.trim() : undefined);
      const details = signRequest(request, { ...credentials, sessionToken }, { region: 'us-east-1', service: 'service', date });
      const creq = read('creq');
      const sts = read('sts');
      const authz = read('authz');
      assert.ok(creq !== undefined || sts !== undefined || authz !== undefined, 'case has expectations');
      if (creq !== undefined) assert.equal(details.canonicalRequest, creq);
      if (sts !== undefined) assert.equal(details.stringToSign, sts);
      if (authz !== undefined) assert.equal(details.authorization, authz.trim());
    });
  }
});
