/**
 * The endpoint rule-set engine against test/vectors/endpoints: the engine's own cases
 * (rules-engine/test-cases with the rule sets in rules-engine/valid-rules) and every service's
 * endpoint-tests-1.json against the rule set bundled in models/. A case expects an endpoint
 * (url, headers, properties) or an error message.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { EndpointResolutionError, RuleSet, type PartitionsDocument, type RuleSetDocument, type RuleValue } from '../../src/endpoints/ruleset.js';
import { Loader } from '../../src/models/loader.js';
import { vectorsDir } from '../helpers/paths.js';

interface EndpointCase {
  documentation?: string;
  params?: Record<string, RuleValue>;
  expect: { endpoint?: { url: string; headers?: Record<string, string[]>; properties?: Record<string, RuleValue> }; error?: string };
}

const BASE = join(vectorsDir, 'endpoints');
const loader = new Loader({ env: {} });
const partitions = loader.loadData('partitions') as unknown as PartitionsDocument;

function check(ruleSet: RuleSet, c: EndpointCase, label: string): void {
  const params = c.params ?? {};
  if (c.expect.error !== undefined) {
    assert.throws(() => ruleSet.resolve(params), (e: unknown) => {
      assert.ok(e instanceof EndpointResolutionError, `${label}: ${String(e)}`);
      assert.equal((e as Error).message, c.expect.error, label);
      return true;
    });
    return;
  }
  const got = ruleSet.resolve(params);
  const want = c.expect.endpoint!;
  assert.equal(got.url, want.url, label);
  assert.deepEqual(got.headers, want.headers ?? {}, label);
  assert.deepEqual(got.properties, want.properties ?? {}, label);
}

describe('endpoint rules engine: rules-engine test cases', () => {
  const dir = join(BASE, 'rules-engine');
  for (const file of readdirSync(join(dir, 'test-cases')).filter((f) => f.endsWith('.json')).sort()) {
    it(file, () => {
      const ruleSet = new RuleSet(JSON.parse(readFileSync(join(dir, 'valid-rules', file), 'utf8')) as RuleSetDocument, partitions);
      const cases = (JSON.parse(readFileSync(join(dir, 'test-cases', file), 'utf8')) as { testCases: EndpointCase[] }).testCases;
      assert.ok(cases.length > 0);
      for (const [i, c] of cases.entries()) check(ruleSet, c, `${file} #${i} ${c.documentation ?? ''}`);
    });
  }
});

describe('endpoint rules engine: every service endpoint-tests-1.json', () => {
  const dir = join(BASE, 'services');
  let total = 0;
  for (const service of readdirSync(dir).sort()) {
    const file = join(dir, service, 'endpoint-tests-1.json');
    if (!existsSync(file)) continue;
    it(service, () => {
      const ruleSet = new RuleSet(loader.loadServiceModel(service, 'endpoint-rule-set-1') as unknown as RuleSetDocument, partitions);
      const cases = (JSON.parse(readFileSync(file, 'utf8')) as { testCases: EndpointCase[] }).testCases;
      for (const [i, c] of cases.entries()) check(ruleSet, c, `${service} #${i} ${c.documentation ?? ''}`);
      total += cases.length;
    });
  }
  it('ran the cases of every service', () => {
    assert.ok(total > 5000, `only ${total} cases`);
  });
});
