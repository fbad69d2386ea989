/**
 * What presigning takes and gives, and its error, without the presigning code (presign.ts),
 * which a client loads on its first generatePresignedUrl or generatePresignedPost.
 */
import type { PolicyCondition } from './auth/presign-post.js';
import { IniaError } from './errors.js';

/** SigV4 presigned URLs live at most seven days (X-Amz-Expires <= 604800): S3 and the other services refuse longer ones. */
export const MAX_PRESIGN_EXPIRES = 604800;
export const DEFAULT_PRESIGN_EXPIRES = 3600;

export interface PresignUrlOptions {
  /** Seconds the URL stays valid: a whole number from 1 to 604800 (7 days). Default 3600. */
  expiresIn?: number;
  /** The HTTP method the URL is signed for; default the operation's own (botocore's HttpMethod). */
  httpMethod?: string;
}

export interface PresignedPostParams {
  Bucket: string;
  /** The object key; a key ending in `${filename}` lets the browser's file name complete it (a starts-with condition). */
  Key: string;
  /** Form fields to send with the upload (acl, Content-Type, x-amz-meta-*...); each needs a matching condition. */
  Fields?: Record<string, string>;
  /** Policy conditions: `{ acl: 'public-read' }`, `['content-length-range', 1, 1048576]`, `['starts-with', '$Content-Type', 'image/']`. */
  Conditions?: PolicyCondition[];
  /** Seconds the policy stays valid. Default 3600. */
  ExpiresIn?: number;
}

export interface PresignedPost {
  /** Where the form is posted: the bucket's endpoint. */
  url: string;
  /** The form fields, to send before the file field. */
  fields: Record<string, string>;
}

/** A request that cannot be expressed as a presigned URL (its body has no query form). */
export class PresignError extends IniaError {}

