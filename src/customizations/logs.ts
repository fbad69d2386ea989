/** CloudWatch Logs: botocore's parameter alias `fromTime` for CreateExportTask's `from`. */
import type { HierarchicalEmitter } from '../events.js';
import { registerParameterAlias } from './parameter-aliases.js';

export function registerLogsCustomizations(events: HierarchicalEmitter): void {
  // botocore registers 'logs.CreateExportTask', which its event aliases turn into the
  // service id's name ('cloudwatch-logs'), the name inia's clients emit.
  registerParameterAlias(events, 'cloudwatch-logs.CreateExportTask', 'from', 'fromTime');
}
