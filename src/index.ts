// The public types use Node's (Readable, FileHandle, NodeJS.ProcessEnv): load them for users whose tsconfig does not.
/// <reference types="node" preserve="true" />
/** inia's public API (docs/api/ describes it). Nothing else is exported. */
export { Session, client, setupDefaultSession, getDefaultSession } from './session.js';
export type { Client, ClientOptions, SessionOptions, CredentialsInput } from './session.js';
export type { ServiceClients, ServiceClient, ServiceName, ClientCore } from './typed-clients.js';
export { BaseClient } from './client.js';
export type { ClientMeta, ClientExceptions, OperationMethod, CallOptions } from './client.js';
export { Config } from './config.js';
export type { ConfigOptions, RetriesConfig, RetryMode, S3Config } from './config.js';
export { Credentials } from './credentials/credentials.js';
export { RefreshableCredentials } from './credentials/refreshable.js';
export type { CredentialProvider, CredentialsData } from './credentials/types.js';
export { HierarchicalEmitter } from './events.js';
export { StreamingBody } from './http/streaming-body.js';
export { ServiceModel, OperationModel, Shape } from './models/shapes.js';
export { Loader } from './models/loader.js';
export {
  ClientError,
  IniaError,
  NoCredentialsError,
  PartialCredentialsError,
  CredentialRetrievalError,
  ConfigParseError,
  InvalidConfigError,
  NoRegionError,
  ProfileNotFound,
  UnknownServiceError,
  UnknownOptionError,
  InvalidOptionError,
  UnknownOperationError,
  DataNotFoundError,
  ParamValidationError,
  UnsupportedProtocolError,
  HTTPClientError,
  ConnectionError,
  EndpointConnectionError,
  ConnectionClosedError,
  ConnectTimeoutError,
  ProxyConnectionError,
  ReadTimeoutError,
  ResponseParserError,
  ResponseStreamingError,
  IncompleteReadError,
  WaiterError,
  FlexibleChecksumError,
  ChecksumError,
} from './errors.js';
export type { ErrorResponse, ResponseMetadata } from './errors.js';
export { EndpointResolutionError } from './endpoints/ruleset.js';
export { VERSION } from './version.js';
// botocore.UNSIGNED (a choose-signer answer: send the request with no signature), and the errors of the signer choice.
export { UNSIGNED, NoAuthTokenError, type SignatureVersion } from './auth/choice.js';
export { SigningError } from './errors.js';
// botocore's AliasConflictParameterError: both names of a parameter alias given (EC2 Filter and Filters).
export { AliasConflictParameterError } from './customizations/parameter-aliases.js';
export { UnsupportedSignatureVersionError } from './customizations/common.js';
export { PresignError, MAX_PRESIGN_EXPIRES, type PresignUrlOptions, type PresignedPostParams, type PresignedPost } from './presign-options.js';
export type { PolicyCondition } from './auth/presign-post.js';
// The Stubber is 'inia/stub' (a re-export of these, so that its classes are the package's own).
export { Stubber, ANY } from './stub.js';
export { PaginationError, OperationNotPageableError } from './errors.js';
export { Waiter, type WaiterConfig, type WaitArgs, type WaitOptions } from './waiter.js';
export { Paginator, PageIterator, type PaginationConfig, type PaginateParams, type PaginateArgs, type Page, type TypedPage } from './paginate.js';
export { StubResponseError, StubAssertionError, UnStubbedResponseError } from './errors.js';
