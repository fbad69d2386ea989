/**
 * Response timestamps: the ISO 8601 fast path in values.ts must read exactly what Date's own
 * parser reads (to the millisecond), and must leave everything else to the general path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseTimestamp } from '../../src/protocols/values.js';

const pad = (n: number, w: number): string => String(n).padStart(w, '0');

test('ISO UTC timestamps read as Date reads them, across years, months, leap days and fractions', () => {
  const fractions = ['', '.0', '.5', '.05', '.123', '.999', '.1234', '.9999999', '.000000001'];
  let checked = 0;
  for (const year of [1000, 1582, 1900, 1970, 1999, 2000, 2004, 2024, 2026, 2100, 2400, 9999]) {
    for (let month = 1; month <= 12; month++) {
      for (const day of [1, 15, 28, 29, 30, 31]) {
        for (const [h, m, s] of [[0, 0, 0], [12, 34, 56], [23, 59, 59]] as const) {
          const base = `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(h, 2)}:${pad(m, 2)}:${pad(s, 2)}`;
          for (const fraction of fractions) {
            const text = `${base}${fraction}Z`;
            const expected = new Date(text).getTime();
            if (Number.isNaN(expected)) {
              // Feb 30 and friends: Date refuses them, and so must we.
              assert.throws(() => parseTimestamp(text), /Invalid timestamp/, text);
            } else {
              assert.equal(parseTimestamp(text).getTime(), expected, text);
            }
            checked++;
          }
        }
      }
    }
  }
  assert.ok(checked > 10_000);
});

test('timestamps outside the fast form still go the general way', () => {
  const same = (text: string, expectedIso: string): void => assert.equal(parseTimestamp(text).toISOString(), expectedIso, text);
  same('2026-11-23T10:00:00+02:00', '2026-11-23T08:00:00.000Z');
  same('2026-11-23T10:00:00.5+00:00', '2026-11-23T10:00:00.500Z');
  same('Mon, 23 Nov 2026 10:00:00 GMT', '2026-11-23T10:00:00.000Z');
  same('1398796238', '2014-04-29T18:30:38.000Z');
  same('1398796238.123', '2014-04-29T18:30:38.123Z');
  same(' 2026-11-23T10:00:00Z ', '2026-11-23T10:00:00.000Z');
  for (const bad of ['2026-13-01T00:00:00Z', '2026-11-23T24:00:01Z', '2026-11-23T10:60:00Z', '2026-11-23T10:00:00.Z', '2026-1a-23T10:00:00Z', 'not a date', '']) {
    assert.throws(() => parseTimestamp(bad), /Invalid timestamp/, bad);
  }
});
