/**
 * scripts/check-prerequisites.mjs, the first step of `npm test`: its messages, and the script
 * itself run with a python3 that cannot import moto (a PYTHONPATH entry that shadows it) or
 * with no python3 on PATH. It is plain JavaScript (it runs before the build), so it is loaded
 * from the repository by path.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';

type PythonAnswer = { missing: string[]; botocore: string | null } | { error: string };
interface Check {
  nodeProblem(version: string): string | undefined;
  pipCommand(requirements: string[], botocoreVersion: string | undefined): string;
  prerequisiteMessage(input: { node: string | undefined; python: PythonAnswer; botocoreVersion: string | undefined }): string | undefined;
  versionNote(python: PythonAnswer, botocoreVersion: string | undefined): string | undefined;
  modelsBotocoreVersion(): string | undefined;
}

const SCRIPT = join(repoRoot, 'scripts', 'check-prerequisites.mjs');
const check = (await import(pathToFileURL(SCRIPT).href)) as Check;

const temps: string[] = [];
after(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

function run(env: NodeJS.ProcessEnv): { status: number | null; lines: string[]; stdout: string } {
  const result = spawnSync(process.execPath, [SCRIPT], { env, encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, lines: result.stderr.split('\n').filter((l) => l !== ''), stdout: result.stdout };
}

describe('check-prerequisites: messages', () => {
  it('Node.js: 20.15.0 and newer pass, older versions are named', () => {
    for (const ok of ['20.15.0', '20.20.2', '21.0.0', '22.1.0', '100.0.0']) assert.equal(check.nodeProblem(ok), undefined, ok);
    for (const old of ['20.14.9', '18.20.4', '20.0.0', '16.0.0']) {
      assert.equal(check.nodeProblem(old), `Node.js ${old} is too old (>= 20.15 needed, for zlib.crc32)`);
    }
  });

  it('one line naming the missing module and the pip command for it, botocore and boto3 pinned to models/', () => {
    assert.equal(
      check.prerequisiteMessage({ node: undefined, python: { missing: ['moto.server'], botocore: '1.43.11' }, botocoreVersion: '1.43.11' }),
      "npm test cannot run: python3 cannot import moto.server (moto[server]). To fix, run: python3 -m pip install 'moto[server]'",
    );
    assert.equal(
      check.prerequisiteMessage({ node: undefined, python: { missing: ['botocore', 'boto3', 'moto.server'], botocore: null }, botocoreVersion: '1.43.11' }),
      'npm test cannot run: python3 cannot import botocore (botocore), boto3 (boto3), moto.server (moto[server]). ' +
        "To fix, run: python3 -m pip install 'botocore==1.43.11' 'boto3==1.43.11' 'moto[server]'",
    );
    assert.equal(
      check.prerequisiteMessage({ node: 'Node.js 18.0.0 is too old (>= 20.15 needed, for zlib.crc32)', python: { error: 'python3 was not found on PATH' }, botocoreVersion: undefined }),
      'npm test cannot run: Node.js 18.0.0 is too old (>= 20.15 needed, for zlib.crc32); python3 was not found on PATH. ' +
        "To fix, install Node.js 20.15 or newer and install python3, then run: python3 -m pip install 'botocore' 'boto3' 'moto[server]'",
    );
    assert.equal(check.prerequisiteMessage({ node: undefined, python: { missing: [], botocore: '1.43.11' }, botocoreVersion: '1.43.11' }), undefined);
  });

  it('another botocore than the models\' is a note, not a failure', () => {
    assert.equal(check.versionNote({ missing: [], botocore: '1.43.11' }, '1.43.11'), undefined);
    assert.equal(
      check.versionNote({ missing: [], botocore: '1.40.0' }, '1.43.11'),
      "note: python3 has botocore 1.40.0, models/ come from 1.43.11; parity tests may differ (python3 -m pip install 'botocore==1.43.11' 'boto3==1.43.11')",
    );
  });

  it('reads the botocore version from models/VERSION.json', () => {
    assert.match(check.modelsBotocoreVersion() ?? '', /^\d+\.\d+\.\d+$/);
  });
});

describe('check-prerequisites: the script', () => {
  it('passes silently on this machine, which the tests need anyway', () => {
    const result = run(process.env);
    assert.equal(result.status, 0, result.lines.join('\n'));
    assert.deepEqual(result.lines.filter((l) => !l.startsWith('note: ')), []);
  });

  it('stops with one line when python3 cannot import moto', () => {
    const shadow = mkdtempSync(join(tmpdir(), 'inia-no-moto-'));
    temps.push(shadow);
    mkdirSync(join(shadow, 'moto'));
    writeFileSync(join(shadow, 'moto', '__init__.py'), 'raise ImportError("moto hidden by the prerequisite test")\n');
    const pythonPath = [shadow, process.env['PYTHONPATH']].filter((p) => p !== undefined && p !== '').join(delimiter);
    const result = run({ ...process.env, PYTHONPATH: pythonPath });
    assert.equal(result.status, 1);
    assert.deepEqual(result.lines, ["npm test cannot run: python3 cannot import moto.server (moto[server]). To fix, run: python3 -m pip install 'moto[server]'"]);
    assert.equal(result.stdout, '');
  });

  it('stops with one line when there is no python3 on PATH', () => {
    const empty = mkdtempSync(join(tmpdir(), 'inia-no-python-'));
    temps.push(empty);
    const result = run({ ...process.env, PATH: empty });
    assert.equal(result.status, 1);
    assert.equal(result.lines.length, 1, result.lines.join('\n'));
    assert.match(result.lines[0]!, /^npm test cannot run: python3 was not found on PATH\. To fix, install python3, then run: python3 -m pip install 'botocore==[\d.]+' 'boto3==[\d.]+' 'moto\[server\]'$/);
  });
});
