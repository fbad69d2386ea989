/** Machine Learning: Predict goes to the model's own real-time endpoint. */
import { ParamValidationError } from '../errors.js';
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import type { HttpRequest } from '../http/types.js';

export function registerMachineLearningCustomizations(events: HierarchicalEmitter): void {
  // botocore's 'request-created.machinelearning.Predict', under the service id's name
  // ('machine-learning') that botocore's event aliases map it to and inia emits. More specific
  // than the signer's 'request-created.machine-learning', so it runs first: the new host is signed.
  events.register('request-created.machine-learning.Predict', switchHostMachineLearning, 'machinelearning-predict-endpoint');
}

const utf8 = new TextDecoder();

/**
 * botocore's switch_host_machinelearning (utils.switch_host_with_param): the PredictEndpoint
 * member of the JSON body becomes the request's scheme and host (with its port); path and
 * query stay. Runs on every attempt, as the request is rebuilt from the endpoint on a retry.
 */
function switchHostMachineLearning(args: EventArgs): void {
  const request = args.request as HttpRequest;
  const body = request.body;
  const text = typeof body === 'string' ? body : body instanceof Uint8Array ? utf8.decode(body) : undefined;
  if (text === undefined || text === '') return;
  const endpoint = (JSON.parse(text) as Record<string, unknown>).PredictEndpoint;
  if (typeof endpoint !== 'string' || endpoint === '') return;
  const split = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)/.exec(endpoint);
  const scheme = split?.[1]?.toLowerCase();
  if (split === null || (scheme !== 'http' && scheme !== 'https') || split[2] === '') {
    throw new ParamValidationError(`Invalid PredictEndpoint ${JSON.stringify(endpoint)}: expected an http(s) URL with a host, as DescribeMLModel's EndpointInfo.EndpointUrl`);
  }
  const url = new URL(`${scheme}://${split[2]}`);
  request.protocol = url.protocol as 'http:' | 'https:';
  request.hostname = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
  request.port = url.port === '' ? undefined : Number(url.port);
}
