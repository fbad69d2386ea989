/** Names in generated declarations: identifiers, quoting, collisions. */

/** Words a type may not be named (TypeScript's type keywords and JavaScript's reserved words). */
const RESERVED = new Set([
  'any', 'unknown', 'never', 'number', 'bigint', 'boolean', 'string', 'symbol', 'void', 'object', 'undefined', 'null',
  'break', 'case', 'catch', 'class', 'const', 'continue', 'debugger', 'default', 'delete', 'do', 'else', 'enum',
  'export', 'extends', 'false', 'finally', 'for', 'function', 'if', 'import', 'in', 'instanceof', 'new', 'return',
  'super', 'switch', 'this', 'throw', 'true', 'try', 'typeof', 'var', 'while', 'with', 'implements', 'interface',
  'let', 'package', 'private', 'protected', 'public', 'static', 'yield', 'await', 'type', 'as', 'is', 'keyof',
  'infer', 'readonly', 'declare', 'module', 'namespace', 'require', 'global', 'asserts', 'abstract', 'satisfies',
]);

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** A property key as written in a declaration: bare when it is an identifier, else quoted. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : JSON.stringify(name);
}

/** 'ListObjectsV2' -> 'listObjectsV2' (the runtime's methodName rule, kept in step by a test). */
export function lowerCamel(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

/** The prefix of a service's generated names: its serviceId without spaces ('ACM PCA' -> 'ACMPCA'). */
export function servicePrefix(serviceId: string): string {
  const prefix = serviceId.replace(/[^A-Za-z0-9]/g, '');
  return /^[0-9]/.test(prefix) ? `_${prefix}` : prefix;
}

/**
 * Hands out type names that are unique in one file. A shape keeps its model name unless that
 * name is reserved, not an identifier, or already taken; then `_` is appended until it is free.
 */
export class NameTable {
  readonly #taken = new Set<string>();

  reserve(name: string): void {
    this.#taken.add(name);
  }

  has(name: string): boolean {
    return this.#taken.has(name);
  }

  claim(wanted: string): string {
    let name = wanted.replace(/[^A-Za-z0-9_$]/g, '_');
    if (!IDENTIFIER.test(name) || RESERVED.has(name)) name = `${name}_`;
    // Bounded: each pass adds a character to a name not yet taken by this many names.
    for (let i = 0; i <= this.#taken.size && this.#taken.has(name); i++) name = `${name}_`;
    this.#taken.add(name);
    return name;
  }
}
