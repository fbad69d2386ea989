/**
 * The region of a client made with no region anywhere, as botocore decides it.
 *
 * botocore asks its legacy endpoint data (endpoints.json) before the rule set: with no region,
 * the first partition's entry for the service's endpoint prefix must have a `partitionEndpoint`
 * ('aws-global' for iam, sts, route53, cloudfront, s3, ...), else the client is refused with
 * NoRegionError, even when an endpoint URL is given (regions.py _endpoint_for_partition). With
 * one:
 *  - client.meta.region_name is that endpoint's name ('aws-global'), or nothing when the user
 *    gave an endpoint URL (ClientEndpointBridge._pick_region_values);
 *  - S3 is the exception: its forced global endpoint (us_east_1_regional_endpoint 'legacy', the
 *    default) keeps 'us-east-1', and a custom endpoint URL gets it too
 *    (args.py _compute_s3_endpoint_config, _set_region_if_custom_s3_endpoint); with
 *    Config.s3.useDualstackEndpoint the legacy resolver takes 'us-east-1' from the start;
 *  - the rule set's AWS::Region is that same region (args.py _build_endpoint_resolver uses the
 *    endpoint's region name when the client has none), so the rules decide the URL and the
 *    signing region (us-east-1 for aws-global).
 */
import { NoRegionError } from '../errors.js';

interface LegacyServiceData {
  partitionEndpoint?: string;
  endpoints?: Record<string, { hostname?: string; credentialScope?: { region?: string } }>;
}

export interface LegacyEndpointsData {
  partitions: Array<{ partition: string; services: Record<string, LegacyServiceData> }>;
}

export interface MissingRegionSettings {
  /** The service model's endpointPrefix (the legacy data's key: 'tax' for taxsettings). */
  endpointPrefix: string;
  endpointUrl: string | undefined;
  /** Config.s3.usEast1RegionalEndpoint as resolved ('legacy' when unset). */
  s3UsEast1RegionalEndpoint: string | undefined;
  s3UseDualstack: boolean;
}

export interface DefaultRegion {
  /** client.meta.region (botocore's meta.region_name); undefined with a custom endpoint URL. */
  region: string | undefined;
  /** The region the signer falls back to when the rule set names none (the legacy credentialScope). */
  signingRegion: string | undefined;
  /** The partition endpoint's host (client.meta.endpointUrl, botocore's legacy endpoint), when the data names one. */
  hostname?: string;
}

/** The region a client without one gets, or NoRegionError where botocore refuses the client. */
export function defaultRegion(data: LegacyEndpointsData, settings: MissingRegionSettings): DefaultRegion {
  const { endpointPrefix, endpointUrl } = settings;
  const isS3 = endpointPrefix === 's3';
  // regions.py construct_endpoint: S3 with dualstack and no region is us-east-1 outright.
  if (isS3 && settings.s3UseDualstack) return { region: 'us-east-1', signingRegion: 'us-east-1' };
  // construct_endpoint goes through the partitions in order; the first one raises when the
  // service has no partition endpoint, so only the first partition ('aws') counts.
  const service = data.partitions[0]?.services[endpointPrefix];
  const partitionEndpoint = service?.partitionEndpoint;
  if (partitionEndpoint === undefined) throw new NoRegionError();
  const entry = service?.endpoints?.[partitionEndpoint];
  const signingRegion = entry?.credentialScope?.region ?? partitionEndpoint;
  const hostname = entry?.hostname !== undefined ? { hostname: entry.hostname } : {};
  if (isS3) {
    const forcedGlobal = (settings.s3UsEast1RegionalEndpoint ?? 'legacy') === 'legacy';
    // A custom URL: botocore resolves 's3' once more without it, and keeps that region.
    return { region: forcedGlobal && partitionEndpoint === 'aws-global' ? 'us-east-1' : partitionEndpoint, signingRegion, ...hostname };
  }
  return { region: endpointUrl === undefined ? partitionEndpoint : undefined, signingRegion, ...hostname };
}
