/**
 * Names in the resource layer.
 *
 * boto3 names everything on a resource with botocore's `xform_name` (snake_case of the model's
 * CamelCase name); inia exposes the lowerCamelCase of that snake_case name. Going through
 * botocore's snake_case first, rather than lower-casing the model name's first letter as the
 * clients do, is what makes inia's resource names follow boto3's: `ETag` -> `e_tag` -> `eTag`,
 * `SSEKMSKeyId` -> `ssekms_key_id` -> `ssekmsKeyId`, and boto3's collision renames
 * (`name_attribute`) carry over as `nameAttribute`.
 */

/**
 * Model names whose snake_case botocore does not derive by its rules but looks up in a table
 * it seeds its cache with (botocore/__init__.py `_xform_cache`; the `-` separator has the same
 * entries with `-`). test/unit/resources-naming.test.ts checks this list against the installed
 * botocore's.
 */
export const PARTIAL_RENAMES: ReadonlyMap<string, string> = new Map([
  ['CreateCachediSCSIVolume', 'create_cached_iscsi_volume'],
  ['DescribeCachediSCSIVolumes', 'describe_cached_iscsi_volumes'],
  ['DescribeStorediSCSIVolumes', 'describe_stored_iscsi_volumes'],
  ['CreateStorediSCSIVolume', 'create_stored_iscsi_volume'],
  ['ListHITsForQualificationType', 'list_hits_for_qualification_type'],
  ['ExecutePartiQLStatement', 'execute_partiql_statement'],
  ['ExecutePartiQLTransaction', 'execute_partiql_transaction'],
  ['ExecutePartiQLBatch', 'execute_partiql_batch'],
  ['AssociateWhatsAppBusinessAccount', 'associate_whatsapp_business_account'],
  ['CreateWhatsAppMessageTemplate', 'create_whatsapp_message_template'],
  ['CreateWhatsAppMessageTemplateFromLibrary', 'create_whatsapp_message_template_from_library'],
  ['CreateWhatsAppMessageTemplateMedia', 'create_whatsapp_message_template_media'],
  ['DeleteWhatsAppMessageMedia', 'delete_whatsapp_message_media'],
  ['DeleteWhatsAppMessageTemplate', 'delete_whatsapp_message_template'],
  ['DisassociateWhatsAppBusinessAccount', 'disassociate_whatsapp_business_account'],
  ['GetLinkedWhatsAppBusinessAccount', 'get_linked_whatsapp_business_account'],
  ['GetLinkedWhatsAppBusinessAccountPhoneNumber', 'get_linked_whatsapp_business_account_phone_number'],
  ['GetOTelEnrichment', 'get_otel_enrichment'],
  ['GetWhatsAppMessageMedia', 'get_whatsapp_message_media'],
  ['GetWhatsAppMessageTemplate', 'get_whatsapp_message_template'],
  ['ListLinkedWhatsAppBusinessAccounts', 'list_linked_whatsapp_business_accounts'],
  ['ListWhatsAppMessageTemplates', 'list_whatsapp_message_templates'],
  ['ListWhatsAppTemplateLibrary', 'list_whatsapp_template_library'],
  ['PostWhatsAppMessageMedia', 'post_whatsapp_message_media'],
  ['PutWhatsAppBusinessAccountEventDestinations', 'put_whatsapp_business_account_event_destinations'],
  ['SendWhatsAppMessage', 'send_whatsapp_message'],
  ['StartOTelEnrichment', 'start_otel_enrichment'],
  ['StopOTelEnrichment', 'stop_otel_enrichment'],
  ['UpdateWhatsAppMessageTemplate', 'update_whatsapp_message_template'],
]);

// botocore's three regexes. `_first_cap` splits before a capitalised word ('BucketName' ->
// 'Bucket_Name'), `_end_cap` after a lower-case letter or digit followed by a capital, and the
// special case keeps a pluralised acronym at the end together ('GatewayARNs' -> 'Gateway_arns').
const FIRST_CAP = /(.)([A-Z][a-z]+)/g;
const END_CAP = /([a-z0-9])([A-Z])/g;
const PLURAL_ACRONYM = /[A-Z]{2,}s$/;

// A process sees a few thousand distinct names at most (the models' members and operations), so
// the cache is unbounded, as botocore's is.
const cache = new Map<string, string>();

/**
 * botocore's `xform_name`: a model name in snake_case (`sep` between the words). A name that
 * already holds `sep` is returned unchanged, as botocore assumes it was transformed already.
 */
export function xformName(name: string, sep = '_'): string {
  if (name.includes(sep)) return name;
  // botocore's table is seeded for '_' and '-' only; any other separator goes by the rules.
  const table = sep === '_' || sep === '-' ? PARTIAL_RENAMES.get(name) : undefined;
  if (table !== undefined) return sep === '_' ? table : table.replaceAll('_', sep);
  const key = `${sep}\u0000${name}`;
  let result = cache.get(key);
  if (result === undefined) {
    let work = name;
    const acronym = PLURAL_ACRONYM.exec(work);
    if (acronym !== null) {
      const matched = acronym[0];
      work = `${work.slice(0, work.length - matched.length)}${sep}${matched.toLowerCase()}`;
    }
    // `$` in a replacement string is special: build the pieces with a function instead.
    work = work.replace(FIRST_CAP, (_m, a: string, b: string) => `${a}${sep}${b}`);
    result = work.replace(END_CAP, (_m, a: string, b: string) => `${a}${sep}${b}`).toLowerCase();
    cache.set(key, result);
  }
  return result;
}

/**
 * inia's name for a boto3 snake_case name: lowerCamelCase, each `_` followed by a lower-case
 * letter becomes that letter in upper case (`wait_until_exists` -> `waitUntilExists`,
 * `e_tag` -> `eTag`, `name_attribute` -> `nameAttribute`).
 *
 * Leading underscores stay (botocore turns a bare 'ARNs' into '_arns'), and so does an
 * underscore before anything but a lower-case letter: xform_name never writes one there, so
 * such a name came from the model as it is and is kept. Because xform_name's output has no
 * capitals, this is one-to-one on it: two different boto3 names never give one inia name.
 */
export function iniaName(boto3Name: string): string {
  const lead = /^_*/.exec(boto3Name)![0];
  const rest = boto3Name.slice(lead.length).replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  return lead + rest;
}

/** The inia name of a model name: `iniaName(xformName(name))` ('ContentLength' -> 'contentLength'). */
export function iniaNameOf(modelName: string): string {
  return iniaName(xformName(modelName));
}
