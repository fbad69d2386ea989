/**
 * The checksum algorithms of flexible checksums, behind one incremental interface.
 *
 * CRC32 is Node's own zlib.crc32 (native, node >= 20.15); the SHA family and MD5 are
 * node:crypto; CRC32C and CRC64NVME come from the AWS libraries (@aws-crypto/crc32c,
 * @aws-sdk/crc64-nvme), as botocore takes them from the CRT.
 *
 * Why digest() is async: @aws-sdk/crc64-nvme only exposes `digest(): Promise<Uint8Array>`.
 * One shape for every algorithm keeps the callers (header, trailer, response validation)
 * free of per-algorithm branches; they all run in async code anyway.
 */
import type { Hash } from 'node:crypto';
import { nodeCrypto, nodeZlib } from '../builtins.js';
import { IniaError } from '../errors.js';
import { crc32c, crc64Nvme, type Crc32c as Crc32cModule, type Crc64Nvme as Crc64NvmeModule } from '../vendor.js';

/*
 * The two libraries load on first use (loadChecksum, through vendor.ts): about 30 ms of module
 * loading, and 40 KB for a bundle to compile, that a process which never meets CRC32C or
 * CRC64NVME should not pay at start-up. vendor.ts loads them synchronously; loadChecksum keeps
 * its async shape, which its callers await.
 */
let crc32cModule: Crc32cModule | undefined;
let crc64NvmeModule: Crc64NvmeModule | undefined;

/** Algorithm names as botocore keys them (lowercase, as in `x-amz-checksum-<name>`). */
export type ChecksumAlgorithmName = 'crc32' | 'crc32c' | 'crc64nvme' | 'sha1' | 'sha256' | 'sha512' | 'md5';

export interface Checksum {
  update(chunk: Uint8Array): void;
  /** The digest of everything passed to update(); call once. */
  digest(): Promise<Uint8Array>;
}

/** Flexible-checksum algorithms inia can compute: botocore's with the CRT, minus the xxhash family. */
export const FLEXIBLE_CHECKSUM_ALGORITHMS: readonly ChecksumAlgorithmName[] = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256', 'sha512'];

/** botocore's _CRT_CHECKSUM_ALGORITHMS that inia does not implement (they need the CRT there). */
export const UNIMPLEMENTED_CRT_ALGORITHMS: readonly string[] = ['xxhash64', 'xxhash3', 'xxhash128'];

/** Bytes of each digest: the base64 length of a trailer line follows from it. */
export const DIGEST_LENGTH: Readonly<Record<ChecksumAlgorithmName, number>> = {
  crc32: 4,
  crc32c: 4,
  crc64nvme: 8,
  sha1: 20,
  sha256: 32,
  sha512: 64,
  md5: 16,
};

function uint32BigEndian(value: number): Uint8Array {
  const out = new Uint8Array(4);
  new DataView(out.buffer).setUint32(0, value >>> 0, false);
  return out;
}

class Crc32Checksum implements Checksum {
  #value = 0;
  update(chunk: Uint8Array): void {
    this.#value = nodeZlib().crc32(chunk, this.#value);
  }
  async digest(): Promise<Uint8Array> {
    return uint32BigEndian(this.#value);
  }
}

class Crc32cChecksum implements Checksum {
  readonly #crc: InstanceType<Crc32cModule['Crc32c']>;
  constructor(lib: Crc32cModule) {
    this.#crc = new lib.Crc32c();
  }
  update(chunk: Uint8Array): void {
    this.#crc.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return uint32BigEndian(this.#crc.digest());
  }
}

class Crc64NvmeChecksum implements Checksum {
  readonly #crc: InstanceType<Crc64NvmeModule['Crc64Nvme']>;
  constructor(lib: Crc64NvmeModule) {
    this.#crc = new lib.Crc64Nvme();
  }
  update(chunk: Uint8Array): void {
    this.#crc.update(chunk);
  }
  digest(): Promise<Uint8Array> {
    return this.#crc.digest();
  }
}

class HashChecksum implements Checksum {
  readonly #hash: Hash;
  constructor(algorithm: string) {
    this.#hash = nodeCrypto().createHash(algorithm);
  }
  update(chunk: Uint8Array): void {
    this.#hash.update(chunk);
  }
  async digest(): Promise<Uint8Array> {
    return this.#hash.digest();
  }
}

export function isChecksumAlgorithm(name: string): name is ChecksumAlgorithmName {
  return Object.hasOwn(DIGEST_LENGTH, name);
}

/** Loads what an algorithm needs (once); createChecksum() may be called for it afterwards. */
export async function loadChecksum(algorithm: ChecksumAlgorithmName): Promise<void> {
  if (algorithm === 'crc32c') crc32cModule ??= crc32c();
  else if (algorithm === 'crc64nvme') crc64NvmeModule ??= crc64Nvme();
}

/**
 * A fresh incremental checksum. CRC32C and CRC64NVME need loadChecksum() first (newChecksum
 * does both); the others are always available.
 */
export function createChecksum(algorithm: ChecksumAlgorithmName): Checksum {
  switch (algorithm) {
    case 'crc32':
      return new Crc32Checksum();
    case 'crc32c':
      if (crc32cModule === undefined) throw notLoaded(algorithm);
      return new Crc32cChecksum(crc32cModule);
    case 'crc64nvme':
      if (crc64NvmeModule === undefined) throw notLoaded(algorithm);
      return new Crc64NvmeChecksum(crc64NvmeModule);
    case 'sha1':
    case 'sha256':
    case 'sha512':
    case 'md5':
      return new HashChecksum(algorithm);
  }
}

function notLoaded(algorithm: ChecksumAlgorithmName): IniaError {
  return new IniaError(`The ${algorithm} checksum is not loaded yet: await loadChecksum('${algorithm}') (or use newChecksum) first`);
}

/** A fresh incremental checksum, its library loaded if need be. */
export async function newChecksum(algorithm: ChecksumAlgorithmName): Promise<Checksum> {
  await loadChecksum(algorithm);
  return createChecksum(algorithm);
}

export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** botocore's b64digest(): the digest as base64 text, the form every header and trailer carries. */
export async function base64Digest(checksum: Checksum): Promise<string> {
  return toBase64(await checksum.digest());
}

/** A one-shot digest of bytes or text (UTF-8). */
export async function computeChecksum(algorithm: ChecksumAlgorithmName, data: Uint8Array | string): Promise<Uint8Array> {
  const checksum = await newChecksum(algorithm);
  checksum.update(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
  return checksum.digest();
}

export async function computeBase64Checksum(algorithm: ChecksumAlgorithmName, data: Uint8Array | string): Promise<string> {
  return toBase64(await computeChecksum(algorithm, data));
}
