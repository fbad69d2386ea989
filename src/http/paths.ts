/** URL path helpers shared by the signer and the endpoint rules. */

/**
 * RFC 3986 dot-segment removal, empty segments dropped too (botocore's remove_dot_segments: AWS
 * services want consecutive slashes collapsed).
 */
export function removeDotSegments(path: string): string {
  if (!path) return '';
  const output: string[] = [];
  for (const segment of path.split('/')) {
    if (!segment || segment === '.') continue;
    if (segment === '..') output.pop();
    else output.push(segment);
  }
  const first = path.charCodeAt(0) === 0x2f ? '/' : '';
  const last = path.charCodeAt(path.length - 1) === 0x2f && output.length > 0 ? '/' : '';
  return first + output.join('/') + last;
}
