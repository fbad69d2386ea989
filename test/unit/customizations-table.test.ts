/**
 * docs/customizations.md maps every handler of botocore's BUILTIN_HANDLERS (documentation hooks
 * aside) to inia's file and test, or says why it does not apply in JavaScript. This reads the
 * installed botocore's list, so a newer botocore that adds a handler fails here at once.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../helpers/paths.js';
import { pythonJson } from '../helpers/python.js';

const LIST_HANDLERS = `
import json
from botocore.handlers import BUILTIN_HANDLERS

def name(handler):
    owner = getattr(handler, '__self__', None)
    if owner is not None and not isinstance(owner, type):
        return type(owner).__name__ + '.' + handler.__name__
    return getattr(handler, '__name__', None) or type(handler).__name__

print(json.dumps([[entry[0], name(entry[1])] for entry in BUILTIN_HANDLERS if not entry[0].startswith('docs.')]))
`;

interface Row {
  event: string;
  handler: string;
  inia: string;
  test: string;
  line: number;
}

const NOT_APPLICABLE = 'not applicable';

function tableRows(): Row[] {
  const text = readFileSync(join(repoRoot, 'docs', 'customizations.md'), 'utf8');
  const rows: Row[] = [];
  text.split('\n').forEach((line, index) => {
    const cells = line.split('|').map((c) => c.trim());
    // | `event` | `handler` | inia | test |
    if (cells.length !== 6 || !cells[1]!.startsWith('`')) return;
    const unquote = (s: string): string => s.replace(/^`|`$/g, '');
    rows.push({ event: unquote(cells[1]!), handler: unquote(cells[2]!), inia: cells[3]!, test: cells[4]!, line: index + 1 });
  });
  return rows;
}

describe('docs/customizations.md covers botocore.handlers.BUILTIN_HANDLERS', () => {
  const installed = pythonJson<Array<[string, string]>>(LIST_HANDLERS, { what: 'botocore BUILTIN_HANDLERS lister' });
  const rows = tableRows();
  const key = (event: string, handler: string): string => `${event} ${handler}`;

  it('lists every non-documentation handler of the installed botocore, and no other', () => {
    assert.ok(installed.length >= 90, `only ${installed.length} handlers read from botocore`);
    const documented = new Set(rows.map((r) => key(r.event, r.handler)));
    const missing = installed.filter(([e, h]) => !documented.has(key(e, h))).map(([e, h]) => key(e, h));
    assert.deepEqual(missing, [], 'botocore handlers with no row in docs/customizations.md');
    const known = new Set(installed.map(([e, h]) => key(e, h)));
    const stale = rows.filter((r) => !known.has(key(r.event, r.handler))).map((r) => `line ${r.line}: ${key(r.event, r.handler)}`);
    assert.deepEqual(stale, [], 'rows naming a handler the installed botocore does not register');
  });

  it('names, for each ported handler, an inia file that exists and a test that exists', () => {
    const problems: string[] = [];
    for (const row of rows) {
      if (row.inia.toLowerCase().startsWith(NOT_APPLICABLE)) {
        if (row.test.length < 20) problems.push(`line ${row.line}: ${row.handler} is not applicable but gives no reason`);
        continue;
      }
      // The cell may name functions and events too (`fillIdempotencyTokens`); files are the `src/....ts` ones.
      const files = [...row.inia.matchAll(/`(src\/[^`]+\.ts)`/g)].map((m) => m[1]!);
      if (files.length === 0) problems.push(`line ${row.line}: ${row.handler}: names no src/ file`);
      for (const path of files) if (!existsSync(join(repoRoot, path))) problems.push(`line ${row.line}: ${row.handler}: no file ${path}`);
      // `test/unit/x.test.ts`: "name of the test"
      const test = /^`([^`]+\.test\.ts)`: "(.+)"$/.exec(row.test);
      if (test === null) {
        problems.push(`line ${row.line}: ${row.handler}: the test cell must read \`test/...test.ts\`: "test name"`);
        continue;
      }
      const testFile = join(repoRoot, test[1]!);
      if (!existsSync(testFile)) problems.push(`line ${row.line}: ${row.handler}: no test file ${test[1]}`);
      else if (!readFileSync(testFile, 'utf8').includes(test[2]!)) problems.push(`line ${row.line}: ${row.handler}: ${test[1]} has no test named "${test[2]}"`);
    }
    assert.deepEqual(problems, []);
  });
});
