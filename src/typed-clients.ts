// The public types use Node's (Readable, FileHandle, NodeJS.ProcessEnv): load them for users whose tsconfig does not.
/// <reference types="node" preserve="true" />
/**
 * The types behind typed clients. Nothing here exists at run time.
 *
 * `scripts/generate-types.ts` writes one declaration file per service from the bundled models
 * (dist/types/services/<service>.d.ts), each adding its client to `ServiceClients` by module
 * augmentation, and the list of service names. The package's types entry (dist/types/index.d.ts)
 * loads all of them, so for a user `client('s3')` is an `S3Client`, a misspelt service,
 * operation or member is a type error, and inputs and outputs are the model's shapes.
 *
 * TypeScript loads every file a program's imports reach, type-only imports included, so that
 * entry makes the compiler read all ~420 service files. Projects that want only the services
 * they use set the `inia-lean` condition (tsconfig `customConditions: ["inia-lean"]`): the
 * entry then loads the names only, and `import type {} from 'inia/types/s3'` brings in S3.
 *
 * Without the generated files (inia's own sources and tests compile against src/ alone) a
 * service name is any string and a client is the untyped `Client`.
 *
 * The generated files reach every helper below as `$.Name` (`import type * as $`), so that no
 * shape name (S3 has shapes named `Object` and `Error`, Kinesis one named `Record`) can shadow
 * what they mean.
 */
import type { FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type { BaseClient, CallOptions } from './client.js';
import type { ClientError, ErrorResponse, ResponseMetadata } from './errors.js';
import type { StreamingBody } from './http/streaming-body.js';
import type { Paginator } from './paginate.js';
import type { PresignedPost, PresignedPostParams, PresignUrlOptions } from './presign.js';
import type { Client } from './session.js';
import type { Waiter } from './waiter.js';

export type { BaseClient, CallOptions, ClientError, ErrorResponse, Paginator, PresignedPost, PresignedPostParams, PresignUrlOptions, ResponseMetadata, StreamingBody, Waiter };

/**
 * Service name -> typed client. Each generated service file adds its own entry
 * (`declare module '.../typed-clients.js' { interface ServiceClients { s3: S3Client } }`), so a
 * program has the typed clients of the service files it loads: all of them through the
 * package's default types entry, only the imported ones under the `inia-lean` condition.
 */
export interface ServiceClients {}

/** Every service name inia has a model for (generated dist/types/names.d.ts adds them). */
export interface ServiceNames {}

/** A service inia has a model for ('s3', 'dynamodb', ...); any string when the generated names are not loaded. */
export type ServiceName = [keyof ServiceNames] extends [never] ? string : keyof ServiceNames & string;

/**
 * The client `client(name)` returns: the service's typed client for one name whose types are
 * loaded; the untyped `Client` for a name typed only as `ServiceName` or `string` (a service
 * chosen at run time) or a service whose types the program did not load; a union of typed
 * clients for a union of a few names.
 */
export type ServiceClient<S extends string> = [S] extends [keyof ServiceClients & string]
  ? [ServiceName] extends [S]
    ? Client
    : ServiceClients[S]
  : Client;

/**
 * What every client has, typed or not: BaseClient without the members a typed client narrows
 * (a typed client's `getPaginator('listObjectsV2')` returns a Paginator of that operation's
 * shapes, which the untyped signature could not be a supertype of). Typed clients extend this;
 * APIs that take any client (the Stubber) take this. `generatePresignedPost` is left out too:
 * only S3's typed client has it, as only botocore's S3 client does.
 */
export type ClientCore = Omit<BaseClient, 'getPaginator' | 'getWaiter' | 'generatePresignedUrl' | 'generatePresignedPost'>;

// ------------------------------------------------------------------ member types

/** A timestamp in an input: a Date, an ISO 8601 / RFC 822 string, or epoch seconds. */
export type TimestampInput = Date | string | number;
/** A timestamp in an output. */
export type Timestamp = Date;
/** A blob in an input: bytes, or a string sent as its UTF-8 bytes. */
export type BlobInput = string | ArrayBuffer | ArrayBufferView;
/** A blob in an output. */
export type Blob = Uint8Array;
/** A streaming input member (S3 PutObject's Body) or a blob payload: bytes, a string, a Readable, or an open file. */
export type StreamingInput = BlobInput | Readable | FileHandle;
/** A 64-bit integer in an input of a protocol that can write one exactly (query, ec2, XML, CBOR). */
export type LongInput = number | bigint;
/** A document member: any JSON value. */
export type DocumentType = null | boolean | number | string | DocumentType[] | { [key: string]: DocumentType };
/** A member holding an event stream, which inia does not support yet (the call fails with IniaError). */
export type EventStream = never;
/**
 * An enum: its values, or any other string. The models' enums are open (botocore does not
 * refuse other values, and services add values); the literals are for completion and checks
 * against them.
 */
// `string & {}` keeps the literals in completion lists where plain `string` would absorb them.
export type Enum<Values extends string> = Values | (string & {});

/**
 * A tagged union in an input: exactly one member set. Checked at run time too
 * (ParamValidationError), as botocore does.
 */
export type OneOf<Members> = {
  [K in keyof Members]: { [P in K]-?: Members[K] } & { [P in Exclude<keyof Members, K>]?: never };
}[keyof Members];

/** The parameters of an operation whose input has no members. */
export type NoParams = { readonly [member: string]: never };

/** What an operation's method resolves to: the output plus ResponseMetadata. */
export type Call<Output> = Promise<Output & { ResponseMetadata: ResponseMetadata }>;

/** The class of a modeled error (`s3.exceptions.NoSuchKey`); `instanceof` narrows to it. */
export type ModeledError<Fields> = new (response: ErrorResponse, operationName: string) => ModeledClientError<Fields>;

/** A modeled error: a ClientError whose `response` also carries the error shape's members. */
export interface ModeledClientError<Fields> extends ClientError {
  readonly response: ErrorResponse & Fields;
}

/** The parameters of a typed operation method (for generatePresignedUrl). */
export type ParamsOf<Method> = Method extends (params: infer P, options?: CallOptions) => unknown ? NonNullable<P> : never;

/** The input or output of an operation that has none (paginators and waiters of such operations). */
export type Empty = {};

/** What generatePresignedUrl resolves to. */
export type PresignedUrl = Promise<string>;

/** What generatePresignedPost resolves to. */
export type PresignedPostResult = Promise<PresignedPost>;
