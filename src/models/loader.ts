/**
 * The data loader: finds and reads botocore-layout model files (botocore's loaders.Loader).
 *
 * Layout of every search path:
 *   <root>/<service>/<api-version>/<type>.json[.gz]     service-2, paginators-1, waiters-2, ...
 *   <root>/<service>/<api-version>/<type>.sdk-extras.json[.gz]   optional `merge` overlay
 *   <root>/<name>.json[.gz]                              _retry, partitions, endpoints, ...
 *
 * Search order is botocore's: AWS_DATA_PATH entries, then ~/.aws/models, then the models/
 * bundled with inia. A file found in an earlier path wins; the newest api version is chosen
 * across all paths, so a newer model dropped into AWS_DATA_PATH replaces the bundled one.
 *
 * Everything is lazy and cached per Loader: nothing is read until asked for, creating an S3
 * client reads S3's directory and model only, and a second request for the same model returns
 * the same object. The fs calls are synchronous on purpose: each runs once per service per
 * process, and an async loader would make client creation async.
 */
import type { Dirent } from 'node:fs';
import { delimiter, dirname, join, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { nodeFs, nodeOs, nodeZlib } from '../builtins.js';
import { DataNotFoundError, UnknownServiceError } from '../errors.js';
import { closeMatches } from './close-matches.js';

/** botocore's model types, and boto3's resource model (resources-1, nine services, from boto3's own data). */
export type ModelType = 'service-2' | 'paginators-1' | 'waiters-2' | 'endpoint-rule-set-1' | 'resources-1';
/** The types botocore's data directory holds (models:sync copies these from it). */
export const MODEL_TYPES: readonly ModelType[] = ['service-2', 'paginators-1', 'waiters-2', 'endpoint-rule-set-1'];

/** Top-level data files shared by all services. */
export type DataName = '_retry' | 'partitions' | 'sdk-default-configuration' | 'endpoints';

export type JsonObject = Record<string, unknown>;

export interface LoaderOptions {
  /**
   * Paths searched before the default ones (botocore's extra_search_paths). When omitted,
   * the entries of AWS_DATA_PATH are used. `~` and `$VAR` are expanded in both cases.
   */
  searchPaths?: string[];
  /** Append ~/.aws/models and the bundled models/ (default true). */
  includeDefaultPaths?: boolean;
  /** Environment for AWS_DATA_PATH, HOME and `$VAR` expansion; defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The models/ folder shipped with inia, at the package root beside dist/. This code runs from
 * dist/src/models/loader.js (tests) or from the single-file dist/inia.js (what the package
 * exports), so the folder is found by walking up to the first directory holding
 * models/VERSION.json rather than by a fixed number of '..'.
 */
export const BUNDLED_MODELS_DIR: string = findBundledModels(dirname(fileURLToPath(import.meta.url)));

function findBundledModels(start: string): string {
  let dir = start;
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, 'models');
    if (nodeFs.existsSync(join(candidate, 'VERSION.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Not found (a broken install): the usual place, so that errors name a sensible path.
  return resolve(start, '..', '..', '..', 'models');
}

/** Extensions tried for every data file, in botocore's order. */
const EXTENSIONS = ['.json', '.json.gz'] as const;

/** Whether `path` is a file or a link to one (a missing or unreadable path is not). */
function isFile(path: string): boolean {
  try {
    return nodeFs.statSync(path, { throwIfNoEntry: false })?.isFile() === true;
  } catch {
    return false;
  }
}

/** botocore's BUILTIN_EXTRAS_TYPES: `<type>.sdk-extras.json` overlays. */
const EXTRAS_TYPES = ['sdk'] as const;

/** A directory's entries split by kind; symlinks are followed as os.path.isdir/isfile do. */
interface Listing {
  dirs: string[];
  files: Set<string>;
}

export class Loader {
  readonly searchPaths: readonly string[];

  /** Directory listings by absolute path; null when the path is not a readable directory. */
  readonly #listings = new Map<string, Listing | null>();
  readonly #models = new Map<string, JsonObject>();
  readonly #data = new Map<string, JsonObject>();
  readonly #services = new Map<ModelType, string[]>();
  readonly #versions = new Map<string, string[]>();

  constructor(options: LoaderOptions = {}) {
    const env = options.env ?? process.env;
    const home = env.HOME || env.USERPROFILE || nodeOs().homedir();
    let extra: string[];
    if (options.searchPaths !== undefined) {
      extra = [...options.searchPaths];
    } else {
      // An unset or empty AWS_DATA_PATH adds nothing (botocore only splits it when set).
      const raw = env.AWS_DATA_PATH;
      extra = raw ? raw.split(delimiter) : [];
    }
    const paths = extra.filter((p) => p !== '').map((p) => expandPath(p, env, home));
    if (options.includeDefaultPaths ?? true) {
      paths.push(join(home, '.aws', 'models'), BUNDLED_MODELS_DIR);
    }
    this.searchPaths = Object.freeze(paths);
  }

  /**
   * Every service that has a `type` file in some api-version folder of some search path,
   * sorted. Reads directory names only (no model is opened).
   */
  listAvailableServices(type: ModelType = 'service-2'): string[] {
    let cached = this.#services.get(type);
    if (cached === undefined) {
      const found = new Set<string>();
      for (const root of this.searchPaths) {
        const listing = this.#list(root);
        if (listing === null) continue;
        for (const service of listing.dirs) {
          if (found.has(service)) continue;
          const serviceDir = join(root, service);
          const versions = this.#list(serviceDir)?.dirs ?? [];
          if (versions.some((v) => this.#hasFile(join(serviceDir, v), type))) found.add(service);
        }
      }
      cached = [...found].sort(compareStrings);
      this.#services.set(type, cached);
    }
    return [...cached];
  }

  /** The api versions of `service` that have a `type` file, across all search paths, sorted. */
  listApiVersions(service: string, type: ModelType): string[] {
    const versions = this.#apiVersions(service, type);
    if (versions.length === 0) throw new DataNotFoundError(service);
    return [...versions];
  }

  /** The newest api version of `service` for `type` across ALL search paths. */
  determineLatestVersion(service: string, type: ModelType): string {
    const versions = this.#apiVersions(service, type);
    if (versions.length === 0) throw new DataNotFoundError(service);
    return versions[versions.length - 1]!;
  }

  /**
   * A service's model of the given type (newest version unless `apiVersion` is given), with
   * its sdk-extras merged in. The first search path holding that version's file wins.
   *
   * The returned object is cached and shared: callers must treat it as read-only.
   */
  loadServiceModel(service: string, type: ModelType, apiVersion?: string): JsonObject {
    const requestedKey = modelKey(service, type, apiVersion);
    const hit = this.#models.get(requestedKey);
    if (hit !== undefined) return hit;

    const versions = this.#apiVersions(service, type);
    if (versions.length === 0) {
      // botocore raises UnknownServiceError whenever the type is missing; inia keeps that
      // error for names it does not know at all, so "s3 has no waiters-2" reads as missing data.
      if (MODEL_TYPES.some((t) => t !== type && this.#apiVersions(service, t).length > 0)) {
        throw new DataNotFoundError(`${service}/${type}`);
      }
      throw new UnknownServiceError(service, closeMatches(service, this.listAvailableServices('service-2')));
    }
    const version = apiVersion ?? versions[versions.length - 1]!;
    if (!isPlainName(version) || !versions.includes(version)) {
      throw new DataNotFoundError(`${service}/${version}/${type}`);
    }
    // Latest and explicit requests for the same version share one object.
    const resolvedKey = modelKey(service, type, version);
    let model = this.#models.get(resolvedKey);
    if (model === undefined) {
      const relative = join(service, version);
      const file = this.#findFile(relative, type);
      if (file === undefined) throw new DataNotFoundError(`${service}/${version}/${type}`);
      model = readJson(file);
      for (const extrasType of EXTRAS_TYPES) {
        // As botocore: only the first search path holding the extras file contributes.
        const extrasFile = this.#findFile(relative, `${type}.${extrasType}-extras`);
        if (extrasFile === undefined) continue;
        const extras = readJson(extrasFile);
        if (isObject(extras.merge)) deepMerge(model, extras.merge);
      }
      this.#models.set(resolvedKey, model);
    }
    this.#models.set(requestedKey, model);
    return model;
  }

  /** A top-level data file (`_retry`, `partitions`, ...): first search path that has it. */
  loadData(name: DataName): JsonObject {
    let data = this.#data.get(name);
    if (data === undefined) {
      const file = this.#findFile('', name);
      if (file === undefined) throw new DataNotFoundError(name);
      data = readJson(file);
      this.#data.set(name, data);
    }
    return data;
  }

  /** Sorted versions of `service` having `type` (empty when none); cached. */
  #apiVersions(service: string, type: ModelType): readonly string[] {
    // A name with a separator or '..' would escape the search paths.
    if (!isPlainName(service)) return [];
    const key = `${service}\0${type}`;
    let versions = this.#versions.get(key);
    if (versions === undefined) {
      const found = new Set<string>();
      for (const root of this.searchPaths) {
        const serviceDir = join(root, service);
        for (const version of this.#list(serviceDir)?.dirs ?? []) {
          if (this.#hasFile(join(serviceDir, version), type)) found.add(version);
        }
      }
      versions = [...found].sort(compareStrings);
      this.#versions.set(key, versions);
    }
    return versions;
  }

  /** The first `<root>/<relativeDir>/<base>.json[.gz]` over the search paths. */
  #findFile(relativeDir: string, base: string): string | undefined {
    for (const root of this.searchPaths) {
      const dir = relativeDir === '' ? root : join(root, relativeDir);
      if (relativeDir === '' && !this.#listings.has(dir)) {
        // A search path's root holds a folder per service (about 430 in models/): asking for the
        // data file itself is cheaper than listing them all (0.5 ms of a cold start).
        const found = EXTENSIONS.find((ext) => isFile(join(dir, base + ext)));
        if (found !== undefined) return join(dir, base + found);
        continue;
      }
      const listing = this.#list(dir);
      if (listing === null) continue;
      for (const ext of EXTENSIONS) {
        if (listing.files.has(base + ext)) return join(dir, base + ext);
      }
    }
    return undefined;
  }

  #hasFile(dir: string, base: string): boolean {
    const listing = this.#list(dir);
    return listing !== null && EXTENSIONS.some((ext) => listing.files.has(base + ext));
  }

  #list(dir: string): Listing | null {
    const cached = this.#listings.get(dir);
    if (cached !== undefined) return cached;
    let listing: Listing | null = null;
    let entries: Dirent[] | undefined;
    try {
      entries = nodeFs.readdirSync(dir, { withFileTypes: true });
    } catch {
      // Missing, not a directory or unreadable: botocore's isdir() is simply false.
      entries = undefined;
    }
    if (entries !== undefined) {
      listing = { dirs: [], files: new Set() };
      for (const entry of entries) {
        let isDir = entry.isDirectory();
        let isFile = entry.isFile();
        if (entry.isSymbolicLink()) {
          try {
            const target = nodeFs.statSync(join(dir, entry.name));
            isDir = target.isDirectory();
            isFile = target.isFile();
          } catch {
            continue; // dangling link
          }
        }
        if (isDir) listing.dirs.push(entry.name);
        else if (isFile) listing.files.add(entry.name);
      }
    }
    this.#listings.set(dir, listing);
    return listing;
  }
}

function modelKey(service: string, type: ModelType, version: string | undefined): string {
  return `${service}\0${type}\0${version ?? ''}`;
}

/** A single path segment: not empty, no separators, not '.' or '..'. */
function isPlainName(name: string): boolean {
  return typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name);
}

/** Code-unit order, as Python's sorted() on these ASCII names. */
function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(file: string): JsonObject {
  let raw = nodeFs.readFileSync(file);
  if (file.endsWith('.gz')) raw = nodeZlib().gunzipSync(raw);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw.toString('utf8'));
  } catch (err) {
    throw new SyntaxError(`Invalid JSON in ${file}: ${(err as Error).message}`, { cause: err });
  }
  if (!isObject(parsed)) throw new SyntaxError(`Expected a JSON object in ${file}`);
  return parsed;
}

/**
 * botocore's utils.deep_merge: keys of `extra` override `base`, except that two objects under
 * the same key are merged recursively. Mutates `base`.
 */
export function deepMerge(base: JsonObject, extra: JsonObject): void {
  for (const key of Object.keys(extra)) {
    const next = extra[key];
    const current = Object.prototype.hasOwnProperty.call(base, key) ? base[key] : undefined;
    if (isObject(current) && isObject(next)) {
      deepMerge(current, next);
    } else {
      // defineProperty, not assignment: a JSON key "__proto__" must stay a plain property.
      Object.defineProperty(base, key, { value: next, writable: true, enumerable: true, configurable: true });
    }
  }
}

/** os.path.expanduser(os.path.expandvars(p)) as botocore applies to AWS_DATA_PATH entries. */
function expandPath(p: string, env: NodeJS.ProcessEnv, home: string): string {
  // $VAR and ${VAR}; unknown variables are left as written, as Python does.
  const expanded = p.replace(/\$(\w+)|\$\{([^}]+)\}/g, (match, bare: string | undefined, braced: string | undefined) => {
    const value = env[(bare ?? braced)!];
    return value === undefined ? match : value;
  });
  if (expanded === '~') return home;
  if (expanded.startsWith('~/') || (sep === '\\' && expanded.startsWith('~\\'))) {
    return join(home, expanded.slice(2));
  }
  return expanded;
}
