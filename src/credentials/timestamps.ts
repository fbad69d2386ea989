/**
 * Timestamps as the credential sources write them (token cache, IMDS, container, credential_process),
 * read as botocore reads them with dateutil, and the whole-second UTC form botocore writes.
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?\s*(Z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Epoch ms of an ISO 8601 timestamp, as botocore reads them with dateutil: `Z`, `UTC` or an
 * offset, optional fractional seconds. One without a zone is taken as UTC (botocore would fail
 * comparing it with an aware clock). Returns undefined for text that is not a timestamp.
 */
export function parseTimestamp(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const m = TIMESTAMP.exec(text.trim());
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0), ms);
  if (Number.isNaN(utc) || new Date(utc).getUTCDate() !== Number(d)) return undefined;
  return utc - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string | undefined): number {
  if (zone === undefined || /^(z|utc|gmt)$/i.test(zone)) return 0;
  const digits = zone.replace(':', '');
  const minutes = Number(digits.slice(1, 3)) * 60 + Number(digits.slice(3, 5) || 0);
  return (zone.startsWith('-') ? -1 : 1) * minutes * 60_000;
}

/** botocore's '%Y-%m-%dT%H:%M:%SZ' (whole seconds, UTC): the format of the token cache and of SSO expirations. */
export function formatUtcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
