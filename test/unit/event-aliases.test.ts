/** botocore's EVENT_ALIASES: the table and the renaming rule, against the installed botocore. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { HierarchicalEmitter } from 'inia';
import { EVENT_ALIASES, aliasEventName } from '../../src/event-aliases.js';
import { pythonJson } from '../helpers/python.js';

const NAMES = [
  'before-call.autoscaling.CreateLaunchConfiguration',
  'before-call.autoscaling',
  'before-parameter-build.route53',
  'after-call.logs.CreateExportTask',
  'creating-client-class.runtime.sagemaker',
  'before-call.runtime.sagemaker.InvokeEndpoint',
  'before-call.api.pricing.GetProducts',
  'service-data-loaded.data.jobs.iot',
  'before-call.s3.PutObject',
  'before-call',
  'needs-retry.elb.*',
  'before-call.events.PutEvents',
  'request-created.machinelearning.Predict',
  'before-sign.monitoring',
  'before-call.xruntime.sagemakerx',
  'before-call.api-gateway',
];

describe('event aliases (botocore EventAliaser)', () => {
  const reference = pythonJson<{ aliases: Record<string, string>; names: string[] }>(
    `
import json, sys
from botocore.hooks import EventAliaser, HierarchicalEmitter
from botocore.utils import EVENT_ALIASES
names = json.load(sys.stdin)
aliaser = EventAliaser(HierarchicalEmitter())
print(json.dumps({'aliases': EVENT_ALIASES, 'names': [aliaser._alias_event_name(n) for n in names]}))
`,
    { what: 'botocore event aliaser', input: JSON.stringify(NAMES) },
  );

  it('has exactly the installed botocore table, in its order', () => {
    assert.deepEqual(Object.entries(EVENT_ALIASES), Object.entries(reference.aliases));
  });

  it('renames event names as botocore does', () => {
    assert.deepEqual(NAMES.map(aliasEventName), reference.names);
  });

  it('delivers an event to a handler registered under the old name, and unregisters it by that name', async () => {
    const events = new HierarchicalEmitter();
    const seen: string[] = [];
    const handler = (args: { eventName: string }): void => void seen.push(args.eventName);
    events.register('before-call.autoscaling', handler);
    await events.emit('before-call.auto-scaling.CreateLaunchConfiguration', {});
    await events.emit('before-call.autoscaling.CreateLaunchConfiguration', {});
    assert.deepEqual(seen, ['before-call.auto-scaling.CreateLaunchConfiguration', 'before-call.autoscaling.CreateLaunchConfiguration']);
    events.unregister('before-call.autoscaling', handler);
    await events.emit('before-call.auto-scaling.CreateLaunchConfiguration', {});
    assert.equal(seen.length, 2);
  });
});
