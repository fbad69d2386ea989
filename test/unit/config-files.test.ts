/**
 * The shared config/credentials file parser against botocore itself: every sample in the
 * conformance set and a list of crafted edge cases are parsed by botocore (in a python3
 * subprocess) and by inia, and the results must be equal, or both must refuse the file.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  MAX_CONFIG_FILE_BYTES,
  buildProfileMap,
  expandPath,
  loadConfigFile,
  loadCredentialsFile,
  parseConfigText,
  sharedFilePaths,
  shlexSplit,
} from '../../src/config-files.js';
import { ConfigParseError } from '../../src/errors.js';
import { vectorsDir } from '../helpers/paths.js';

// ---------------------------------------------------------------------------
// botocore in a subprocess

const BOTOCORE_PARSE = `
import json, sys
import botocore.configloader as c
import botocore.exceptions as be
out = []
for p in sys.argv[1:]:
    try:
        raw = c.raw_config_parse(p)
        built = c.load_config(p)
        out.append({"raw": raw, "profiles": built["profiles"],
                    "ssoSessions": built["sso_sessions"], "services": built["services"]})
    except be.ConfigNotFound:
        out.append({"notFound": True})
    except be.ConfigParseError as e:
        inner = e.kwargs.get("error")
        line = getattr(inner, "lineno", None)
        if line is None and getattr(inner, "errors", None):
            line = inner.errors[0][0]
        out.append({"error": type(inner).__name__, "line": line})
print(json.dumps(out))
`;

let pythonExe = '';

/** The real interpreter behind python3 (shims need an environment we sometimes take away). */
function findPython(): string {
  const run = spawnSync('python3', ['-c', 'import sys, botocore; print(sys.executable)'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 0, `python3 with botocore is required for these tests: ${run.stderr || run.error?.message}`);
  return run.stdout.trim();
}

function python(script: string, args: string[], env: NodeJS.ProcessEnv = process.env): string {
  const run = spawnSync(pythonExe, ['-c', script, ...args], { encoding: 'utf8', timeout: 60_000, env, maxBuffer: 64 * 1024 * 1024 });
  assert.equal(run.status, 0, `python3 failed: ${run.stderr || run.error?.message}`);
  return run.stdout;
}

type BotocoreResult =
  | { raw: unknown; profiles: unknown; ssoSessions: unknown; services: unknown }
  | { notFound: true }
  | { error: string; line: number | null };

function botocoreParse(paths: string[]): BotocoreResult[] {
  return JSON.parse(python(BOTOCORE_PARSE, paths)) as BotocoreResult[];
}

/** Plain JSON, so null-prototype records and JSON.parse output compare equal. */
function plain(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

type IniaResult = { raw: unknown; profiles: unknown; ssoSessions: unknown; services: unknown } | { error: ConfigParseError };

function iniaParse(path: string): IniaResult {
  try {
    const raw = loadCredentialsFile(path, {});
    const built = loadConfigFile(path, {});
    return plain({ raw, ...built }) as IniaResult;
  } catch (error) {
    if (error instanceof ConfigParseError) return { error };
    throw error;
  }
}

/** Asserts that inia reads `path` as botocore does (`expected` is botocore's answer for it). */
function assertSameAsBotocore(path: string, expected: BotocoreResult): void {
  const actual = iniaParse(path);
  if ('error' in expected) {
    assert.ok('error' in actual, `botocore raised ${expected.error} for ${path}, inia returned ${JSON.stringify(actual)}`);
    const error = actual.error;
    assert.ok(error.message.includes(path), `message names the file: ${error.message}`);
    assert.equal(typeof error.line, 'number', `error has a line: ${error.message}`);
    assert.ok(error.message.includes(`line ${error.line}`), `message names the line: ${error.message}`);
    // Python decodes in chunks and its nested-block errors carry no line, so only configparser's own lines compare.
    if (expected.line !== null && expected.error !== 'UnicodeDecodeError') assert.equal(error.line, expected.line, error.message);
    return;
  }
  if ('error' in actual) assert.fail(`inia raised for ${path} where botocore did not: ${actual.error.message}`);
  if ('notFound' in expected) {
    assert.deepEqual(actual, { raw: {}, profiles: {}, ssoSessions: {}, services: {} });
    return;
  }
  assert.deepEqual(actual, expected);
}

// ---------------------------------------------------------------------------
// Crafted files

const CASES: Record<string, string | Buffer> = {
  comments:
    '# leading comment\n; another\n[default]\n# inside\nregion = us-east-1 # not a comment\nfoo = bar ; kept too\n  # indented comment\n   ; and this\nx=1\n',
  continuation: '[default]\nmulti = first\n  second\n\n  third\n\n\nnext = x\n',
  continuationTabs: '[default]\nkey = a\n\tb\n\t\tc\nother = d\n',
  continuationDeeperThanOption: '[default]\n  a = 1\n    more\n  b = 2\n',
  nested:
    '[default]\ns3 =\n  addressing_style = path\n  Signature_Version=s3v4\n\n  max = 1 = 2\n  # a comment in the block\n  empty =\nregion = us-west-2\n',
  nestedAfterBlankLines: '[default]\ns3 =\n\n\n  a = b\n',
  nestedOnlyBlank: '[default]\ns3 =\n\n\nregion = x\n',
  nestedBad: '[default]\nregion = x\ns3 =\n  addressing_style = path\n  nope\n',
  nestedColon: '[default]\ns3 =\n  addressing_style: path\n',
  nestedDuplicateKey: '[default]\ns3 =\n  a = 1\n  b = 2\n  a = 3\n',
  nestedVerticalTab: '[default]\ns3 =\n  a = 1\x0bb = 2\n',
  profileDefaultThenDefault: '[profile default]\nregion = from-profile\nonly = p\n[default]\nregion = from-default\n',
  defaultThenProfileDefault: '[default]\nregion = from-default\nonly = d\n[profile default]\nregion = from-profile\n',
  profileDefaultOnly: '[profile default]\nregion = p\n',
  quotedDefault: '[profile "default"]\nregion = q\n[default]\nregion = d\n',
  duplicateSection: '[default]\na = 1\n\n[profile x]\nb = 2\n[default]\nc = 3\n',
  duplicateOption: '[default]\nregion = a\nother = b\nregion = c\n',
  duplicateOptionCase: '[default]\nRegion = a\nREGION = c\n',
  duplicateDefaultOption: '[DEFAULT]\na = 1\n[x]\nb = 2\n[DEFAULT]\na = 2\n',
  keyBeforeSection: 'region = us-east-1\n[default]\n',
  blankThenKeyBeforeSection: '\n\n# comment\nregion = us-east-1\n',
  crlf: '[default]\r\nregion = us-east-1\r\nmulti = a\r\n  b\r\ns3 =\r\n  x = y\r\n',
  loneCr: '[default]\rregion = us-east-1\rs3 =\r  x = y\r',
  bom: '\ufeff[default]\nregion = us-east-1\n',
  bomComment: '\ufeff# hello\n[default]\n',
  empty: '',
  onlyComments: '# nothing\n\n; here\n',
  onlyBlank: '\n\n   \n\t\n',
  tabs: '[default]\n\tregion\t=\tus-west-2\t\n',
  indentedHeader: '  [default]\n  region = a\n',
  colonDelimiter: '[default]\nkey:value\nspaced : value\nboth=a:b\ncolon:a=b\nurl = https://example.com:443/x\n',
  uppercase: '[default]\nAWS_Access_Key_ID = AKIA\nRegion = EU-West-1\n[Profile Foo]\nx = 1\n[PROFILE bar]\ny = 2\n',
  spacedSectionNames: '[profile   foo  ]\na = 1\n[ default ]\nb = 2\n[profile\tbar]\nc = 3\n[default]\nd = 4\n',
  ssoAndServices:
    '[default]\nsso_session = my-sso\nservices = dev\n[sso-session my-sso]\nsso_start_url = https://example.com/start\nsso_region = us-east-1\n[sso-session "quoted name"]\nsso_region = eu-west-1\n[services dev]\ns3 =\n  endpoint_url = http://localhost:4566\ndynamodb =\n  endpoint_url = http://localhost:8000\n[services]\nx = 1\n',
  shlexNames:
    '[profile "a b" c]\nx = 1\n[profile \'single quoted\']\nx = 2\n[profile a\\ b]\nx = 3\n[profile "a\\"b"]\nx = 4\n[profile "unterminated]\nx = 5\n[profile trailing\\]\nx = 6\n[profile ""]\nx = 7\n[profile "x\\y"]\nx = 8\n[profile it"s"]\nx = 9\n',
  prefixOddities: '[profilefoo bar]\nx = 1\n[profiles baz]\nx = 2\n[profile]\nx = 3\n[sso-sessionx y]\nx = 4\n[servicesz w]\nx = 5\n[preview]\nx = 6\n[default ]\nx = 7\n',
  defaultSection: '[DEFAULT]\nregion = d\nshared = yes\n[default]\nfoo = 1\nregion = own\n[profile x]\nbar = 2\n',
  defaultSectionNested: '[DEFAULT]\ns3 =\n  a = b\n[profile x]\n',
  defaultNestedBad: '[DEFAULT]\ns3 =\n  bad\n[profile x]\n',
  defaultNestedBadNoSections: '[DEFAULT]\ns3 =\n  bad\n',
  defaultOnly: '[DEFAULT]\na = 1\n',
  emptyValues: '[default]\nempty =\nalso=\nnext = x\n',
  emptyName: '[default]\n= value\n',
  noDelimiter: '[default]\njust a line\nregion = x\n',
  manyBadLines: '[default]\nbad one\nok = 1\nbad two\nbad three\n',
  badLineThenDuplicate: '[default]\nbad line\n[default]\n',
  badLineContinuesPrevious: '[default]\na = 1\nnot an option\n  continued\n',
  headerJunk: '[default] ; comment\na = 1\n[x]y]\nb = 2\n[a=b]\nc = 3\n[]]\nd = 4\n',
  emptyBracketsInSection: '[default]\n[]\n',
  emptyBracketsFirst: '[]\n[default]\n',
  unclosedBracket: '[default]\n[profile x\n',
  unclosedBracketOption: '[default]\n[weird=1\n',
  indentedHeaderIsContinuation: '[default]\na = 1\n  [profile x]\n  b = 2\n',
  unicode: '[profile ünïcödé]\nКлюч = Значение\nΣΑΣ = sigma\nİ = dotted\nß = sharp\n',
  unicodeSpaces: '[default]\nkey\u00a0=\u00a0v\u00a0\nsep\u2003=\u2003x\u3000\nmid = a\u0085b\nls = a\u2028b\nfs = a\x1cb\nvt = a\x0bb\n',
  // Whitespace to Python but not to JavaScript (\x1c-\x1f, \x85), and the reverse (\ufeff).
  pythonOnlySpaces: '[default]\na = \x85x\x1f\nb\x1c= y\x1e\nc = z\ufeff\n\x1dd = 1\n',
  unicodeSpaceIndent: '[default]\na = 1\n\u00a0more\n',
  nbspInProfileName: '[profile\u00a0foo]\nx = 1\n',
  nul: '[default]\nkey = a\0b\n',
  protoNames: '[profile __proto__]\n__proto__ = x\nconstructor = y\ntoString = z\n[profile constructor]\nhasOwnProperty = 1\n[services __proto__]\ns3 =\n  __proto__ = yes\n',
  numericNames: '[profile 2]\n10 = a\n1 = b\n[profile 1]\nx = y\n',
  percent: '[default]\na = %(foo)s\nb = 100%\nc = $HOME\n',
  noFinalNewline: '[default]\nregion = us-east-1',
  trailingBlankLines: '[default]\nmulti = a\n  b\n\n\n\n',
  quotesKept: '[default]\na = "quoted"\nb = \'single\'\n',
  validFourByte: '[default]\nemoji = 😀 ok\n',
  invalidOverlong: Buffer.from('[default]\na = \xc0\xaf\n', 'latin1'),
  invalidSurrogate: Buffer.from('[default]\na = \xed\xa0\x80\n', 'latin1'),
  invalidTruncated: Buffer.from('[default]\na = \xe2\x82', 'latin1'),
  invalidTooHigh: Buffer.from('[default]\na = \xf4\x90\x80\x80\n', 'latin1'),
  invalidLatin1: Buffer.from('[default]\nname = caf\xe9\n', 'latin1'),
};

// ---------------------------------------------------------------------------

describe('config files: conformance samples against botocore', () => {
  const dir = join(vectorsDir, 'config');
  // The JSON file there describes profiles, it is not an INI file.
  const names = readdirSync(dir).filter((name) => !name.endsWith('.json')).sort();
  let expected: BotocoreResult[] = [];

  before(() => {
    pythonExe = findPython();
    expected = botocoreParse(names.map((name) => join(dir, name)));
  });

  it('finds the samples', () => {
    assert.ok(names.length >= 10, `only ${names.length} samples in ${dir}`);
  });

  for (const [index, name] of names.entries()) {
    it(name, () => assertSameAsBotocore(join(dir, name), expected[index]!));
  }

  it('refuses the invalid UTF-8 sample where it starts (line 1)', () => {
    assert.throws(() => loadConfigFile(join(dir, 'aws_config_badbytes'), {}), (error: unknown) => {
      return error instanceof ConfigParseError && error.line === 1 && /not valid UTF-8 \(byte 0xad at offset 2\)/.test(error.message);
    });
  });

  it('names the line of a bad nested block, which botocore does not', () => {
    assert.throws(() => loadConfigFile(join(dir, 'aws_config_nested_bad'), {}), (error: unknown) => {
      return error instanceof ConfigParseError && error.line === 5 && error.message.includes('"bad_syntax @ s3v4"');
    });
  });
});

describe('config files: crafted cases against botocore', () => {
  let work = '';
  let expected: BotocoreResult[] = [];
  const names = Object.keys(CASES);
  const extra = { missing: 'does-not-exist', directory: 'a-directory' };

  before(() => {
    pythonExe ||= findPython();
    work = mkdtempSync(join(tmpdir(), 'inia-cfg-'));
    for (const [name, content] of Object.entries(CASES)) writeFileSync(join(work, name), content);
    mkdirSync(join(work, extra.directory));
    expected = botocoreParse([...names, extra.missing, extra.directory].map((name) => join(work, name)));
  });

  after(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  for (const [index, name] of names.entries()) {
    it(name, () => assertSameAsBotocore(join(work, name), expected[index]!));
  }

  it('a missing file reads as empty', () => {
    assert.deepEqual(expected[names.length], { notFound: true });
    assertSameAsBotocore(join(work, extra.missing), expected[names.length]!);
  });

  it('a directory reads as empty', () => {
    assertSameAsBotocore(join(work, extra.directory), expected[names.length + 1]!);
  });

  it('explains a byte order mark', () => {
    assert.throws(() => loadConfigFile(join(work, 'bom'), {}), /line 1: .*byte order mark/);
  });

  it('reports the first of several bad lines, and how many more', () => {
    assert.throws(() => loadConfigFile(join(work, 'manyBadLines'), {}), (error: unknown) => {
      return error instanceof ConfigParseError && error.line === 2 && /"bad one" \(and 2 more such lines, first 4, 5\)/.test(error.message);
    });
  });

  it('keeps names like __proto__ and constructor as plain keys', () => {
    const parsed = loadConfigFile(join(work, 'protoNames'), {});
    assert.equal(Object.getPrototypeOf(parsed.profiles), null);
    assert.deepEqual(Object.keys(parsed.profiles), ['__proto__', 'constructor']);
    assert.equal(parsed.profiles['__proto__']!['constructor'], 'y');
    assert.equal(parsed.profiles['missing'], undefined);
    assert.equal(parsed.services['__proto__']!['toString'], undefined);
  });

  it('refuses files over the size limit, and reads one at the limit', () => {
    const big = join(work, 'big');
    const head = '[default]\nk = ';
    writeFileSync(big, head + 'x'.repeat(MAX_CONFIG_FILE_BYTES - head.length));
    assert.equal((loadCredentialsFile(big, {})['default']!['k'] as string).length, MAX_CONFIG_FILE_BYTES - head.length);
    writeFileSync(big, head + 'x'.repeat(MAX_CONFIG_FILE_BYTES - head.length + 1));
    assert.throws(() => loadConfigFile(big, {}), (error: unknown) => {
      return error instanceof ConfigParseError && error.message.includes(big) && error.message.includes('10 MiB');
    });
  });

  it('expands $VARS and ~ in the path before reading', () => {
    const env = { CFGDIR: work, HOME: work };
    assert.deepEqual(plain(loadConfigFile('$CFGDIR/nested', env)), plain(loadConfigFile(join(work, 'nested'), {})));
    assert.deepEqual(plain(loadCredentialsFile('~/crlf', env)), plain(loadCredentialsFile(join(work, 'crlf'), {})));
  });
});

describe('config files: paths against Python', () => {
  const PATHS = [
    '~', '~/', '~/.aws/config', '~//x', '~root/x', '~root', '~nosuchuser9z/x', '~/$SUB/x', 'a/~/b',
    '$HOME/x', '${HOME}/x', '$NOPE/x', '${NOPE}/x', '$', '${', '${}', '$$', '$A$B', '${A}${B}', '$A_1', '$A-1', '$HOME~',
    '$TILDE/x', '/abs/${SUB}/$SUB',
  ];
  const SCRIPT = `
import json, os, sys
print(json.dumps([os.path.expanduser(os.path.expandvars(p)) for p in sys.argv[1:]]))
`;
  const ENVS: Record<string, NodeJS.ProcessEnv> = {
    home: { HOME: '/tmp/h/', A: '$B', B: 'b', A_1: 'a1', SUB: 'sub', TILDE: '~' },
    rootHome: { HOME: '/', SUB: 'sub' },
    emptyHome: { HOME: '', SUB: 'sub' },
    noHome: { SUB: 'sub' },
  };

  before(() => {
    pythonExe ||= findPython();
  });

  for (const [label, env] of Object.entries(ENVS)) {
    it(`expands as os.path.expanduser(os.path.expandvars(...)) with ${label}`, () => {
      const expected = JSON.parse(python(SCRIPT, PATHS, env)) as string[];
      assert.deepEqual(PATHS.map((path) => expandPath(path, env)), expected);
    });
  }

  const SESSION = `
import json, botocore.session
s = botocore.session.Session()
print(json.dumps({"config": s.get_config_variable("config_file"), "credentials": s.get_config_variable("credentials_file")}))
`;
  const SESSION_ENVS: Record<string, NodeJS.ProcessEnv> = {
    unset: {},
    set: { AWS_CONFIG_FILE: '/etc/aws/cfg', AWS_SHARED_CREDENTIALS_FILE: '$HOME/creds' },
    empty: { AWS_CONFIG_FILE: '', AWS_SHARED_CREDENTIALS_FILE: '' },
  };
  for (const [label, env] of Object.entries(SESSION_ENVS)) {
    it(`sharedFilePaths matches botocore's session (${label})`, () => {
      const expected = JSON.parse(python(SESSION, [], { HOME: '/tmp', ...env })) as unknown;
      assert.deepEqual(sharedFilePaths(env), expected);
    });
  }
});

describe('config files: building blocks', () => {
  it('shlexSplit follows shlex.split', () => {
    const inputs = ['profile foo', '  a   b  ', 'a "b c" d', "a 'b \\ c'", 'a\\ b', '"a\\"b"', '"x\\y"', 'it"s"', '""', "''", 'a "', 'a\\', '"\\\\"', 'a\tb\nc\rd', 'x"y z"w', ''];
    const expected = JSON.parse(
      python(
        'import json, shlex, sys\nout = []\nfor s in sys.argv[1:]:\n    try: out.append(shlex.split(s))\n    except ValueError: out.append(None)\nprint(json.dumps(out))',
        inputs,
      ),
    ) as (string[] | null)[];
    assert.deepEqual(inputs.map((input) => shlexSplit(input) ?? null), expected);
  });

  it('parseConfigText reads text with no file behind it', () => {
    assert.deepEqual(plain(parseConfigText('[a]\nb = c\n', 'mem')), { a: { b: 'c' } });
    assert.deepEqual(plain(parseConfigText('', 'mem')), {});
    assert.throws(() => parseConfigText('[a]\n[a]\n', 'mem'), /Unable to parse config file: mem, line 2: section "a" already exists/);
  });

  it('stays linear on long runs of whitespace', { timeout: 5_000 }, () => {
    const run = ' '.repeat(2_000_000);
    const text = `[a]\nk = x${run}y${run}\nz${run}= 1${run}\n`;
    const parsed = parseConfigText(text, 'mem');
    // Compared as booleans: a failing diff of megabytes of spaces helps nobody.
    assert.ok(parsed['a']?.['k'] === `x${run}y`, 'value kept, trailing run stripped');
    assert.ok(parsed['a']?.['z'] === '1', 'name before the run, value stripped');
  });

  it('buildProfileMap copies, so changing the result leaves the input alone', () => {
    const raw = { default: { s3: { a: 'b' }, region: 'x' } };
    const built = buildProfileMap(raw);
    (built.profiles['default']!['s3'] as Record<string, string>)['a'] = 'changed';
    assert.equal(raw.default.s3.a, 'b');
  });
});
