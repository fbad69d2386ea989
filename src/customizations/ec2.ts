/** EC2's quirks, as botocore's handlers treat them. */
import type { EventArgs, HierarchicalEmitter } from '../events.js';
import { registerParameterAlias } from './parameter-aliases.js';

export function registerEc2Customizations(events: HierarchicalEmitter): void {
  // A handful of EC2 operations name their filter list `Filter`; `Filters` is accepted too.
  registerParameterAlias(events, 'ec2.*', 'Filter', 'Filters');
  events.register('before-parameter-build.ec2.RunInstances', base64EncodeUserData, 'ec2-base64-user-data');
  events.register('after-call.ec2.GetConsoleOutput', decodeConsoleOutput, 'ec2-decode-console-output');
}

/**
 * botocore's base64_encode_user_data: the service wants UserData base64-encoded, and botocore
 * does that for the caller (text as UTF-8 first), so the caller passes the script itself.
 * A value that is neither text nor bytes is left for the validator to report.
 */
export function base64EncodeUserData(args: EventArgs): void {
  const params = args.params as Record<string, unknown>;
  const value = params.UserData;
  if (typeof value === 'string') params.UserData = Buffer.from(value, 'utf8').toString('base64');
  else if (value instanceof Uint8Array) params.UserData = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
}

/**
 * botocore's decode_console_output: the console output comes base64-encoded; it is returned
 * decoded, as text (bytes that are not UTF-8 become U+FFFD). Output that does not decode (or
 * has characters beyond Latin-1, which botocore cannot turn into bytes) is left as it came.
 */
function decodeConsoleOutput(args: EventArgs): void {
  const parsed = args.parsed as Record<string, unknown>;
  const output = parsed.Output;
  if (typeof output !== 'string') return;
  const bytes = pythonB64Decode(output);
  if (bytes !== undefined) parsed.Output = UTF8_REPLACE.decode(bytes);
}

/** Python's bytes.decode('utf-8', 'replace'): a leading BOM is kept (TextDecoder would drop it). */
const UTF8_REPLACE = new TextDecoder('utf-8', { ignoreBOM: true });

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64_VALUES = new Int8Array(256).fill(-1);
for (let i = 0; i < B64.length; i++) B64_VALUES[B64.charCodeAt(i)] = i;

/**
 * Python's base64.b64decode(text.encode('latin-1')) (binascii.a2b_base64, non-strict):
 * characters outside the alphabet are skipped, a complete pad ends the input, and a final
 * group of one character or missing padding fails (undefined, where Python raises).
 */
export function pythonB64Decode(text: string): Uint8Array | undefined {
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let length = 0;
  let quad = 0;
  let left = 0;
  let pads = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0xff) return undefined; // not Latin-1: botocore's bytes(..., 'latin-1') fails
    if (code === 0x3d /* = */) {
      if (quad >= 2 && quad + ++pads >= 4) return out.subarray(0, length);
      continue;
    }
    const value = B64_VALUES[code]!;
    if (value < 0) continue;
    pads = 0;
    switch (quad) {
      case 0:
        quad = 1;
        left = value;
        break;
      case 1:
        quad = 2;
        out[length++] = (left << 2) | (value >> 4);
        left = value & 0x0f;
        break;
      case 2:
        quad = 3;
        out[length++] = (left << 4) | (value >> 2);
        left = value & 0x03;
        break;
      default:
        quad = 0;
        out[length++] = (left << 6) | value;
        left = 0;
    }
  }
  return quad === 0 ? out.subarray(0, length) : undefined;
}
