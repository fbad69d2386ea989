/**
 * Where the cross-region presigned-URL handlers (presigned-url.ts) are registered: this module
 * is loaded with the package, the handlers' code (and the query signer) on the first call that
 * needs them (lazy-handlers.ts).
 */
import type { HierarchicalEmitter } from '../events.js';
import { lazyHandlers } from './lazy-handlers.js';

const handler = lazyHandlers(() => import('./presigned-url.js'));

/** The operations whose before-call botocore hooks, per service (the models/ folder name). */
const RDS_FAMILY: Readonly<Record<string, readonly string[]>> = {
  rds: ['CopyDBClusterSnapshot', 'CreateDBCluster', 'CopyDBSnapshot', 'CreateDBInstanceReadReplica', 'StartDBInstanceAutomatedBackupsReplication'],
  neptune: ['CopyDBClusterSnapshot', 'CreateDBCluster'],
  docdb: ['CopyDBClusterSnapshot', 'CreateDBCluster'],
};

export function registerEc2PresignedUrl(events: HierarchicalEmitter): void {
  events.register('before-call.ec2.CopySnapshot', handler('injectPresignedUrlEc2'), 'ec2-inject-presigned-url');
}

/** RDS, Neptune and DocumentDB share RDS's API (and its signing name), so one handler serves all three. */
export function rdsPresignedUrlRegistrar(service: string): (events: HierarchicalEmitter) => void {
  const operations = RDS_FAMILY[service] ?? [];
  return (events) => {
    for (const operation of operations) events.register(`before-call.${service}.${operation}`, handler('injectPresignedUrlRds'), `${service}-inject-presigned-url-${operation}`);
  };
}

