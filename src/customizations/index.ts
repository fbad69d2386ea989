/**
 * Service customizations that botocore also has, one file per service, registered through
 * the event system when a client of that service is made. The core never branches on a
 * service name; it only emits events.
 */
import type { HierarchicalEmitter } from '../events.js';
import { registerS3Customizations, registerS3ModelCustomizations } from './s3.js';

const CUSTOMIZATIONS: Readonly<Record<string, (events: HierarchicalEmitter) => void>> = {
  s3: registerS3Customizations,
};

export function registerCustomizations(serviceName: string, events: HierarchicalEmitter): void {
  CUSTOMIZATIONS[serviceName]?.(events);
}

/** Handlers of events a session emits itself (service-data-loaded.<service>), for every service that has them. */
export function registerSessionCustomizations(events: HierarchicalEmitter): void {
  registerS3ModelCustomizations(events);
}
