/**
 * botocore's EVENT_ALIASES (utils.py) and its EventAliaser: event names were once built from
 * service names and endpoint prefixes ('before-call.autoscaling'), now from the hyphenized
 * service id ('before-call.auto-scaling'). A handler registered under an old name still gets the
 * event, as in botocore. The table is data from botocore; test/unit/event-aliases.test.ts checks
 * it against the installed botocore, so one it adds shows up at once.
 */
export const EVENT_ALIASES: Readonly<Record<string, string>> = Object.freeze({
  'api.mediatailor': 'mediatailor',
  'api.pricing': 'pricing',
  'api.sagemaker': 'sagemaker',
  'apigateway': 'api-gateway',
  'application-autoscaling': 'application-auto-scaling',
  'appstream2': 'appstream',
  'autoscaling': 'auto-scaling',
  'autoscaling-plans': 'auto-scaling-plans',
  'ce': 'cost-explorer',
  'cloudhsmv2': 'cloudhsm-v2',
  'cloudsearchdomain': 'cloudsearch-domain',
  'cognito-idp': 'cognito-identity-provider',
  'config': 'config-service',
  'cur': 'cost-and-usage-report-service',
  'data.iot': 'iot-data-plane',
  'data.jobs.iot': 'iot-jobs-data-plane',
  'data.mediastore': 'mediastore-data',
  'datapipeline': 'data-pipeline',
  'devicefarm': 'device-farm',
  'directconnect': 'direct-connect',
  'discovery': 'application-discovery-service',
  'dms': 'database-migration-service',
  'ds': 'directory-service',
  'dynamodbstreams': 'dynamodb-streams',
  'elasticbeanstalk': 'elastic-beanstalk',
  'elasticfilesystem': 'efs',
  'elasticloadbalancing': 'elastic-load-balancing',
  'elasticmapreduce': 'emr',
  'elb': 'elastic-load-balancing',
  'elbv2': 'elastic-load-balancing-v2',
  'email': 'ses',
  'entitlement.marketplace': 'marketplace-entitlement-service',
  'es': 'elasticsearch-service',
  'events': 'eventbridge',
  'cloudwatch-events': 'eventbridge',
  'iot-data': 'iot-data-plane',
  'iot-jobs-data': 'iot-jobs-data-plane',
  'kinesisanalytics': 'kinesis-analytics',
  'kinesisvideo': 'kinesis-video',
  'lex-models': 'lex-model-building-service',
  'lex-runtime': 'lex-runtime-service',
  'logs': 'cloudwatch-logs',
  'machinelearning': 'machine-learning',
  'marketplace-entitlement': 'marketplace-entitlement-service',
  'marketplacecommerceanalytics': 'marketplace-commerce-analytics',
  'metering.marketplace': 'marketplace-metering',
  'meteringmarketplace': 'marketplace-metering',
  'mgh': 'migration-hub',
  'models.lex': 'lex-model-building-service',
  'monitoring': 'cloudwatch',
  'mturk-requester': 'mturk',
  'resourcegroupstaggingapi': 'resource-groups-tagging-api',
  'route53': 'route-53',
  'route53domains': 'route-53-domains',
  'runtime.lex': 'lex-runtime-service',
  'runtime.sagemaker': 'sagemaker-runtime',
  'sdb': 'simpledb',
  'secretsmanager': 'secrets-manager',
  'serverlessrepo': 'serverlessapplicationrepository',
  'servicecatalog': 'service-catalog',
  'states': 'sfn',
  'stepfunctions': 'sfn',
  'storagegateway': 'storage-gateway',
  'streams.dynamodb': 'dynamodb-streams',
  'tagging': 'resource-groups-tagging-api',
});

const ENTRIES = Object.entries(EVENT_ALIASES).map(([old, now]) => ({ old, now, parts: old.split('.') }));
/** Where each one-segment alias sits in the table, so a name's segments are looked up, not the table scanned. */
const SINGLE_AT = new Map(ENTRIES.flatMap((entry, at) => (entry.parts.length === 1 ? [[entry.old, at] as const] : [])));
/** The dotted aliases with their places in the table (a few). */
const DOTTED = ENTRIES.flatMap((entry, at) => (entry.parts.length > 1 ? [{ ...entry, at }] : []));
/** Bounded: names come from code (registrations and emits), not from data. */
const cache = new Map<string, string>();

/**
 * The event name with its first aliased part replaced, by botocore's rule: aliases are tried in
 * the table's order and the first one found decides; a dotted alias ('runtime.sagemaker')
 * replaces the run of segments it matches.
 */
export function aliasEventName(eventName: string): string {
  let aliased = cache.get(eventName);
  if (aliased === undefined) {
    aliased = computeAlias(eventName);
    if (cache.size >= 4096) cache.clear();
    cache.set(eventName, aliased);
  }
  return aliased;
}

function computeAlias(eventName: string): string {
  // The first alias in the table's order that the name has: the earliest of its segments'
  // one-segment aliases and of the dotted aliases it contains (the same answer as trying the
  // table's entries one by one, at a cost per segment rather than per entry).
  const parts = eventName.split('.');
  let first = Infinity;
  for (const part of parts) {
    const at = SINGLE_AT.get(part);
    if (at !== undefined && at < first) first = at;
  }
  for (const dotted of DOTTED) if (dotted.at < first && eventName.includes(dotted.old)) first = dotted.at;
  if (first === Infinity) return eventName;
  const { old, now, parts: oldParts } = ENTRIES[first]!;
  if (oldParts.length === 1) {
    parts[parts.indexOf(old)] = now;
    return parts.join('.');
  }
  // botocore tests the dotted alias as a substring, and stops at the first that is one, even
  // when it matches no whole run of segments (the name is then unchanged).
  for (let i = 0; i + oldParts.length <= parts.length; i++) {
    if (oldParts.every((p, j) => parts[i + j] === p)) {
      parts.splice(i, oldParts.length, now);
      break;
    }
  }
  return parts.join('.');
}
