/**
 * The shared config and credentials files (~/.aws/config, ~/.aws/credentials), read the
 * way botocore's configloader reads them: Python's configparser.RawConfigParser with its
 * defaults (strict, `=`/`:` delimiters, `#`/`;` full-line comments only, lowercased
 * option names, a magic `[DEFAULT]` section), then botocore's one level of nested
 * `key =` blocks and its `[profile x]` / `[sso-session x]` / `[services x]` mapping.
 *
 * Python's notion of whitespace and line breaks differs from JavaScript's (`\s`, trim and
 * split do not agree on \x1c-\x1f, \x85 or the BOM), so this module spells those sets out
 * rather than relying on JS built-ins.
 */
import { nodeFs, nodeOs } from './builtins.js';
import { ConfigParseError } from './errors.js';

/** A value in a section: a plain string, or a nested sub-section (`s3 =` followed by indented `key = value` lines). */
export type ConfigValue = string | Record<string, string>;
export type ConfigSection = Record<string, ConfigValue>;

/** botocore's load_config + build_profile_map for the config file. */
export interface ParsedConfigFile {
  profiles: Record<string, ConfigSection>;
  ssoSessions: Record<string, ConfigSection>;
  services: Record<string, ConfigSection>;
}

/** Files larger than this are refused: no real config file comes near it, and reading is synchronous. */
export const MAX_CONFIG_FILE_BYTES = 10 * 1024 * 1024;

// ---------------------------------------------------------------------------
// Python string semantics

/** Python's str.isspace(): what strip() removes and what `\s` matches (all in the BMP). */
function isPySpace(code: number): boolean {
  return (
    (code >= 0x09 && code <= 0x0d) ||
    (code >= 0x1c && code <= 0x20) ||
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}
/** The boundaries Python's str.splitlines() breaks on. */
const PY_LINE_BREAK = /\r\n|[\n\v\f\r\x1c-\x1e\x85\u2028\u2029]/;

// Plain loops, not regular expressions: `[\s]+$` backtracks quadratically on long runs of spaces.
function pyRstrip(s: string): string {
  let end = s.length;
  while (end > 0 && isPySpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

function pyStrip(s: string): string {
  const end = pyRstrip(s).length;
  let start = 0;
  while (start < end && isPySpace(s.charCodeAt(start))) start++;
  return s.slice(start, end);
}

/** Index of the first non-whitespace character (configparser's indent level), 0 if none. */
function indentOf(line: string): number {
  for (let i = 0; i < line.length; i++) if (!isPySpace(line.charCodeAt(i))) return i;
  return 0;
}

/** A line quoted for an error message, cut short so a huge line cannot flood a log. */
function quoteLine(line: string): string {
  const limit = 80;
  return JSON.stringify(line.length > limit ? `${line.slice(0, limit)}...` : line);
}

/** Plain objects without a prototype, so names like `constructor` or `__proto__` are just names. */
function emptyRecord<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

// ---------------------------------------------------------------------------
// Bytes to lines

/**
 * Offset of the first byte that is not valid UTF-8 (no overlongs, no surrogates, nothing
 * past U+10FFFF, as Python's strict decoder), or -1 when all of it is valid.
 */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i += 1;
      continue;
    }
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Length of the well-formed UTF-8 sequence starting at `i` (Unicode table 3-7), or 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i]!;
  let need: number;
  let low = 0x80;
  let high = 0xbf;
  if (b >= 0xc2 && b <= 0xdf) need = 1;
  else if (b >= 0xe0 && b <= 0xef) {
    need = 2;
    if (b === 0xe0) low = 0xa0;
    if (b === 0xed) high = 0x9f;
  } else if (b >= 0xf0 && b <= 0xf4) {
    need = 3;
    if (b === 0xf0) low = 0x90;
    if (b === 0xf4) high = 0x8f;
  } else return 0;
  for (let k = 1; k <= need; k++) {
    const next = bytes[i + k];
    if (next === undefined || next < (k === 1 ? low : 0x80) || next > (k === 1 ? high : 0xbf)) return 0;
  }
  return need + 1;
}

/** 1-based line of a byte offset, counting line ends as Python's universal newlines do. */
function lineOfOffset(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) line++;
  }
  return line;
}

/**
 * Decodes as Python's open() does here (UTF-8, strict) and keeps a leading BOM as a
 * character: Python's "utf-8" codec does not drop it, so neither may we.
 */
function decodeUtf8(bytes: Uint8Array, path: string): string {
  const bad = firstInvalidUtf8(bytes);
  if (bad >= 0) {
    const hex = bytes[bad]!.toString(16).padStart(2, '0');
    throw new ConfigParseError(path, lineOfOffset(bytes, bad), `not valid UTF-8 (byte 0x${hex} at offset ${bad})`);
  }
  return new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes);
}

/** Python's text-mode line iteration: \r\n, \r and \n all end a line, and nothing else does. */
function splitFileLines(text: string): string[] {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  // A final line ending does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

// ---------------------------------------------------------------------------
// configparser.RawConfigParser._read

/** An option's value as configparser collects it: one stripped fragment per source line. */
interface RawOption {
  fragments: string[];
  lines: number[];
}
type RawSection = Map<string, RawOption>;

/** configparser's name for the section whose options every other section inherits. */
const DEFAULT_SECTION = 'DEFAULT';

interface ReaderState {
  readonly path: string;
  readonly sections: Map<string, RawSection>;
  readonly defaults: RawSection;
  current: RawSection | undefined;
  sectionName: string | undefined;
  optionName: string | undefined;
  indentLevel: number;
  /** Lines that are neither header nor option; configparser reports them only at the end. The first few are kept. */
  badLines: number[];
  badLineCount: number;
}

function isCommentLine(line: string): boolean {
  const stripped = pyStrip(line);
  return stripped.startsWith('#') || stripped.startsWith(';');
}

/** configparser's SECTCRE: `[`, at least one character, the last `]`; anything after is ignored. */
function sectionHeader(value: string): string | undefined {
  if (!value.startsWith('[')) return undefined;
  const close = value.lastIndexOf(']');
  return close >= 2 ? value.slice(1, close) : undefined;
}

/** configparser's OPTCRE: the name runs to the first `=` or `:`, both sides stripped. */
function optionLine(value: string): { name: string; value: string } | undefined {
  const match = /[=:]/.exec(value);
  if (!match) return undefined;
  return { name: pyStrip(value.slice(0, match.index)), value: pyStrip(value.slice(match.index + 1)) };
}

function readLine(state: ReaderState, line: string, lineNo: number): void {
  const comment = isCommentLine(line);
  const value = comment ? '' : pyStrip(line);
  if (!value) {
    // A blank line inside a value is kept (and trimmed off the end later); a comment line is not.
    if (!comment && state.current && state.optionName) appendFragment(state.current.get(state.optionName), '', lineNo);
    return;
  }
  const indent = indentOf(line);
  if (state.current && state.optionName && indent > state.indentLevel) {
    appendFragment(state.current.get(state.optionName), value, lineNo);
    return;
  }
  state.indentLevel = indent;
  const header = sectionHeader(value);
  if (header !== undefined) enterSection(state, header, lineNo);
  else if (!state.current) throw missingHeader(state.path, line, lineNo);
  else addOption(state, value, lineNo);
}

function appendFragment(option: RawOption | undefined, fragment: string, lineNo: number): void {
  option?.fragments.push(fragment);
  option?.lines.push(lineNo);
}

function missingHeader(path: string, line: string, lineNo: number): ConfigParseError {
  const bom = lineNo === 1 && line.startsWith('\ufeff');
  const hint = bom ? ' (the file starts with a byte order mark, which botocore does not accept)' : '';
  return new ConfigParseError(path, lineNo, `expected a section header such as [default] before ${quoteLine(line)}${hint}`);
}

function enterSection(state: ReaderState, name: string, lineNo: number): void {
  // Strict mode: within one file a section may not be repeated, except [DEFAULT], which
  // configparser never records as a section.
  if (state.sections.has(name)) throw new ConfigParseError(state.path, lineNo, `section ${quoteLine(name)} already exists`);
  if (name === DEFAULT_SECTION) {
    state.current = state.defaults;
  } else {
    state.current = new Map();
    state.sections.set(name, state.current);
  }
  state.sectionName = name;
  // A section cannot start with a continuation line.
  state.optionName = undefined;
}

function addOption(state: ReaderState, value: string, lineNo: number): void {
  const parsed = optionLine(value);
  if (!parsed) {
    // configparser keeps going and keeps the previous option open for continuation lines.
    noteBadLine(state, lineNo);
    return;
  }
  // An empty name is an error reported at the end; configparser still records it.
  if (!parsed.name) noteBadLine(state, lineNo);
  const name = parsed.name.toLowerCase();
  // Strict mode: one file may not set an option twice in a section (nor twice across [DEFAULT] blocks).
  if (state.current?.has(name)) {
    throw new ConfigParseError(state.path, lineNo, `option ${quoteLine(name)} in section ${quoteLine(state.sectionName ?? '')} already exists`);
  }
  state.current?.set(name, { fragments: [parsed.value], lines: [lineNo] });
  state.optionName = name;
}

function noteBadLine(state: ReaderState, lineNo: number): void {
  if (state.badLines.length < 6) state.badLines.push(lineNo);
  state.badLineCount++;
}

function badLinesError(path: string, lines: string[], badLines: number[], count: number): ConfigParseError {
  const first = badLines[0]!;
  const more = count > 1 ? ` (and ${count - 1} more such line${count > 2 ? 's' : ''}, first ${badLines.slice(1).join(', ')})` : '';
  return new ConfigParseError(path, first, `expected "name = value" or a [section] header, found ${quoteLine(lines[first - 1] ?? '')}${more}`);
}

// ---------------------------------------------------------------------------
// botocore's raw_config_parse on top of the parser

/** botocore's _parse_nested: `key = value` lines, names kept as written (not lowercased). */
function parseNested(path: string, sectionName: string, optionName: string, option: RawOption): Record<string, string> {
  const nested = emptyRecord<string>();
  option.fragments.forEach((fragment, index) => {
    for (const piece of fragment.split(PY_LINE_BREAK)) {
      const line = pyStrip(piece);
      if (!line) continue;
      const eq = line.indexOf('=');
      if (eq < 0) {
        const problem = `expected "name = value" in the nested block of ${quoteLine(optionName)} in section ${quoteLine(sectionName)}, found ${quoteLine(line)}`;
        throw new ConfigParseError(path, option.lines[index], problem);
      }
      nested[pyStrip(line.slice(0, eq))] = pyStrip(line.slice(eq + 1));
    }
  });
  return nested;
}

/** The joined value; a value whose first line is empty is a nested block (botocore checks for a leading newline). */
function finishValue(path: string, sectionName: string, optionName: string, option: RawOption): ConfigValue {
  const joined = pyRstrip(option.fragments.join('\n'));
  return joined.startsWith('\n') ? parseNested(path, sectionName, optionName, option) : joined;
}

/** configparser's sections()/options()/get(): each section's own options, then [DEFAULT]'s it lacks. */
function finishSection(path: string, name: string, own: RawSection, defaults: RawSection): ConfigSection {
  const section = emptyRecord<ConfigValue>();
  for (const [option, raw] of own) section[option] = finishValue(path, name, option, raw);
  for (const [option, raw] of defaults) {
    if (!own.has(option)) section[option] = finishValue(path, name, option, raw);
  }
  return section;
}

/** botocore's raw_config_parse: every section of an INI file by its name as written, keys as botocore keeps them. */
export function parseConfigText(text: string, path: string): Record<string, ConfigSection> {
  const lines = splitFileLines(text);
  const state: ReaderState = {
    path,
    sections: new Map(),
    defaults: new Map(),
    current: undefined,
    sectionName: undefined,
    optionName: undefined,
    indentLevel: 0,
    badLines: [],
    badLineCount: 0,
  };
  lines.forEach((line, index) => readLine(state, line, index + 1));
  if (state.badLineCount > 0) throw badLinesError(path, lines, state.badLines, state.badLineCount);
  const result = emptyRecord<ConfigSection>();
  for (const [name, own] of state.sections) result[name] = finishSection(path, name, own, state.defaults);
  return result;
}

// ---------------------------------------------------------------------------
// botocore's build_profile_map

/**
 * Python's shlex.split (POSIX mode, no comments), which botocore uses on section names so
 * that `[profile "my profile"]` works. Returns undefined where shlex raises (an unclosed
 * quote or a trailing backslash): botocore then ignores the section.
 */
export function shlexSplit(input: string): string[] | undefined {
  const result = shlexSplitWithError(input);
  return Array.isArray(result) ? result : undefined;
}

/** shlex.split, or the message Python's ValueError carries ('No closing quotation', 'No escaped character'). */
export function shlexSplitWithError(input: string): string[] | { error: string } {
  const tokens: string[] = [];
  let state: 'space' | 'word' | '"' | "'" | 'escape' = 'space';
  let escapedFrom: 'word' | '"' = 'word';
  let token = '';
  for (const ch of input) {
    const isSpace = ch === ' ' || ch === '\t' || ch === '\r' || ch === '\n';
    if (state === 'escape') {
      // Inside double quotes a backslash escapes only `"` and itself.
      if (escapedFrom === '"' && ch !== '"' && ch !== '\\') token += '\\';
      token += ch;
      state = escapedFrom;
    } else if (state === '"' || state === "'") {
      if (ch === state) state = 'word';
      else if (ch === '\\' && state === '"') [escapedFrom, state] = ['"', 'escape'];
      else token += ch;
    } else if (isSpace) {
      if (state === 'word') tokens.push(token);
      [token, state] = ['', 'space'];
    } else if (ch === '"' || ch === "'") {
      state = ch;
    } else if (ch === '\\') {
      [escapedFrom, state] = ['word', 'escape'];
    } else {
      token += ch;
      state = 'word';
    }
  }
  if (state === 'escape') return { error: 'No escaped character' };
  if (state === '"' || state === "'") return { error: 'No closing quotation' };
  if (state === 'word') tokens.push(token);
  return tokens;
}

/** `[profile name]` (or any header starting with the prefix) -> name, when it splits into exactly two words. */
function sectionSubject(header: string): string | undefined {
  const parts = shlexSplit(header);
  return parts && parts.length === 2 ? parts[1] : undefined;
}

function copySection(section: ConfigSection): ConfigSection {
  const copy = emptyRecord<ConfigValue>();
  for (const [key, value] of Object.entries(section)) {
    copy[key] = typeof value === 'string' ? value : Object.assign(emptyRecord<string>(), value);
  }
  return copy;
}

/**
 * botocore's build_profile_map. Prefixes are matched as botocore does (`startswith`, so
 * `[profiles x]` is profile x too); `[default]` and `[profile default]` both name the
 * default profile and whichever comes later in the file wins outright. Other sections
 * (`[preview]`, `[default ]`...) are not profiles and are dropped here.
 */
export function buildProfileMap(raw: Record<string, ConfigSection>): ParsedConfigFile {
  const result: ParsedConfigFile = { profiles: emptyRecord(), ssoSessions: emptyRecord(), services: emptyRecord() };
  for (const [header, section] of Object.entries(raw)) {
    const target = header.startsWith('profile')
      ? result.profiles
      : header.startsWith('sso-session')
        ? result.ssoSessions
        : header.startsWith('services')
          ? result.services
          : undefined;
    if (target) {
      const name = sectionSubject(header);
      if (name !== undefined) target[name] = copySection(section);
    } else if (header === 'default') {
      result.profiles.default = copySection(section);
    }
  }
  return result;
}

// ---------------------------------------------------------------------------
// Paths and files

function envValue(env: NodeJS.ProcessEnv, name: string): string | undefined {
  if (!Object.prototype.hasOwnProperty.call(env, name)) return undefined;
  const value = env[name];
  return typeof value === 'string' ? value : undefined;
}

/** Python's os.path.expandvars: `$name` and `${name}`; unknown variables stay as written. */
function expandVars(path: string, env: NodeJS.ProcessEnv): string {
  return path.replace(/\$(\w+|\{[^}]*\})/g, (whole, name: string) => {
    const bare = name.startsWith('{') && name.endsWith('}') ? name.slice(1, -1) : name;
    return envValue(env, bare) ?? whole;
  });
}

/** A user's home directory from the password file, as Python's pwd.getpwnam would find it. */
function homeOfUser(name: string): string | undefined {
  try {
    const me = nodeOs().userInfo();
    if (me.username === name) return me.homedir;
  } catch {
    // No passwd entry for this process: fall through to the file.
  }
  try {
    const passwd = nodeFs.readFileSync('/etc/passwd', 'utf8');
    for (const entry of passwd.split('\n')) {
      const fields = entry.split(':');
      if (fields.length >= 7 && fields[0] === name) return fields[5];
    }
  } catch {
    // No readable password file: the name is unknown.
  }
  return undefined;
}

function currentHome(env: NodeJS.ProcessEnv): string | undefined {
  const home = envValue(env, 'HOME');
  if (home !== undefined) return home;
  try {
    return nodeOs().userInfo().homedir;
  } catch {
    return undefined;
  }
}

/** Python's posixpath.expanduser: `~` is $HOME (else the password entry), `~user` that user's home. */
function expandUser(path: string, env: NodeJS.ProcessEnv): string {
  if (!path.startsWith('~')) return path;
  const slash = path.indexOf('/', 1);
  const end = slash < 0 ? path.length : slash;
  const home = end === 1 ? currentHome(env) : homeOfUser(path.slice(1, end));
  if (home === undefined) return path;
  let trimmed = home.length;
  while (trimmed > 0 && home[trimmed - 1] === '/') trimmed--;
  return home.slice(0, trimmed) + path.slice(end) || '/';
}

/** Expands a config file path as botocore does: environment variables first, then `~`. */
export function expandPath(path: string, env: NodeJS.ProcessEnv = process.env): string {
  return expandUser(expandVars(path, env), env);
}

/**
 * The file's bytes, or undefined where botocore would read nothing: not a regular file
 * (missing, a directory, a FIFO) or not readable (configparser skips files it cannot open).
 */
function readBounded(path: string): Uint8Array | undefined {
  try {
    if (!nodeFs.statSync(path).isFile()) return undefined;
  } catch {
    return undefined;
  }
  let fd: number;
  try {
    fd = nodeFs.openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    return readUpToLimit(fd, path);
  } finally {
    nodeFs.closeSync(fd);
  }
}

/** Reads at most MAX_CONFIG_FILE_BYTES; the size on disk is not trusted (it may grow, or be 0 under /proc). */
function readUpToLimit(fd: number, path: string): Uint8Array | undefined {
  const buffer = Buffer.alloc(64 * 1024);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    let n: number;
    try {
      n = nodeFs.readSync(fd, buffer, 0, buffer.length, null);
    } catch {
      return undefined;
    }
    if (n === 0) break;
    total += n;
    if (total > MAX_CONFIG_FILE_BYTES) {
      throw new ConfigParseError(path, undefined, `the file is larger than ${MAX_CONFIG_FILE_BYTES / 1024 / 1024} MiB, the most inia will read`);
    }
    chunks.push(Buffer.from(buffer.subarray(0, n)));
  }
  return Buffer.concat(chunks, total);
}

function loadRaw(path: string, env: NodeJS.ProcessEnv): Record<string, ConfigSection> {
  const expanded = expandPath(path, env);
  const bytes = readBounded(expanded);
  if (!bytes) return emptyRecord();
  return parseConfigText(decodeUtf8(bytes, expanded), expanded);
}

/** Reads and parses a config file; a missing file (or a directory, as botocore treats it) reads as empty. */
export function loadConfigFile(path: string, env: NodeJS.ProcessEnv = process.env): ParsedConfigFile {
  return buildProfileMap(loadRaw(path, env));
}

/** The credentials file: every section is a profile, by its name as written. */
export function loadCredentialsFile(path: string, env: NodeJS.ProcessEnv = process.env): Record<string, ConfigSection> {
  return loadRaw(path, env);
}

/** Where the files are: AWS_CONFIG_FILE (default ~/.aws/config), AWS_SHARED_CREDENTIALS_FILE (default ~/.aws/credentials). Not yet expanded. */
export function sharedFilePaths(env: NodeJS.ProcessEnv): { config: string; credentials: string } {
  // botocore uses the variable whenever it is set, even to an empty string (which then names no file).
  return {
    config: envValue(env, 'AWS_CONFIG_FILE') ?? '~/.aws/config',
    credentials: envValue(env, 'AWS_SHARED_CREDENTIALS_FILE') ?? '~/.aws/credentials',
  };
}
