/**
 * Every error inia raises. Client-side failures derive from IniaError (botocore's
 * BotoCoreError); service answers that say "no" are ClientError. Messages follow
 * botocore's wording so that logs and searches read the same.
 */

/** Base class of every client-side failure (botocore's BotoCoreError). */
export class IniaError extends Error {
  constructor(message: string) {
    super(message);
    // `name` on the prototype chain gives stack traces the subclass name.
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
  }
}

export class NoCredentialsError extends IniaError {
  /** @param searched where the chain looked, in order (shown in the message) */
  constructor(readonly searched: readonly string[] = []) {
    super(searched.length ? `Unable to locate credentials. Looked in: ${searched.join('; ')}` : 'Unable to locate credentials');
  }
}

export class PartialCredentialsError extends IniaError {
  constructor(readonly provider: string, readonly credVar: string) {
    super(`Partial credentials found in ${provider}, missing: ${credVar}`);
  }
}

/** A provider found where credentials should come from, but could not get them (botocore's CredentialRetrievalError). */
export class CredentialRetrievalError extends IniaError {
  constructor(readonly provider: string, readonly problem: string) {
    super(`Error when retrieving credentials from ${provider}: ${problem}`);
  }
}

/** A shared config or credentials file that cannot be read as one (botocore's ConfigParseError), with file and line. */
export class ConfigParseError extends IniaError {
  constructor(readonly path: string, readonly line: number | undefined, readonly problem: string) {
    super(`Unable to parse config file: ${path}${line === undefined ? '' : `, line ${line}`}: ${problem}`);
  }
}

/** A profile setting that is wrong or incomplete (botocore's InvalidConfigError). */
export class InvalidConfigError extends IniaError {}

export class NoRegionError extends IniaError {
  constructor() {
    super('You must specify a region.');
  }
}

export class ProfileNotFound extends IniaError {
  /** @param searched the files looked in (shown in the message after botocore's text) */
  constructor(readonly profile: string, readonly searched: readonly string[] = []) {
    super(`The config profile (${profile}) could not be found${searched.length ? ` (looked in ${searched.join(' and ')})` : ''}`);
  }
}

export class UnknownServiceError extends IniaError {
  constructor(readonly serviceName: string, readonly closeMatches: readonly string[]) {
    const hint = closeMatches.length
      ? ` Did you mean: ${closeMatches.map((s) => `'${s}'`).join(', ')}?`
      : '';
    super(
      `Unknown service: '${serviceName}'.${hint} Valid service names are listed by session.getAvailableServices().`,
    );
  }
}

/** A client option, Session option or Config option that inia does not know. */
export class UnknownOptionError extends IniaError {
  constructor(readonly where: string, readonly option: string, readonly known: readonly string[]) {
    super(`Unknown ${where} option: '${option}'. Valid options are: ${known.join(', ')}`);
  }
}

/** An option whose value has the wrong type or is out of range. */
export class InvalidOptionError extends IniaError {
  constructor(readonly where: string, readonly option: string, readonly problem: string) {
    super(`Invalid ${where} option '${option}': ${problem}`);
  }
}

export class DataNotFoundError extends IniaError {
  constructor(readonly dataPath: string) {
    super(`Unable to load data for: ${dataPath}`);
  }
}

export class UnknownOperationError extends IniaError {
  constructor(readonly serviceName: string, readonly operationName: string) {
    super(`Service '${serviceName}' has no operation named '${operationName}'`);
  }
}

export class ParamValidationError extends IniaError {
  constructor(readonly report: string) {
    super(`Parameter validation failed:\n${report}`);
  }
}

/** Raised when a model uses a protocol inia cannot speak yet. */
export class UnsupportedProtocolError extends IniaError {
  constructor(readonly serviceName: string, readonly protocols: readonly string[]) {
    super(`Service '${serviceName}' uses protocol(s) ${protocols.join(', ')}, which inia does not support yet`);
  }
}

/**
 * The two families of transport failure, split as botocore splits them, because retry modes
 * tell them apart: legacy mode retries every ConnectionError but, of the HTTPClientErrors,
 * only ConnectionClosedError and ReadTimeoutError; standard mode retries both families.
 */

/** The request could not be sent or its answer could not be read (botocore's HTTPClientError). */
export class HTTPClientError extends IniaError {
  constructor(message: string, readonly endpointUrl: string, override readonly cause?: unknown) {
    super(message);
  }
}

/** No connection to the endpoint could be made (botocore's ConnectionError). */
export class ConnectionError extends IniaError {
  constructor(message: string, readonly endpointUrl: string, override readonly cause?: unknown) {
    super(message);
  }
}

export class EndpointConnectionError extends ConnectionError {
  constructor(endpointUrl: string, cause?: unknown) {
    super(`Could not connect to the endpoint URL: "${endpointUrl}"`, endpointUrl, cause);
  }
}

export class ConnectTimeoutError extends ConnectionError {
  constructor(endpointUrl: string, cause?: unknown) {
    super(`Connect timeout on endpoint URL: "${endpointUrl}"`, endpointUrl, cause);
  }
}

export class ConnectionClosedError extends HTTPClientError {
  constructor(endpointUrl: string, cause?: unknown) {
    super(`Connection was closed before we received a valid response from endpoint URL: "${endpointUrl}".`, endpointUrl, cause);
  }
}

export class ReadTimeoutError extends HTTPClientError {
  constructor(endpointUrl: string, cause?: unknown) {
    super(`Read timeout on endpoint URL: "${endpointUrl}"`, endpointUrl, cause);
  }
}

/**
 * The proxy could not be reached, or refused the CONNECT tunnel (botocore's ProxyConnectionError).
 * `proxyUrl` is masked (`http://**
 * The proxy could not be reached, or refused the CONNECT tunnel (botocore's ProxyConnectionError).
 * `proxyUrl` is masked (`http://***:***@proxy:3128`): credentials never reach a message or a log.
 */
export class ProxyConnectionError extends ConnectionError {
  constructor(readonly proxyUrl: string, endpointUrl: string, cause?: unknown) {
    super(`Failed to connect to proxy URL: "${proxyUrl}"`, endpointUrl, cause);
  }
}

/** A response body that failed the checksum its service sent with it (botocore's ChecksumError). */
export class ChecksumError extends IniaError {
  constructor(readonly checksumType: string, readonly expectedChecksum: number | string, readonly actualChecksum: number | string) {
    super(`Checksum ${checksumType} failed, expected checksum ${expectedChecksum} did not match calculated checksum ${actualChecksum}.`);
  }
}

/** A response body that could not be parsed (truncated, hostile or not what the protocol says). */
export class ResponseParserError extends IniaError {}

/** A streamed response body whose connection failed while it was read (botocore's ResponseStreamingError). */
export class ResponseStreamingError extends HTTPClientError {
  constructor(endpointUrl: string, cause?: unknown) {
    super(`An error occurred while reading from response stream: ${cause instanceof Error ? cause.message : String(cause)}`, endpointUrl, cause);
  }
}

/** A streamed body shorter than its Content-Length (botocore's IncompleteReadError). */
export class IncompleteReadError extends ResponseParserError {
  constructor(readonly actualBytes: number, readonly expectedBytes: number) {
    super(`${actualBytes} read, but total bytes expected is ${expectedBytes}.`);
  }
}

export class WaiterError extends IniaError {
  constructor(readonly waiterName: string, readonly reason: string, readonly lastResponse: unknown) {
    super(`Waiter ${waiterName} failed: ${reason}`);
  }
}

/**
 * A flexible checksum problem (botocore's FlexibleChecksumError): an unsupported algorithm, or a
 * response body that does not match its `x-amz-checksum-*` header. On a mismatch, `details.expected` and
 * `details.calculated` hold the two base64 values and `details.algorithm` the one checked ('crc32', ...).
 */
export class FlexibleChecksumError extends IniaError {
  constructor(
    message: string,
    readonly details: { algorithm?: string; expected?: string; calculated?: string } = {},
  ) {
    super(message);
  }
}

export interface ResponseMetadata {
  RequestId?: string;
  HostId?: string;
  HTTPStatusCode: number;
  HTTPHeaders: Record<string, string>;
  RetryAttempts: number;
  MaxAttemptsReached?: boolean;
}

export interface ErrorResponse {
  Error: { Code: string; Message: string; [key: string]: unknown };
  ResponseMetadata: ResponseMetadata;
  [key: string]: unknown;
}

/** The service answered with an error (botocore's ClientError). */
export class ClientError extends Error {
  readonly response: ErrorResponse;
  readonly operationName: string;

  constructor(response: ErrorResponse, operationName: string) {
    // A module function, not a static: a class that names itself inside gets an inner binding
    // from the bundler (`class _ClientError`), and its `name` would read '_ClientError'.
    super(clientErrorMessage(response, operationName));
    Object.defineProperty(this, 'name', { value: new.target.name, enumerable: false, configurable: true });
    this.response = response;
    this.operationName = operationName;
  }

  /** Shortcut for `response.Error.Code`. */
  get code(): string {
    // A before-call handler's error answer may come without Error (as botocore allows).
    return (this.response.Error as Partial<ErrorResponse['Error']> | undefined)?.Code as string;
  }
}

/** botocore's ClientError.MSG_TEMPLATE. */
function clientErrorMessage(response: ErrorResponse, operationName: string): string {
  // botocore's .get('Code', 'Unknown'): only a missing value is 'Unknown'; an empty one stays empty.
  const error = response.Error as Partial<ErrorResponse['Error']> | undefined;
  const code = error?.Code ?? 'Unknown';
  const message = error?.Message ?? 'Unknown';
  // botocore's _get_retry_info: only when the retry mode marked the attempts exhausted
  // (MaxAttemptsReached), with the retries made so far (RetryAttempts, possibly 0).
  const meta = response.ResponseMetadata;
  const retryInfo = meta?.MaxAttemptsReached === true && meta.RetryAttempts !== undefined ? ` (reached max retries: ${meta.RetryAttempts})` : '';
  return `An error occurred (${code}) when calling the ${operationName} operation${retryInfo}: ${message}`;
}

/** A waiters-2 document that cannot be used: wrong version, unknown matcher, bad JMESPath (botocore's WaiterConfigError). */
export class WaiterConfigError extends IniaError {
  constructor(readonly errorMsg: string) {
    super(`Error processing waiter config: ${errorMsg}`);
  }
}

/**
 * The Stubber (stub.ts) could not answer a call from its queue (botocore's StubResponseError):
 * the call is not the operation queued next.
 */
export class StubResponseError extends IniaError {
  constructor(readonly operationName: string, readonly reason: string) {
    super(`Error getting response stub for operation ${operationName}: ${reason}`);
  }
}

/** A stubbed call's parameters are not the ones expected (botocore's StubAssertionError). */
export class StubAssertionError extends StubResponseError {}

/** A call reached the Stubber with nothing queued (botocore's UnStubbedResponseError). */
export class UnStubbedResponseError extends StubResponseError {}

/** Pagination went wrong: a repeated token, a bad StartingToken or PaginationConfig (botocore's PaginationError). */
export class PaginationError extends IniaError {
  constructor(readonly reason: string) {
    super(`Error during pagination: ${reason}`);
  }
}

/** getPaginator() for an operation that has no paginator (botocore's OperationNotPageableError). */
export class OperationNotPageableError extends IniaError {
  constructor(readonly operationName: string) {
    super(`Operation cannot be paginated: ${operationName}`);
  }
}

/** A request that cannot be signed as given (for instance a stream body with no known hash). */
export class SigningError extends IniaError {}
