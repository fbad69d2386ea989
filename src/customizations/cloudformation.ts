/** CloudFormation: a JSON template comes back as an object, as botocore returns it. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';

export function registerCloudFormationCustomizations(events: HierarchicalEmitter): void {
  events.register('after-call.cloudformation.GetTemplate', jsonDecodeTemplateBody, 'cloudformation-decode-template-body');
}

/**
 * botocore's json_decode_template_body: GetTemplate's TemplateBody is the template's text; a
 * JSON template is returned parsed (keys in the template's order), anything else (YAML) as
 * the text it is.
 */
function jsonDecodeTemplateBody(args: EventArgs): void {
  const parsed = args.parsed as Record<string, unknown>;
  const body = parsed.TemplateBody;
  if (typeof body !== 'string') return;
  try {
    parsed.TemplateBody = JSON.parse(body) as unknown;
  } catch {
    // Not JSON: left as text, as botocore leaves it.
  }
}
