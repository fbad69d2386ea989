/** Auto Scaling: launch configurations' UserData is base64-encoded for the caller, as in EC2. */
import type { HierarchicalEmitter } from '../events.js';
import { base64EncodeUserData } from './ec2.js';

export function registerAutoscalingCustomizations(events: HierarchicalEmitter): void {
  // botocore's 'before-parameter-build.autoscaling.CreateLaunchConfiguration', under the
  // service id's name ('auto-scaling') that botocore's event aliases map it to and inia emits.
  events.register('before-parameter-build.auto-scaling.CreateLaunchConfiguration', base64EncodeUserData, 'autoscaling-base64-user-data');
}
