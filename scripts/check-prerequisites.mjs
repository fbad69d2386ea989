#!/usr/bin/env node
/**
 * The first step of `npm test` (and of .ci/run): checks what the tests need from the machine
 * before anything is built, so that a newcomer learns in a second, in one line, what to
 * install, instead of meeting hundreds of failing parity and end-to-end tests later.
 *
 *   - Node.js >= 20.15 (inia uses zlib.crc32);
 *   - python3 on PATH that imports botocore and boto3 (the reference side of the parity tests)
 *     and moto.server (the end-to-end tests start `python3 -m moto.server`).
 *
 * Plain JavaScript without dependencies, because it runs before `npm run build` and possibly on
 * an older Node. python3 is found as the tests find it (on PATH, with the same environment),
 * so PATH and PYTHONPATH change what the check sees exactly as they change what the tests see.
 *
 * Exit 0 when all is there (prints nothing); exit 1 with one line on stderr otherwise.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const MIN_NODE = '20.15.0';

/** Python modules the tests import, and the pip requirement that provides each. */
export const PYTHON_MODULES = [
  { module: 'botocore', requirement: 'botocore' },
  { module: 'boto3', requirement: 'boto3' },
  // moto's server needs its [server] extra (flask, flask-cors): plain `moto` does not import it.
  { module: 'moto.server', requirement: 'moto[server]' },
];

/**
 * The python side of the probe: tries each module and prints the ones that fail to import as a
 * JSON list, with botocore's version. Any exception counts (a broken install raises more than
 * ImportError).
 */
const PROBE = `
import importlib, json, sys
missing = []
for name in sys.argv[1:]:
    try:
        importlib.import_module(name)
    except Exception:
        missing.append(name)
botocore = sys.modules.get('botocore')
print(json.dumps({'missing': missing, 'botocore': getattr(botocore, '__version__', None)}))
`;

/** Enough for python3 to import moto.server (about half a second here) on a slow machine. */
const PROBE_TIMEOUT_MS = 15_000;

/** The botocore version of models/VERSION.json: the one the parity tests expect. */
export function modelsBotocoreVersion(repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..')) {
  try {
    const version = JSON.parse(readFileSync(join(repoRoot, 'models', 'VERSION.json'), 'utf8')).botocore;
    return typeof version === 'string' && /^\d+\.\d+\.\d+$/.test(version) ? version : undefined;
  } catch {
    return undefined;
  }
}

/** A problem with the running Node, or undefined. `version` is like process.versions.node. */
export function nodeProblem(version) {
  const have = version.split('.').map(Number);
  const need = MIN_NODE.split('.').map(Number);
  for (let i = 0; i < need.length; i++) {
    if ((have[i] ?? 0) > need[i]) return undefined;
    if ((have[i] ?? 0) < need[i]) return `Node.js ${version} is too old (>= 20.15 needed, for zlib.crc32)`;
  }
  return undefined;
}

/**
 * Runs the probe with `python` (a command found on env.PATH). Returns the modules that did not
 * import and the botocore version found (or null), or { error } when python could not be run.
 */
export function probePython(python = 'python3', env = process.env) {
  const run = spawnSync(python, ['-c', PROBE, ...PYTHON_MODULES.map((m) => m.module)], {
    env,
    encoding: 'utf8',
    timeout: PROBE_TIMEOUT_MS,
  });
  if (run.error) {
    const code = /** @type {NodeJS.ErrnoException} */ (run.error).code;
    return { error: code === 'ENOENT' ? `${python} was not found on PATH` : `${python} could not run (${run.error.message})` };
  }
  if (run.status !== 0) return { error: `${python} failed (exit ${run.status}): ${run.stderr.trim().split('\n').pop() ?? ''}` };
  try {
    const answer = JSON.parse(run.stdout);
    return { missing: answer.missing, botocore: answer.botocore };
  } catch {
    return { error: `${python} printed no answer: ${run.stdout.trim().slice(0, 200)}` };
  }
}

/** The pip command that installs the given requirements, botocore and boto3 pinned to the models' version. */
export function pipCommand(requirements, botocoreVersion) {
  const pinned = requirements.map((r) => (botocoreVersion !== undefined && (r === 'botocore' || r === 'boto3') ? `${r}==${botocoreVersion}` : r));
  return `python3 -m pip install ${pinned.map((r) => `'${r}'`).join(' ')}`;
}

/**
 * A note (not a failure) when python3's botocore is not the version models/ came from: the
 * parity tests compare inia with that botocore, whose own models then differ from inia's.
 */
export function versionNote(python, botocoreVersion) {
  if ('error' in python || typeof python.botocore !== 'string' || botocoreVersion === undefined) return undefined;
  if (python.botocore === botocoreVersion) return undefined;
  return `note: python3 has botocore ${python.botocore}, models/ come from ${botocoreVersion}; parity tests may differ (${pipCommand(['botocore', 'boto3'], botocoreVersion)})`;
}

/**
 * The one line printed when something is missing, or undefined when nothing is.
 * `python` is probePython's answer.
 */
export function prerequisiteMessage({ node, python, botocoreVersion }) {
  const problems = [];
  if (node !== undefined) problems.push(node);
  let requirements = [];
  if ('error' in python) {
    problems.push(python.error);
    requirements = PYTHON_MODULES.map((m) => m.requirement);
  } else if (python.missing.length > 0) {
    const missing = PYTHON_MODULES.filter((m) => python.missing.includes(m.module));
    problems.push(`python3 cannot import ${missing.map((m) => `${m.module} (${m.requirement})`).join(', ')}`);
    requirements = missing.map((m) => m.requirement);
  }
  if (problems.length === 0) return undefined;
  const fixes = [];
  if (node !== undefined) fixes.push('install Node.js 20.15 or newer');
  if (requirements.length > 0) fixes.push(`${'error' in python ? 'install python3, then ' : ''}run: ${pipCommand(requirements, botocoreVersion)}`);
  return `npm test cannot run: ${problems.join('; ')}. To fix, ${fixes.join(' and ')}`;
}

function main() {
  const python = probePython();
  const botocoreVersion = modelsBotocoreVersion();
  const message = prerequisiteMessage({ node: nodeProblem(process.versions.node), python, botocoreVersion });
  if (message !== undefined) {
    console.error(message);
    process.exit(1);
  }
  const note = versionNote(python, botocoreVersion);
  if (note !== undefined) console.error(note);
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) main();
