/**
 * credential_process: small node scripts stand in for the credential program; botocore's
 * ProcessProvider (python3) runs the same commands where it can say what botocore would do.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { inspect } from 'node:util';
import { Credentials } from '../../src/credentials/credentials.js';
import { ProcessProvider, ShellSplitError, shellSplit, type ProcessOptions } from '../../src/credentials/process.js';
import { RefreshableCredentials } from '../../src/credentials/refreshable.js';
import type { ProfileData } from '../../src/credentials/types.js';
import { CredentialRetrievalError, InvalidConfigError } from '../../src/errors.js';

/** The real interpreter (a pyenv shim needs the user's HOME). */
const PYTHON = ((): string | undefined => {
  const probe = spawnSync('python3', ['-c', 'import sys, botocore; print(sys.executable)'], { timeout: 30_000, encoding: 'utf8' });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
})();

function python(script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PYTHON ?? 'python3', ['-c', script], { timeout: 60_000, maxBuffer: 4 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`python3 failed: ${err.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

let dir: string;
/** A directory with a space in its name: the scripts live there, so every command needs quoting. */
let scripts: string;

/** Single-quotes for shlex (the paths hold no single quote). */
function q(arg: string): string {
  return `'${arg}'`;
}

/** A credential_process line running one of the scripts with node. */
function command(script: string, ...args: string[]): string {
  return [q(process.execPath), q(join(scripts, script)), ...args].join(' ');
}

function provider(credentialProcess: string | undefined, extra: Partial<ProcessOptions> = {}): ProcessProvider {
  const profile: ProfileData = credentialProcess === undefined ? { region: 'us-east-1' } : { credential_process: credentialProcess };
  return new ProcessProvider({ profileName: 'p', profile, timeoutMs: 20_000, ...extra });
}

/** A file holding what the program prints. */
function output(name: string, doc: unknown): string {
  const path = join(dir, `${name}.json`);
  writeFileSync(path, typeof doc === 'string' ? doc : JSON.stringify(doc));
  return path;
}

const SCRIPTS: Record<string, string> = {
  // Prints a file (the JSON answer), then exits with argv[3] (default 0).
  'print.mjs': `import { readFileSync } from 'node:fs';
process.stdout.write(readFileSync(process.argv[2]));
process.exitCode = Number(process.argv[3] ?? 0);`,
  // Prints credentials to stdout and a complaint to stderr, then fails.
  'fail.mjs': `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKIDFAIL', SecretAccessKey: 'stdout-secret' }));
process.stderr.write('token expired: run my-login first\\n');
process.exitCode = Number(process.argv[2] ?? 1);`,
  // Its arguments, as it received them, in AccessKeyId.
  'argv.mjs': `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: JSON.stringify(process.argv.slice(2)), SecretAccessKey: 'argv-secret' }));`,
  // Counts its runs in argv[2]; the first answer expires within 5 minutes, later ones in an hour.
  'counter.mjs': `import { existsSync, readFileSync, writeFileSync } from 'node:fs';
const file = process.argv[2];
const n = (existsSync(file) ? Number(readFileSync(file, 'utf8')) : 0) + 1;
writeFileSync(file, String(n));
const expiration = new Date(Date.now() + (n === 1 ? 5 : 60) * 60_000).toISOString();
process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: 'AKID' + n, SecretAccessKey: 'counter-secret-' + n, SessionToken: 'counter-token-' + n, Expiration: expiration }));`,
  'env.mjs': `process.stdout.write(JSON.stringify({ Version: 1, AccessKeyId: process.env.INIA_TEST_KEY ?? 'unset', SecretAccessKey: 'env-secret' }));`,
  'hang.mjs': `setInterval(() => {}, 1000);`,
  // Writes to stdout (or stderr with argv[2] = 'stderr') until killed, honouring backpressure.
  'flood.mjs': `const out = process.argv[2] === 'stderr' ? process.stderr : process.stdout;
const chunk = Buffer.alloc(65536, 120);
let written = 0;
function pump() {
  while (written < 64 * 1024 * 1024) {
    written += chunk.length;
    if (!out.write(chunk)) return out.once('drain', pump);
  }
  process.exitCode = process.argv[3] === 'fail' ? 1 : 0;
}
pump();`,
};

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'inia-process-'));
  scripts = join(dir, 'with space');
  mkdirSync(scripts);
  for (const [name, body] of Object.entries(SCRIPTS)) writeFileSync(join(scripts, name), body);
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('credential_process: splitting the command as shlex.split', () => {
  const LINES = [
    'plain words here',
    "  'single quoted' \"double quoted\"  ",
    'a\\ b c\\\\d',
    '"esc \\" and \\\\ and \\n kept"',
    "it's",
    'mix"ed qu"ote\'s an\'d',
    'x "" y \'\'',
    'tab\tsep\nnewline',
    'trailing\\',
    '"open',
    '"ends in backslash\\',
    '# not a comment',
    '',
  ];

  it('splits as Python shlex.split does, errors included', async () => {
    const script = [
      'import json, shlex',
      `lines = json.loads(${JSON.stringify(JSON.stringify(LINES))})`,
      'out = []',
      'for line in lines:',
      '    try: out.append(shlex.split(line))',
      '    except ValueError as e: out.append(str(e))',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(await python(script)) as Array<string[] | string>;
    for (const [i, line] of LINES.entries()) {
      let mine: string[] | string;
      try {
        mine = shellSplit(line);
      } catch (err) {
        assert.ok(err instanceof ShellSplitError);
        mine = err.message;
      }
      assert.deepEqual(mine, theirs[i], JSON.stringify(line));
    }
  });

  it('passes quoted arguments with spaces to the program unchanged, without a shell', async () => {
    const creds = await provider(command('argv.mjs', "'a b'", '"c \\"d\\""', 'e\\ f', "''", '$HOME', "'; echo no'")).load();
    assert.ok(creds);
    assert.deepEqual(JSON.parse(creds.accessKeyId), ['a b', 'c "d"', 'e f', '', '$HOME', '; echo no']);
  });

  it('refuses a line that cannot be split, or an empty one, without quoting it', async () => {
    await assert.rejects(provider("prog --secret 'abc").load(), (err: unknown) => {
      assert.ok(err instanceof InvalidConfigError);
      assert.equal(err.message, 'The credential_process of profile "p" cannot be split into arguments: No closing quotation');
      return true;
    });
    await assert.rejects(provider('   ').load(), { name: 'InvalidConfigError', message: 'The credential_process of profile "p" is empty' });
  });
});

describe('credential_process: credentials', () => {
  it('is null without credential_process', async () => {
    assert.equal(await provider(undefined).load(), null);
  });

  it('static credentials without Expiration, AccountId from the output or else the profile', async () => {
    const path = output('static', { Version: 1, AccessKeyId: 'AKIDSTATIC', SecretAccessKey: 'static-secret', SessionToken: 'static-token', AccountId: '123456789012' });
    const creds = await provider(command('print.mjs', q(path))).load();
    assert.ok(creds instanceof Credentials);
    assert.ok(!(creds instanceof RefreshableCredentials));
    assert.equal(creds.method, 'custom-process');
    assert.equal(creds.accessKeyId, 'AKIDSTATIC');
    assert.equal(creds.secretAccessKey, 'static-secret');
    assert.equal(creds.sessionToken, 'static-token');
    assert.equal(creds.accountId, '123456789012');
    assert.equal(creds.expiration, undefined);
    const bare = output('bare', { Version: 1, AccessKeyId: 'AKIDBARE', SecretAccessKey: 'bare-secret' });
    const fromProfile = await new ProcessProvider({ profileName: 'p', profile: { credential_process: command('print.mjs', q(bare)), aws_account_id: '999988887777' } }).load();
    assert.equal(fromProfile?.accountId, '999988887777');
    assert.equal(fromProfile?.sessionToken, undefined);
  });

  it('passes its environment to the program', async () => {
    const creds = await provider(command('env.mjs'), { env: { ...process.env, INIA_TEST_KEY: 'AKIDFROMENV' } }).load();
    assert.equal(creds?.accessKeyId, 'AKIDFROMENV');
  });

  it('with Expiration the credentials refresh by running the program again', async () => {
    const counter = join(dir, 'counter-refresh');
    const creds = await provider(command('counter.mjs', q(counter))).load();
    assert.ok(creds instanceof RefreshableCredentials);
    assert.equal(creds.accessKeyId, 'AKID1');
    assert.ok(creds.expiration !== undefined && creds.expiration.getTime() > Date.now());
    // Five minutes left is inside the mandatory window: the next signer waits for a new run.
    const frozen = await creds.getFrozenCredentials();
    assert.equal(frozen.accessKeyId, 'AKID2');
    assert.equal(frozen.sessionToken, 'counter-token-2');
    assert.equal(readFileSync(counter, 'utf8'), '2');
    // An hour left: no further run.
    assert.equal((await creds.getFrozenCredentials()).accessKeyId, 'AKID2');
    assert.equal(readFileSync(counter, 'utf8'), '2');
  });

  it('keeps secrets out of util.inspect and JSON', async () => {
    const creds = await provider(command('counter.mjs', q(join(dir, 'counter-inspect')))).load();
    assert.ok(creds);
    for (const text of [inspect(creds, { depth: 5, showHidden: true }), JSON.stringify(creds)]) {
      assert.ok(!text.includes('counter-secret') && !text.includes('counter-token'), text);
    }
  });
});

describe('credential_process: failures', () => {
  it('a non-zero exit is an error carrying stderr, never stdout', async () => {
    await assert.rejects(provider(command('fail.mjs')).load(), (err: unknown) => {
      assert.ok(err instanceof CredentialRetrievalError);
      assert.equal(err.message, 'Error when retrieving credentials from custom-process: token expired: run my-login first\n');
      assert.ok(!inspect(err).includes('stdout-secret'));
      return true;
    });
  });

  it('refuses other versions and missing keys with botocore messages', async () => {
    const cases: Array<[unknown, string]> = [
      [{ Version: 2, AccessKeyId: 'A', SecretAccessKey: 'S' }, "Unsupported version '2' for credential process provider, supported versions: 1"],
      [{ AccessKeyId: 'A', SecretAccessKey: 'S' }, "Unsupported version '<Version key not provided>' for credential process provider, supported versions: 1"],
      [{ Version: '1', AccessKeyId: 'A', SecretAccessKey: 'S' }, "Unsupported version '1' for credential process provider, supported versions: 1"],
      [{ Version: 1, SecretAccessKey: 'S' }, "Missing required key in response: 'AccessKeyId'"],
      [{ Version: 1, AccessKeyId: 'A' }, "Missing required key in response: 'SecretAccessKey'"],
    ];
    for (const [i, [doc, problem]] of cases.entries()) {
      const path = output(`case-${i}`, doc);
      await assert.rejects(provider(command('print.mjs', q(path))).load(), { name: 'CredentialRetrievalError', message: `Error when retrieving credentials from custom-process: ${problem}` });
    }
  });

  it('says what botocore ProcessProvider says for the same programs', async () => {
    const docs: unknown[] = [
      { Version: 2, AccessKeyId: 'A', SecretAccessKey: 'S' },
      { AccessKeyId: 'A', SecretAccessKey: 'S' },
      { Version: null, AccessKeyId: 'A', SecretAccessKey: 'S' },
      { Version: 1, SecretAccessKey: 'S' },
      { Version: 1, AccessKeyId: 'A' },
      { Version: 1, AccessKeyId: 'AKIDOK', SecretAccessKey: 'S', SessionToken: 'T', AccountId: '123456789012' },
      { Version: 1, AccessKeyId: 'AKIDEXP', SecretAccessKey: 'S', Expiration: '2031-05-06T07:08:09Z' },
      { Version: 1, AccessKeyId: 'AKIDEXP', SecretAccessKey: 'S', Expiration: '2031-05-06T09:08:09.5+02:00' },
    ];
    const commands = [...docs.map((doc, i) => command('print.mjs', q(output(`parity-${i}`, doc)))), command('fail.mjs', '7')];
    const script = [
      'import json',
      'from botocore.credentials import ProcessProvider',
      `commands = json.loads(${JSON.stringify(JSON.stringify(commands))})`,
      'out = []',
      'for c in commands:',
      '    p = ProcessProvider("p", lambda: {"profiles": {"p": {"credential_process": c}}})',
      '    try:',
      '        creds = p.load()',
      '        f = creds.get_frozen_credentials()',
      '        exp = getattr(creds, "_expiry_time", None)',
      '        out.append({"key": f.access_key, "token": f.token, "account": f.account_id, "expiry": exp.timestamp() * 1000 if exp else None})',
      '    except Exception as e:',
      '        out.append([type(e).__name__, str(e)])',
      'print(json.dumps(out))',
    ].join('\n');
    const theirs = JSON.parse(await python(script)) as unknown[];
    for (const [i, c] of commands.entries()) {
      const mine = await provider(c).load().then(
        (creds) => ({ key: creds?.accessKeyId, token: creds?.sessionToken ?? null, account: creds?.accountId ?? null, expiry: creds?.expiration?.getTime() ?? null }),
        (err: Error) => [err.name, err.message],
      );
      assert.deepEqual(mine, theirs[i], c);
    }
  });

  it('output that is not JSON is an error that does not quote it', async () => {
    const path = output('garbage', 'AccessKeyId=AKID SecretAccessKey=garbage-secret');
    await assert.rejects(provider(command('print.mjs', q(path))).load(), (err: unknown) => {
      assert.ok(err instanceof CredentialRetrievalError);
      assert.ok(!err.message.includes('garbage-secret'), err.message);
      return true;
    });
  });

  it('an Expiration that is not a timestamp is an error', async () => {
    const path = output('bad-expiry', { Version: 1, AccessKeyId: 'A', SecretAccessKey: 'S', Expiration: 'tomorrow' });
    await assert.rejects(provider(command('print.mjs', q(path))).load(), /Expiration "tomorrow" in the credential process output is not an ISO 8601 timestamp/);
  });

  it('a program that cannot be started is an error', async () => {
    await assert.rejects(provider(`${q(join(dir, 'no-such-program'))} --flag`).load(), {
      name: 'CredentialRetrievalError',
      message: 'Error when retrieving credentials from custom-process: the credential process could not be started: ENOENT',
    });
  });

  it('a program that does not finish in time is killed', async () => {
    const started = Date.now();
    await assert.rejects(provider(command('hang.mjs'), { timeoutMs: 300 }).load(), {
      name: 'CredentialRetrievalError',
      message: 'Error when retrieving credentials from custom-process: the credential process did not finish within 300 ms',
    });
    assert.ok(Date.now() - started < 10_000);
  });

  it('output beyond the bound is refused and the program killed', async () => {
    const started = Date.now();
    await assert.rejects(provider(command('flood.mjs'), { maxOutputBytes: 64 * 1024 }).load(), {
      name: 'CredentialRetrievalError',
      message: 'Error when retrieving credentials from custom-process: the credential process wrote more than 65536 bytes to stdout',
    });
    assert.ok(Date.now() - started < 15_000);
  });

  it('a flood on stderr is cut to a bounded message', async () => {
    // 64 MiB of stderr and then a failure: the message keeps only the start.
    await assert.rejects(provider(command('flood.mjs', 'stderr', 'fail')).load(), (err: unknown) => {
      assert.ok(err instanceof CredentialRetrievalError);
      assert.ok(err.message.length < 70 * 1024, `message of ${err.message.length} characters`);
      return true;
    });
  });
});
