/**
 * Python's urllib.parse.unquote and unquote_plus, which botocore's handlers decode with (S3's
 * listing keys, IAM's policy documents): the same text must come out of inia.
 */

/** Python's bytes.decode('utf-8', 'replace'): bad bytes become U+FFFD and a BOM is kept (TextDecoder's default drops it). */
const UTF8_REPLACE = new TextDecoder('utf-8', { ignoreBOM: true });

/** urllib.parse.unquote: runs of %XX decoded as UTF-8; '+' and a '%' without two hex digits kept. */
export function unquote(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    const bytes = new Uint8Array(run.length / 3);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(run.slice(i * 3 + 1, i * 3 + 3), 16);
    return UTF8_REPLACE.decode(bytes);
  });
}

/** urllib.parse.unquote_plus: as unquote, with '+' read as a space first (form encoding). */
export function unquotePlus(text: string): string {
  return unquote(text.includes('+') ? text.replace(/\+/g, ' ') : text);
}
