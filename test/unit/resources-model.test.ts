/**
 * The resource model (src/resources/model.ts) against boto3's ResourceModel: for every resource
 * and service resource of the bundled resources-1 models, with the shapes of the bundled
 * service-2 models, and for small synthetic models, one per collision rule.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, test } from 'node:test';
import { BUNDLED_MODELS_DIR, Loader } from '../../src/models/loader.js';
import { ServiceModel, type ServiceDescription } from '../../src/models/shapes.js';
import { iniaName } from '../../src/resources/naming.js';
import {
  ResourceModel,
  ResourceModelError,
  resourceModel,
  type LoadedResourceModel,
  type ResourceDefinition,
  type ResourcesDocument,
} from '../../src/resources/model.js';

const loader = new Loader({ searchPaths: [BUNDLED_MODELS_DIR], includeDefaultPaths: false });
const SERVICES = loader.listAvailableServices('resources-1');

const CATEGORIES = ['identifiers', 'attributes', 'actions', 'batchActions', 'waiters', 'references', 'subresources', 'collections'] as const;
type Category = (typeof CATEGORIES)[number];

/** What one side says of one resource, in boto3's names. */
interface Boto3View {
  service: string;
  resource: string;
  error?: string;
  load?: boolean;
  identifiers?: { name: string; memberName: string | null }[];
  attributes?: { name: string; member: string; alias: boolean }[];
  actions?: string[];
  batchActions?: string[];
  waiters?: string[];
  references?: string[];
  subresources?: string[];
  collections?: string[];
}

/** A synthetic case: a resources-1 document and the member names of its shapes. */
interface SyntheticCase {
  service: string;
  document: ResourcesDocument;
  shapes: Record<string, string[]>;
}

/**
 * boto3's side, in one python3 child: the bundled models read by botocore's own Loader from
 * inia's models/ (the same files inia reads), shapes from botocore's ServiceModel; synthetic
 * documents with a stand-in shape whose members are the given names.
 */
const PYTHON = String.raw`
import json, sys
from botocore.loaders import Loader
from botocore.model import ServiceModel
from boto3.resources.model import ResourceModel

request = json.load(sys.stdin)
loader = Loader(extra_search_paths=[request['modelsDir']], include_default_search_paths=False)

class StandInShape:
    def __init__(self, names):
        self.members = {name: None for name in names}

def view(service, name, definition, resource_defs, shape_for):
    out = {'service': service, 'resource': name}
    model = ResourceModel(name, definition, resource_defs)
    shape = shape_for(model.shape) if model.shape else None
    try:
        model.load_rename_map(shape)
    except ValueError as error:
        out['error'] = str(error)
        return out
    out['load'] = model.load is not None
    out['identifiers'] = [{'name': i.name, 'memberName': i.member_name} for i in model.identifiers]
    aliases = {i.member_name for i in model.identifiers if i.member_name}
    out['attributes'] = [
        {'name': n, 'member': orig, 'alias': n in aliases}
        for n, (orig, _) in (model.get_attributes(shape).items() if shape is not None else [])
    ]
    out['actions'] = [a.name for a in model.actions]
    out['batchActions'] = [a.name for a in model.batch_actions]
    out['waiters'] = [w.name for w in model.waiters]
    out['references'] = [r.name for r in model.references]
    out['subresources'] = [r.name for r in model.subresources]
    out['collections'] = [c.name for c in model.collections]
    return out

def views(service, document, shape_for):
    result = [view(service, name, d, document['resources'], shape_for) for name, d in document['resources'].items()]
    result.append(view(service, service, document['service'], document['resources'], shape_for))
    return result

out = {'bundled': [], 'synthetic': []}
for service in request['services']:
    document = loader.load_service_model(service, 'resources-1')
    service_model = ServiceModel(loader.load_service_model(service, 'service-2'), service)
    out['bundled'].extend(views(service, document, service_model.shape_for))
for case in request['synthetic']:
    out['synthetic'].append(views(case['service'], case['document'], lambda s, c=case: StandInShape(c['shapes'][s])))
print(json.dumps(out))
`;

function boto3Views(synthetic: readonly SyntheticCase[]): { bundled: Boto3View[]; synthetic: Boto3View[][] } {
  const input = JSON.stringify({ modelsDir: BUNDLED_MODELS_DIR, services: SERVICES, synthetic });
  const result = spawnSync('python3', ['-c', PYTHON], { input, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 * 1024 * 1024 });
  assert.equal(result.status, 0, `python3 with boto3 is a test prerequisite: ${result.error ?? ''} ${result.stderr}`);
  return JSON.parse(result.stdout) as { bundled: Boto3View[]; synthetic: Boto3View[][] };
}

/** inia's side of the same resource, in boto3's names (and the loaded model, for inia's). */
function iniaView(
  service: string,
  name: string,
  definition: ResourceDefinition,
  document: ResourcesDocument,
  shapeFor: (shape: string) => { members: ReadonlyMap<string, unknown> },
): { view: Boto3View; loaded?: LoadedResourceModel } {
  let loaded: LoadedResourceModel;
  try {
    loaded = resourceModel(service, name, definition, document.resources, definition.shape ? shapeFor(definition.shape) : undefined);
  } catch (error) {
    if (!(error instanceof ResourceModelError)) throw error;
    return { view: { service, resource: name, error: error.message } };
  }
  const names = (items: readonly { name: string }[]): string[] => items.map((item) => item.name);
  const view: Boto3View = {
    service,
    resource: name,
    load: loaded.load !== undefined,
    identifiers: loaded.identifiers.map((identifier) => ({ name: identifier.name, memberName: identifier.memberName ?? null })),
    attributes: loaded.attributes.map((attribute) => ({ name: attribute.name, member: attribute.memberName, alias: attribute.identifierAlias })),
    actions: names(loaded.actions),
    batchActions: names(loaded.batchActions),
    waiters: names(loaded.waiters),
    references: names(loaded.references),
    subresources: names(loaded.subresources),
    collections: names(loaded.collections),
  };
  return { view, loaded };
}

function iniaViews(service: string, document: ResourcesDocument, shapeFor: (shape: string) => { members: ReadonlyMap<string, unknown> }) {
  const entries: [string, ResourceDefinition][] = [...Object.entries(document.resources), [service, document.service]];
  return entries.map(([name, definition]) => iniaView(service, name, definition, document, shapeFor));
}

/** boto3's snake names in inia's spelling: lowerCamelCase, subresources as they are. */
function expectedIniaNames(view: Boto3View): Record<Category, string[]> {
  const camel = (names: readonly string[] | undefined): string[] => (names ?? []).map(iniaName);
  return {
    identifiers: camel(view.identifiers?.map((identifier) => identifier.name)),
    attributes: camel(view.attributes?.map((attribute) => attribute.name)),
    actions: camel(view.actions),
    batchActions: camel(view.batchActions),
    waiters: camel(view.waiters),
    references: camel(view.references),
    subresources: [...(view.subresources ?? [])],
    collections: camel(view.collections),
  };
}

// ---------------------------------------------------------------------------------------------
// Synthetic models: one per rule.

const res = (resources: Record<string, ResourceDefinition>, service: ResourceDefinition = {}): ResourcesDocument => ({ service, resources });
const op = (operation: string) => ({ request: { operation } });

const SYNTHETIC: Record<string, SyntheticCase> = {
  metaReserved: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Meta' }], shape: 'ThingShape', actions: { Meta: op('A') } } }),
    shapes: { ThingShape: ['Meta', 'Other'] },
  },
  loadReserved: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Id' }], shape: 'ThingShape', load: { request: { operation: 'Describe' }, path: 'X' }, actions: { Load: op('A') } } }),
    shapes: { ThingShape: ['Load', 'Size'] },
  },
  loadNotReservedWithoutLoad: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Id' }], actions: { Load: op('A') } } }),
    shapes: {},
  },
  actionAfterIdentifier: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Name' }, { name: 'Key', memberName: 'Key' }], shape: 'ThingShape', actions: { Name: op('A') } } }),
    // 'Name' and 'Key' are identifiers: left out of the attributes; 'Key' is also a memberName.
    shapes: { ThingShape: ['Name', 'Key', 'ETag', 'SSEKMSKeyId'] },
  },
  identifierAlias: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Id', memberName: 'ThingId' }], shape: 'ThingShape' } }),
    shapes: { ThingShape: ['ThingId', 'State'] },
  },
  referenceAfterAction: {
    service: 'svc',
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        actions: { Vpc: op('A') },
        has: { Vpc: { resource: { type: 'Vpc', identifiers: [{ target: 'Id', source: 'data', path: 'VpcId' }] } } },
      },
      Vpc: { identifiers: [{ name: 'Id' }] },
    }),
    shapes: {},
  },
  subresourceKeepsCamelCase: {
    service: 'svc',
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        actions: { Part: op('A') },
        has: { Part: { resource: { type: 'Part', identifiers: [{ target: 'ThingId', source: 'identifier', name: 'Id' }, { target: 'Id', source: 'input' }] } } },
      },
      Part: { identifiers: [{ name: 'ThingId' }, { name: 'Id' }] },
    }),
    shapes: {},
  },
  subresourceCollidesOnlyUnsnaked: {
    service: 'svc',
    // A lower-case `has` name is entered as it is and so can meet an identifier.
    document: res({
      Thing: { identifiers: [{ name: 'Part' }], has: { part: { resource: { type: 'Part', identifiers: [{ target: 'Id', source: 'input' }] } } } },
      Part: { identifiers: [{ name: 'Id' }] },
    }),
    shapes: {},
  },
  referenceVsSubresource: {
    service: 'svc',
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        has: {
          Owner: { resource: { type: 'Owner', identifiers: [{ target: 'Name', source: 'data', path: 'OwnerName' }] } },
          Owners: { resource: { type: 'Owner', identifiers: [{ target: 'Name', source: 'data', path: 'Owners[].Name' }], path: 'Owners[]' } },
          Child: { resource: { type: 'Owner', identifiers: [{ target: 'Name', source: 'identifier', name: 'Id' }] } },
          // A path alone does not make a reference in boto3: only a `data` source does.
          Pathed: { resource: { type: 'Owner', identifiers: [{ target: 'Name', source: 'input' }], path: 'Owner' } },
          Mixed: { resource: { type: 'Owner', identifiers: [{ target: 'Name', source: 'identifier', name: 'Id' }, { target: 'Extra', source: 'data', path: 'E' }] } },
        },
      },
      Owner: { identifiers: [{ name: 'Name' }] },
    }),
    shapes: {},
  },
  collectionAfterAction: {
    service: 'svc',
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        actions: { Items: op('A') },
        hasMany: { Items: { request: { operation: 'ListItems' }, resource: { type: 'Item', identifiers: [{ target: 'Id', source: 'response', path: 'Items[].Id' }] } } },
      },
      Item: { identifiers: [{ name: 'Id' }], batchActions: { Delete: op('DeleteItems'), Id: op('X') } },
    }),
    shapes: {},
  },
  waiterAfterAction: {
    service: 'svc',
    document: res({ Thing: { identifiers: [{ name: 'Id' }], actions: { WaitUntilExists: op('A') }, waiters: { Exists: { waiterName: 'ThingExists', params: [{ target: 'Id', source: 'identifier', name: 'Id' }] } } } }),
    shapes: {},
  },
  attributeAfterEverything: {
    service: 'svc',
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        shape: 'ThingShape',
        load: { request: { operation: 'Describe' } },
        actions: { Delete: op('A') },
        has: { Owner: { resource: { type: 'Thing', identifiers: [{ target: 'Id', source: 'data', path: 'OwnerId' }] } } },
        hasMany: { Items: { request: { operation: 'ListItems' }, resource: { type: 'Thing', identifiers: [{ target: 'Id', source: 'response', path: 'Items[].Id' }] } } },
        waiters: { Exists: { waiterName: 'ThingExists' } },
      },
    }),
    shapes: { ThingShape: ['Id', 'Delete', 'Owner', 'Items', 'WaitUntilExists', 'Meta', 'Load', 'Size'] },
  },
  secondCollisionIsAnError: {
    service: 'svc',
    // 'items' is taken by the action, 'items_collection' by the other action.
    document: res({
      Thing: {
        identifiers: [{ name: 'Id' }],
        actions: { Items: op('A'), ItemsCollection: op('B') },
        hasMany: { Items: { request: { operation: 'ListItems' }, resource: { type: 'Thing', identifiers: [{ target: 'Id', source: 'response', path: 'Items[].Id' }] } } },
      },
    }),
    shapes: {},
  },
  serviceConstructors: {
    service: 'svc',
    // The service gets a constructor per resource: its own `has` for Bar (twice, under other
    // names), implicit ones for Baz and Foo, and none for a type the document lacks.
    document: res(
      {
        Baz: { identifiers: [{ name: 'Id' }, { name: 'Sub' }] },
        Bar: { identifiers: [{ name: 'Name' }] },
        Foo: {},
      },
      {
        actions: { CreateBar: { request: { operation: 'CreateBar' }, resource: { type: 'Bar', identifiers: [{ target: 'Name', source: 'requestParameter', path: 'Name' }] } } },
        has: {
          MyBar: { resource: { type: 'Bar', identifiers: [{ target: 'Name', source: 'input' }] } },
          OtherBar: { resource: { type: 'Bar', identifiers: [{ target: 'Name', source: 'input' }] } },
          Ghost: { resource: { type: 'Missing', identifiers: [] } },
        },
        hasMany: { Bars: { request: { operation: 'ListBars' }, resource: { type: 'Bar', identifiers: [{ target: 'Name', source: 'response', path: 'Bars[].Name' }] } } },
      },
    ),
    shapes: {},
  },
};

const SYNTHETIC_NAMES = Object.keys(SYNTHETIC);
let boto3Cache: ReturnType<typeof boto3Views> | undefined;
const boto3 = (): ReturnType<typeof boto3Views> => (boto3Cache ??= boto3Views(SYNTHETIC_NAMES.map((name) => SYNTHETIC[name]!)));

function syntheticViews(caseName: string) {
  const { service, document, shapes } = SYNTHETIC[caseName]!;
  return iniaViews(service, document, (shape) => ({ members: new Map(shapes[shape]!.map((member) => [member, null])) }));
}

/** inia's loaded model of one resource of a synthetic case. */
function synthetic(caseName: string, resourceName: string): LoadedResourceModel {
  const found = syntheticViews(caseName).find(({ view }) => view.resource === resourceName);
  assert.ok(found?.loaded, `${caseName} ${resourceName} loads`);
  return found.loaded;
}

describe('resource model: the bundled models against boto3', () => {
  test("every resource and service resource has boto3's final names, and inia's are their lowerCamelCase", () => {
    const expected = boto3().bundled;
    const actual = SERVICES.flatMap((service) => {
      const document = loader.loadServiceModel(service, 'resources-1') as unknown as ResourcesDocument;
      const model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
      return iniaViews(service, document, (shape) => model.shapeFor(shape));
    });
    assert.deepEqual(actual.map(({ view }) => view), expected);

    const counts: Record<Category, number> & { resources: number; serviceResources: number; identifierMembers: number; identifierAliases: number; loads: number } = {
      resources: 0, serviceResources: 0, identifiers: 0, identifierMembers: 0, attributes: 0, identifierAliases: 0, loads: 0,
      actions: 0, batchActions: 0, waiters: 0, references: 0, subresources: 0, collections: 0,
    };
    actual.forEach(({ loaded }, i) => {
      assert.ok(loaded);
      const want = expectedIniaNames(expected[i]!);
      const got = loaded.names;
      for (const category of CATEGORIES) {
        assert.deepEqual(got[category], want[category], `${loaded.serviceName} ${loaded.name} ${category}`);
        counts[category] += got[category].length;
      }
      if (loaded.isServiceResource) counts.serviceResources++;
      else counts.resources++;
      counts.identifierMembers += loaded.identifiers.filter((identifier) => identifier.memberName !== undefined).length;
      counts.identifierAliases += loaded.attributes.filter((attribute) => attribute.identifierAlias).length;
      if (loaded.load) counts.loads++;
    });
    // The figures the comparison covers; a change in the bundled models shows up here first.
    console.log(`resource model compared with boto3: ${JSON.stringify(counts)}`);
    assert.equal(counts.resources, 80);
    assert.equal(counts.serviceResources, 9);
    assert.equal(counts.batchActions, 15);
    assert.equal(counts.waiters, 17);
    assert.equal(counts.collections, 87);
    // 318 actions in the models; every one is a resource's or the service's action.
    assert.equal(counts.actions, 318);
  });

  test('known names read as the API contract writes them', () => {
    const names = (service: string, resource: string): LoadedResourceModel => {
      const document = loader.loadServiceModel(service, 'resources-1') as unknown as ResourcesDocument;
      const model = new ServiceModel(loader.loadServiceModel(service, 'service-2') as unknown as ServiceDescription, service);
      const definition = resource === service ? document.service : document.resources[resource]!;
      return resourceModel(service, resource, definition, document.resources, definition.shape ? model.shapeFor(definition.shape) : undefined);
    };
    const object = names('s3', 'Object');
    assert.ok(object.names.attributes.includes('contentLength'));
    assert.ok(object.names.attributes.includes('eTag'));
    assert.ok(object.names.attributes.includes('ssekmsKeyId'));
    assert.ok(object.names.actions.includes('put'));
    assert.ok(object.names.waiters.includes('waitUntilExists'));
    const s3 = names('s3', 's3');
    assert.ok(s3.isServiceResource);
    assert.ok(s3.names.subresources.includes('Bucket') && s3.names.subresources.includes('Object'));
    assert.ok(s3.names.collections.includes('buckets'));
    assert.ok(names('s3', 'Bucket').names.collections.includes('objects'));
    assert.ok(names('sqs', 'sqs').names.actions.includes('createQueue'));
    assert.ok(names('sqs', 'Queue').names.actions.includes('sendMessage'));
    const instance = names('ec2', 'Instance');
    assert.ok(instance.names.references.includes('vpc'));
    assert.deepEqual(instance.identifiers.map((identifier) => [identifier.iniaName, identifier.iniaMemberName]), [['id', 'instanceId']]);
    assert.ok(instance.attributes.some((attribute) => attribute.iniaName === 'instanceId' && attribute.identifierAlias));
    assert.ok(names('dynamodb', 'dynamodb').names.subresources.includes('Table'));
  });
});

describe('resource model: synthetic models against boto3', () => {
  test('each collision rule, reference and subresource case gives what boto3 gives', () => {
    const expected = boto3().synthetic;
    SYNTHETIC_NAMES.forEach((caseName, i) => {
      const views = syntheticViews(caseName);
      assert.deepEqual(views.map(({ view }) => view), expected[i], caseName);
      views.forEach(({ loaded }, j) => {
        if (loaded) assert.deepEqual(loaded.names, expectedIniaNames(expected[i]![j]!), `${caseName} ${loaded.name}`);
      });
    });
  });

  test("'meta' is reserved: an identifier, action or attribute named so is renamed", () => {
    const thing = synthetic('metaReserved', 'Thing');
    assert.deepEqual(thing.names.identifiers, ['metaIdentifier']);
    assert.deepEqual(thing.names.actions, ['metaAction']);
    assert.deepEqual(thing.names.attributes, ['metaAttribute', 'other']);
  });

  test("'load' is reserved only on a resource that loads", () => {
    const thing = synthetic('loadReserved', 'Thing');
    assert.deepEqual(thing.names.actions, ['loadAction']);
    assert.deepEqual(thing.names.attributes, ['loadAttribute', 'size']);
    assert.deepEqual(synthetic('loadNotReservedWithoutLoad', 'Thing').names.actions, ['load']);
  });

  test('identifiers come before actions; members named like identifiers are not attributes; memberName follows the attribute rename', () => {
    const thing = synthetic('actionAfterIdentifier', 'Thing');
    assert.deepEqual(thing.names.identifiers, ['name', 'key']);
    assert.deepEqual(thing.names.actions, ['nameAction']);
    assert.deepEqual(thing.names.attributes, ['eTag', 'ssekmsKeyId']);
    // The shape's 'Key' met the identifier 'key', so boto3's memberName reads 'key_attribute'.
    assert.deepEqual(thing.identifiers.map((identifier) => identifier.memberName), [undefined, 'key_attribute']);
  });

  test("an identifier's memberName is an attribute aliasing it", () => {
    const thing = synthetic('identifierAlias', 'Thing');
    assert.deepEqual(thing.attributes.map((attribute) => [attribute.iniaName, attribute.identifierAlias]), [['thingId', true], ['state', false]]);
  });

  test('a reference colliding with an action becomes *_reference; a subresource keeps its CamelCase and collides with nothing snake-cased', () => {
    assert.deepEqual(synthetic('referenceAfterAction', 'Thing').names.references, ['vpcReference']);
    const sub = synthetic('subresourceKeepsCamelCase', 'Thing');
    assert.deepEqual([sub.names.actions, sub.names.subresources], [['part'], ['Part']]);
    assert.deepEqual(synthetic('subresourceCollidesOnlyUnsnaked', 'Thing').names.subresources, ['part_subresource']);
  });

  test("a `has` with a 'data' identifier is a reference, any other a subresource, whatever its path", () => {
    const thing = synthetic('referenceVsSubresource', 'Thing');
    assert.deepEqual(thing.names.references, ['owner', 'owners', 'mixed']);
    assert.deepEqual(thing.names.subresources, ['Child', 'Pathed']);
    assert.equal(thing.references[1]!.resource!.path, 'Owners[]');
  });

  test('a collection colliding with an action becomes *_collection; batch actions are never renamed', () => {
    const thing = synthetic('collectionAfterAction', 'Thing');
    assert.deepEqual(thing.names.collections, ['itemsCollection']);
    assert.deepEqual(thing.collections[0]!.batchActions.map((action) => action.iniaName), ['delete', 'id']);
    assert.deepEqual(synthetic('collectionAfterAction', 'Item').names.batchActions, ['delete', 'id']);
  });

  test('waiters are wait_until_* and become *_waiter on a collision', () => {
    const thing = synthetic('waiterAfterAction', 'Thing');
    assert.deepEqual(thing.names.actions, ['waitUntilExists']);
    assert.deepEqual(thing.names.waiters, ['waitUntilExistsWaiter']);
    assert.equal(thing.waiters[0]!.waiterName, 'ThingExists');
    assert.deepEqual(thing.waiters[0]!.params.map((param) => [param.target, param.source, param.name]), [['Id', 'identifier', 'Id']]);
  });

  test('attributes come last: every other kind of name wins over them', () => {
    const thing = synthetic('attributeAfterEverything', 'Thing');
    assert.deepEqual(thing.names.attributes, ['deleteAttribute', 'ownerAttribute', 'itemsAttribute', 'waitUntilExistsAttribute', 'metaAttribute', 'loadAttribute', 'size']);
  });

  test('a second collision is an error, as boto3 raises', () => {
    const [thing] = syntheticViews('secondCollisionIsAnError');
    assert.equal(thing!.view.error, 'Problem renaming Thing collection to items_collection!');
    const doc = SYNTHETIC.secondCollisionIsAnError!.document;
    assert.throws(() => resourceModel('svc', 'Thing', doc.resources.Thing!, doc.resources), ResourceModelError);
  });

  test('the service resource has a constructor per resource, named by its own `has` where it has one', () => {
    const service = synthetic('serviceConstructors', 'svc');
    assert.ok(service.isServiceResource);
    assert.deepEqual(service.names.subresources, ['Baz', 'MyBar', 'OtherBar', 'Foo']);
    assert.deepEqual(service.subresources[0]!.resource!.identifiers.map((p) => [p.target, p.source]), [['Id', 'input'], ['Sub', 'input']]);
    assert.deepEqual(service.names.actions, ['createBar']);
    assert.deepEqual(service.names.collections, ['bars']);
    assert.equal(synthetic('serviceConstructors', 'Bar').isServiceResource, false);
  });

  test('without loadRenameMap the model names are unrenamed, as boto3 leaves them', () => {
    const doc = SYNTHETIC.actionAfterIdentifier!.document;
    const model = new ResourceModel('Thing', doc.resources.Thing!, doc.resources);
    assert.deepEqual(model.actions.map((action) => action.name), ['name']);
    model.loadRenameMap();
    assert.deepEqual(model.actions.map((action) => action.name), ['name_action']);
  });
});
