/**
 * models:sync — copies botocore's data directory into the repo's models/ in the compact form
 * inia ships:
 *
 *   models/<service>/<newest api-version>/{service-2,paginators-1,waiters-2,endpoint-rule-set-1}.json.gz
 *   models/<service>/<newest api-version>/resources-1.json.gz   (boto3's resource models, nine services)
 *   models/{_retry,partitions,sdk-default-configuration,endpoints}.json
 *   models/VERSION.json
 *
 * Only each service's newest api version is kept (older ones are what botocore keeps for
 * pinned api_version users; inia's runtime still reads them from AWS_DATA_PATH). The
 * `*.sdk-extras.json` overlays are merged in with the same Loader the runtime uses, so each
 * bundled file is what botocore would load. Documentation text, which botocore reads only to
 * build docstrings, is dropped from service-2; examples-1.json is not copied.
 *
 * Output is deterministic: minified JSON in the source's key order, gzip level 9 with a
 * zeroed mtime, no file name and a fixed OS byte.
 *
 * The typed-client declarations (dist/types, scripts/generate-types.ts) are regenerated after.
 *
 * boto3's resource models come from boto3's own data/ folder: each service's newest
 * resources-1.json, minified, beside the botocore model of the same api version.
 *
 * Usage: npm run models:sync [botocoreDataDir] [--boto3 boto3DataDir]
 *   defaults: the data/ folders of the botocore and boto3 that `python3` imports.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { generateTypes } from './generate-types.js';
import { Loader, MODEL_TYPES, type DataName, type JsonObject, type ModelType } from '../src/models/loader.js';

/** dist/scripts/sync-models.js -> <repo>/models, independent of the working directory. */
const MODELS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'models');

const DATA_FILES: readonly DataName[] = ['_retry', 'partitions', 'sdk-default-configuration', 'endpoints'];

/** Keys whose string values are documentation only (botocore's model.py keeps them for docstrings). */
const DOC_KEYS = new Set(['documentation', 'documentationUrl']);

/**
 * Keys of service-2 objects whose children are keyed by user-chosen names (shape, operation,
 * member and parameter names). Their keys are never stripped: bedrock has a member named
 * `examples`, launch-wizard one named `documentationUrl`.
 */
const NAMED_MAPS = new Set(['shapes', 'operations', 'members', 'staticContextParams', 'operationContextParams']);

/**
 * Kept verbatim: botocore's ServiceModel.client_context_parameters reads
 * `param['documentation']` unconditionally when resolving endpoints, so it is runtime data.
 */
const VERBATIM_KEYS = new Set(['clientContextParams']);

interface Stats {
  services: number;
  /** Services with a boto3 resource model bundled. */
  resourceModels: number;
  files: number;
  bytes: number;
  warnings: string[];
  extras: string[];
}

function main(): void {
  const args = process.argv.slice(2);
  const boto3At = args.indexOf('--boto3');
  const boto3Dir = resolve(boto3At >= 0 ? requiredArg(args, boto3At) : defaultDataDir('boto3'));
  if (boto3At >= 0) args.splice(boto3At, 2);
  const sourceDir = resolve(args[0] ?? defaultDataDir('botocore'));
  if (!statSync(sourceDir, { throwIfNoEntry: false })?.isDirectory()) {
    throw new Error(`not a directory: ${sourceDir}`);
  }
  const botocoreVersion = readPackageVersion(sourceDir);
  if (!statSync(boto3Dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`not a directory: ${boto3Dir}`);
  const boto3Version = readPackageVersion(boto3Dir);
  const resources = new Loader({ searchPaths: [boto3Dir], includeDefaultPaths: false, env: {} });
  const started = Date.now();

  // One loader over the source only: no AWS_DATA_PATH, no ~/.aws/models, no bundled models.
  const listing = new Loader({ searchPaths: [sourceDir], includeDefaultPaths: false, env: {} });
  const services = listing.listAvailableServices('service-2');
  if (services.length === 0) throw new Error(`no service-2 models under ${sourceDir}`);

  mkdirSync(MODELS_DIR, { recursive: true });
  const stats: Stats = { services: 0, resourceModels: 0, files: 0, bytes: 0, warnings: [], extras: [] };

  for (const service of services) {
    syncService(service, sourceDir, listing, resources, stats);
  }
  const resourceServices = resources.listAvailableServices('resources-1');
  for (const service of resourceServices) {
    if (!services.includes(service)) stats.warnings.push(`boto3 has resources for ${service}, which botocore has no model for: not bundled`);
  }

  // Service folders that the source no longer has.
  const keep = new Set(services);
  for (const entry of readdirSync(MODELS_DIR, { withFileTypes: true })) {
    if (entry.isDirectory() && !keep.has(entry.name)) {
      rmSync(join(MODELS_DIR, entry.name), { recursive: true, force: true });
      console.log(`removed stale service ${entry.name}`);
    }
  }

  for (const name of DATA_FILES) {
    const bytes = Buffer.from(JSON.stringify(listing.loadData(name)));
    writeIfChanged(join(MODELS_DIR, `${name}.json`), bytes);
    stats.files++;
    stats.bytes += bytes.length;
  }

  const version = {
    botocore: botocoreVersion,
    boto3: boto3Version,
    syncedFrom: 'botocore and boto3 data directories',
    services: stats.services,
    resourceModels: stats.resourceModels,
  };
  writeIfChanged(join(MODELS_DIR, 'VERSION.json'), Buffer.from(`${JSON.stringify(version, null, 2)}\n`));

  for (const line of stats.extras) console.log(`merged ${line}`);
  for (const line of stats.warnings) console.log(`note: ${line}`);
  console.log(
    `models:sync: botocore ${botocoreVersion}, boto3 ${boto3Version}: ${stats.services} services (${stats.resourceModels} with resources), ${stats.files} files, ` +
      `${(stats.bytes / 1024 / 1024).toFixed(1)} MiB written to models/ in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  // The typed clients follow the models they describe.
  const types = generateTypes();
  console.log(`models:sync: typed clients regenerated: ${types.services} services, ${types.operations} operations in dist/types`);
}

function syncService(service: string, sourceDir: string, listing: Loader, resources: Loader, stats: Stats): void {
  const version = listing.determineLatestVersion(service, 'service-2');
  // A fresh loader per service so that parsed models are released once written.
  const loader = new Loader({ searchPaths: [sourceDir], includeDefaultPaths: false, env: {} });
  const target = join(MODELS_DIR, service, version);
  mkdirSync(target, { recursive: true });
  const written = new Set<string>();

  for (const type of MODEL_TYPES) {
    const versions = listApiVersionsOrEmpty(listing, service, type);
    if (!versions.includes(version)) {
      if (versions.length > 0) {
        stats.warnings.push(`${service}: newest version ${version} has no ${type}; older ${versions.join(', ')} not bundled`);
      } else if (type === 'paginators-1' || type === 'endpoint-rule-set-1') {
        stats.warnings.push(`${service}/${version} has no ${type}`);
      }
      continue;
    }
    for (const ext of ['.json', '.json.gz']) {
      if (existsSync(join(sourceDir, service, version, `${type}.sdk-extras${ext}`))) {
        stats.extras.push(`${service}/${version}/${type}.sdk-extras${ext}`);
      }
    }
    const model = loader.loadServiceModel(service, type, version);
    if (type === 'service-2') stripDocumentation(model);
    const file = `${type}.json.gz`;
    const bytes = gzip(Buffer.from(JSON.stringify(model)));
    writeIfChanged(join(target, file), bytes);
    written.add(file);
    stats.files++;
    stats.bytes += bytes.length;
  }

  // boto3's resource model of the same api version (boto3 loads the newest resources-1 on its
  // own; for the nine services it is the newest botocore version too, and a mismatch is said).
  const resourceVersions = listApiVersionsOrEmpty(resources, service, 'resources-1');
  if (resourceVersions.length > 0) {
    const newest = resources.determineLatestVersion(service, 'resources-1');
    if (newest !== version) {
      stats.warnings.push(`${service}: boto3's newest resources-1 is ${newest}, botocore's newest model ${version}: resources not bundled`);
    } else {
      const bytes = gzip(Buffer.from(JSON.stringify(resources.loadServiceModel(service, 'resources-1', version))));
      writeIfChanged(join(target, 'resources-1.json.gz'), bytes);
      written.add('resources-1.json.gz');
      stats.files++;
      stats.bytes += bytes.length;
      stats.resourceModels++;
    }
  }

  // Older api versions and files the source dropped.
  for (const entry of readdirSync(join(MODELS_DIR, service))) {
    if (entry !== version) rmSync(join(MODELS_DIR, service, entry), { recursive: true, force: true });
  }
  for (const entry of readdirSync(target)) {
    if (!written.has(entry)) rmSync(join(target, entry), { recursive: true, force: true });
  }
  stats.services++;
}

function listApiVersionsOrEmpty(loader: Loader, service: string, type: ModelType): string[] {
  try {
    return loader.listApiVersions(service, type);
  } catch {
    return [];
  }
}

/**
 * Removes documentation in place. `namedKeys` is true for objects whose keys are names
 * (shapes, members...), whose values are then ordinary trait objects.
 */
function stripDocumentation(node: unknown, namedKeys = false, root = true): void {
  if (Array.isArray(node)) {
    for (const item of node) stripDocumentation(item, false, false);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const object = node as JsonObject;
  for (const key of Object.keys(object)) {
    const value = object[key];
    if (!namedKeys) {
      if (DOC_KEYS.has(key) && typeof value === 'string') {
        delete object[key];
        continue;
      }
      // Top-level `examples` is an empty placeholder in a few old models; never read.
      if (root && key === 'examples') {
        delete object[key];
        continue;
      }
      if (VERBATIM_KEYS.has(key)) continue;
    }
    stripDocumentation(value, !namedKeys && NAMED_MAPS.has(key), false);
  }
}

/** gzip level 9; Node writes mtime 0 and no file name; the OS byte is pinned to Unix (3). */
function gzip(data: Buffer): Buffer {
  const out = gzipSync(data, { level: 9 });
  out[9] = 3;
  return out;
}

/** Leaves unchanged files untouched so that a re-sync keeps their mtimes. */
function writeIfChanged(file: string, bytes: Buffer): void {
  if (existsSync(file) && readFileSync(file).equals(bytes)) return;
  writeFileSync(file, bytes);
}

/** The data/ folder of the package (botocore or boto3) that `python3` imports. */
function defaultDataDir(pkgName: 'botocore' | 'boto3'): string {
  const pkg = execFileSync('python3', ['-c', `import ${pkgName}, os; print(os.path.dirname(${pkgName}.__file__))`], {
    encoding: 'utf8',
  }).trim();
  return join(pkg, 'data');
}

function requiredArg(args: readonly string[], at: number): string {
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${args[at]} needs a directory`);
  return value;
}

/** The package's __version__ (botocore's or boto3's) from the __init__.py beside its data directory, if there is one. */
function readPackageVersion(dataDir: string): string {
  const init = join(dataDir, '..', '__init__.py');
  if (existsSync(init)) {
    const match = /^__version__\s*=\s*['"]([^'"]+)['"]/m.exec(readFileSync(init, 'utf8'));
    if (match) return match[1]!;
  }
  return 'unknown';
}

main();
