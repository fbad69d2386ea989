/**
 * The AWS Signature Version 4 test suite (test/vectors/sigv4): every `*.req` found
 * at any depth is one case, signed and compared with its .creq, .sts, .authz and .sreq.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { hostHeader, signRequest, type SigV4Options } from '../../src/auth/sigv4.js';
import type { HttpRequest } from '../../src/http/types.js';
import { vectorsDir } from '../helpers/paths.js';

const suiteDir = join(vectorsDir, 'sigv4');
const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const date = new Date('2015-08-30T12:36:00Z');
const baseOptions: SigV4Options = { region: 'us-east-1', service: 'service', date };

function findRequestFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findRequestFiles(full));
    else if (entry.isFile() && entry.name.endsWith('.req')) found.push(full);
  }
  return found.sort();
}

const UNRESERVED = /[A-Za-z0-9\-._~]/;
const utf8 = new TextEncoder();

/**
 * What a client puts on the wire for a raw path or query: unreserved characters, existing
 * %XX escapes and the structural characters in `keep` stay, the UTF-8 bytes of anything else
 * are percent-encoded. Written independently of the signer's encoder on purpose.
 */
function toWire(raw: string, keep: string): string {
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const ch = raw[i]!;
    if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(raw.slice(i + 1, i + 3))) {
      out += raw.slice(i, i + 3);
      i += 2;
    } else if (UNRESERVED.test(ch) || keep.includes(ch)) {
      out += ch;
    } else {
      const cp = raw.codePointAt(i)!;
      const char = String.fromCodePoint(cp);
      for (const b of utf8.encode(char)) out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
      i += char.length - 1;
    }
  }
  return out;
}

interface RawRequest {
  method: string;
  rawPath: string;
  rawQuery: string;
  /** Lowercase names; repeated headers joined with ',' in order, as HttpRequest holds them. */
  headers: Record<string, string>;
  body: string;
}

/** Raw HTTP/1.1 as the suite writes it: obs-folded continuation lines, repeated names, optional body. */
function parseHttp(text: string): RawRequest {
  const normalized = text.replace(/\r\n/g, '\n');
  const blank = normalized.indexOf('\n\n');
  const head = blank < 0 ? normalized : normalized.slice(0, blank);
  const body = blank < 0 ? '' : normalized.slice(blank + 2);
  const [requestLine, ...lines] = head.split('\n');
  // The target may contain spaces (get-space), so the method ends at the first space and the
  // version starts at the last.
  const firstSpace = requestLine!.indexOf(' ');
  const lastSpace = requestLine!.lastIndexOf(' ');
  const method = requestLine!.slice(0, firstSpace);
  const target = requestLine!.slice(firstSpace + 1, lastSpace);
  const q = target.indexOf('?');
  const fields: Array<[string, string]> = [];
  for (const line of lines) {
    if (line === '') continue;
    if ((line.startsWith(' ') || line.startsWith('\t')) && fields.length > 0) {
      // obs-fold: a recipient replaces the line break with a space; the signer folds the rest.
      fields[fields.length - 1]![1] += ` ${line}`;
      continue;
    }
    const colon = line.indexOf(':');
    fields.push([line.slice(0, colon).toLowerCase(), line.slice(colon + 1)]);
  }
  const headers: Record<string, string> = {};
  for (const [name, rawValue] of fields) {
    const value = rawValue.replace(/^[ \t]+|[ \t]+$/g, ''); // optional whitespace is not part of a field value
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { method, rawPath: q < 0 ? target : target.slice(0, q), rawQuery: q < 0 ? '' : target.slice(q + 1), headers, body };
}

/** The HttpRequest a client would build: Host becomes the hostname (the transport sends it). */
function toHttpRequest(raw: RawRequest, path: string): HttpRequest {
  const headers = { ...raw.headers };
  const hostname = headers.host ?? 'example.amazonaws.com';
  delete headers.host;
  return {
    method: raw.method,
    protocol: 'https:',
    hostname,
    port: undefined,
    path,
    query: toWire(raw.rawQuery, '=&'),
    headers,
    body: raw.body === '' ? undefined : raw.body,
  };
}

const requestFiles = findRequestFiles(suiteDir);

describe('SigV4 test suite', () => {
  it('finds the whole suite, every case with its expectations', () => {
    assert.ok(requestFiles.length >= 30, `found only ${requestFiles.length} cases under ${suiteDir}`);
    for (const file of requestFiles) {
      for (const ext of ['creq', 'sts', 'authz', 'sreq']) {
        assert.ok(existsSync(file.replace(/\.req$/, `.${ext}`)), `${relative(suiteDir, file)} has no .${ext}`);
      }
    }
  });

  for (const file of requestFiles) {
    const name = basename(file, '.req');
    const read = (ext: string): string => readFileSync(join(dirname(file), `${name}.${ext}`), 'utf8').replace(/\r\n/g, '\n');

    it(relative(suiteDir, file).replace(/\.req$/, ''), () => {
      const raw = parseHttp(read('req'));
      const signed = parseHttp(read('sreq'));
      const creq = read('creq');
      const sts = read('sts');
      const authz = read('authz').trim();

      // Temporary credentials: get-vanilla-with-session-token and post-sts-header-before sign
      // the token (it must be in the canonical request); post-sts-header-after adds it after
      // signing, as some services want.
      const token = signed.headers['x-amz-security-token'];
      const tokenIsSigned = /^x-amz-security-token:/m.test(creq);
      const creds = { ...credentials, sessionToken: tokenIsSigned ? token : undefined };

      // The suite's canonical URI is one encoding of the raw path, which is exactly the path a
      // client sends; so the wire path is signed as is (uriEscapePath false, the S3 mode) and
      // still normalized.
      const request = toHttpRequest(raw, toWire(raw.rawPath, '/'));
      const details = signRequest(request, creds, { ...baseOptions, uriEscapePath: false });
      assert.equal(details.canonicalRequest, creq, 'canonical request (wire path)');
      assert.equal(details.stringToSign, sts, 'string to sign (wire path)');
      assert.equal(details.authorization, authz, 'authorization (wire path)');

      // The .sreq shows which headers signing adds. Its Authorization is left out: .authz is the
      // reference for it, and get-vanilla-with-session-token's .sreq carries a placeholder
      // signature that contradicts that case's own .authz.
      if (token !== undefined && !tokenIsSigned) request.headers['x-amz-security-token'] = token;
      const { authorization: _sent, ...sentHeaders } = request.headers;
      const { authorization: _expected, ...expectedHeaders } = signed.headers;
      assert.deepEqual({ host: hostHeader(request), ...sentHeaders }, expectedHeaders, 'the signed request carries exactly the .sreq headers');

      // botocore runs the suite by handing the raw path to SigV4Auth, whose default mode
      // encodes the path once more: the same single encoding the suite expects.
      const rawPathRequest = toHttpRequest(raw, raw.rawPath);
      const viaDefaults = signRequest(rawPathRequest, creds, baseOptions);
      assert.equal(viaDefaults.canonicalRequest, creq, 'canonical request (raw path, default options)');
      assert.equal(viaDefaults.authorization, authz, 'authorization (raw path, default options)');
    });
  }
});
