/**
 * The fast path for XML response bodies: one pass over the text, guided by the output shape,
 * that builds the result directly instead of an element tree that shape-parser.ts then walks.
 *
 * Why: a 1000-key ListObjectsV2 page has about 9000 elements. Building the tree and walking it
 * took about 2.4 ms of the 3.5 ms such a call cost (bench/, list1000); reading it in one pass
 * allocates only the result and takes well under half of that.
 *
 * The contract is simple: `parseXmlStructureDirect` either returns exactly what
 * `parseXmlStructure(parseXmlBody(body), shape)` returns, or gives up. It gives up (throws
 * BAIL internally) on anything outside the common case: a shape with xmlAttribute members,
 * unions, maps or exception shapes, a scalar element with child elements, a repeated wrapped
 * list, a document that is malformed in any way, and also on well-formed rarities. `parseXmlFast`
 * then runs the tree parser, which decides: it returns the botocore reading or raises the same
 * ResponseParserError as always. So all safety rules (no DOCTYPE or entity declarations, depth
 * limit, truncation) are the tree parser's, and this path only has to refuse what it does not
 * understand. Every loop here advances through the input, so the pass is linear and bounded.
 */
import type { Shape } from '../../models/shapes.js';
import { DEFAULT_MAX_DEPTH, decoder, decodeAttribute, decodeEntities, decodeText, endsName, isWhitespace, localNameOf, normalizeLineEnds } from './reader.js';
import { parseXmlBody, parseXmlScalar, parseXmlStructure } from './shape-parser.js';
import { parseTimestamp } from '../values.js';

/** Thrown (never escapes this module) when the document needs the tree parser. */
const BAIL: unique symbol = Symbol('inia.xml.bail');

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

/** Members located outside the body (rest-xml headers, the status code), as shape-parser skips them. */
const NON_BODY_LOCATIONS = new Set(['header', 'headers', 'statusCode']);

const enum Kind {
  Scalar,
  Structure,
  List,
  FlattenedList,
}

/** How a scalar's text becomes its value; the common types are read here, the rest by parseXmlScalar. */
const enum Scalar {
  String,
  Timestamp,
  Integer,
  Other,
}

/** What to read from one element: computed once per shape, so the scan never asks the model. */
interface ValueNode {
  readonly kind: Kind;
  readonly shape: Shape;
  readonly scalar: Scalar;
  /** A wrapped list's item (computed on first use: shapes may be recursive). */
  item: ValueNode | null | undefined;
}

const nodes = new WeakMap<Shape, ValueNode | null>();

function scalarOf(shape: Shape): Scalar {
  switch (shape.typeName) {
    case 'string':
    case 'character':
      return Scalar.String;
    case 'timestamp':
      return Scalar.Timestamp;
    case 'integer':
    case 'long':
    case 'short':
    case 'byte':
      return Scalar.Integer;
    default:
      return Scalar.Other;
  }
}

/** The node for a shape read as a whole element, or null when the tree parser must read it. */
function nodeFor(shape: Shape): ValueNode | null {
  let node = nodes.get(shape);
  if (node !== undefined) return node;
  const kind = kindOf(shape);
  node = kind === undefined || kind === Kind.FlattenedList ? null : { kind, shape, scalar: kind === Kind.Scalar ? scalarOf(shape) : Scalar.Other, item: undefined };
  nodes.set(shape, node);
  return node;
}

function itemNodeOf(list: ValueNode): ValueNode | null {
  if (list.item === undefined) list.item = nodeFor(list.shape.member);
  return list.item;
}

interface DirectMember {
  readonly name: string;
  readonly index: number;
  /** True for a flattened list: each element is one item, and the items gather into a list. */
  readonly flattened: boolean;
  /** What one element holds: the member's value, or for a flattened list one item. */
  readonly node: ValueNode;
}

interface DirectPlan {
  /** Members in model order: the result's keys come out in this order, as botocore's do. */
  readonly members: DirectMember[];
  /** The element name of each member, by index. */
  readonly xmlNames: string[];
  readonly byXmlName: Map<string, DirectMember>;
  /** Names that only the tree parser reads right (a flattened list's fallback name). */
  readonly bailNames: Set<string>;
}

const plans = new WeakMap<Shape, DirectPlan | null>();

function kindOf(shape: Shape): Kind | undefined {
  switch (shape.typeName) {
    case 'structure':
      return shape.isException || shape.isTaggedUnion ? undefined : Kind.Structure;
    case 'list':
      return shape.serialization.flattened ? Kind.FlattenedList : Kind.List;
    case 'map':
      return undefined;
    default:
      return Kind.Scalar;
  }
}

/** The plan for a structure, or null when the tree parser must read it. Computed once per shape. */
function planFor(shape: Shape): DirectPlan | null {
  let plan = plans.get(shape);
  if (plan !== undefined) return plan;
  plan = buildPlan(shape);
  plans.set(shape, plan);
  return plan;
}

function buildPlan(shape: Shape): DirectPlan | null {
  if (shape.isException || shape.isTaggedUnion) return null;
  const members: DirectMember[] = [];
  const xmlNames: string[] = [];
  const byXmlName = new Map<string, DirectMember>();
  const bailNames = new Set<string>();
  for (const [name, member] of shape.members) {
    const ser = member.serialization;
    if ((ser.location !== undefined && NON_BODY_LOCATIONS.has(ser.location)) || ser.eventheader) continue;
    if (ser.xmlAttribute) return null;
    const kind = kindOf(member);
    if (kind === undefined) return null;
    let xmlName = ser.name ?? name;
    let node: ValueNode | null;
    if (kind === Kind.FlattenedList) {
      const itemShape = member.member;
      const itemName = itemShape.serialization.name;
      if (itemName !== undefined && itemName !== xmlName) {
        bailNames.add(xmlName);
        xmlName = itemName;
      }
      node = nodeFor(itemShape);
      // A flattened list of lists or maps: the tree parser's business.
      if (node === null || node.kind === Kind.List) return null;
    } else {
      node = nodeFor(member);
      if (node === null) return null;
    }
    // Two members read from one element name: the tree parser's grouping decides.
    if (byXmlName.has(xmlName)) return null;
    const entry: DirectMember = { name, index: members.length, flattened: kind === Kind.FlattenedList, node };
    members.push(entry);
    xmlNames.push(xmlName);
    byXmlName.set(xmlName, entry);
  }
  for (const name of bailNames) if (byXmlName.has(name)) bailNames.delete(name);
  return { members, xmlNames, byXmlName, bailNames };
}

/** The scanner's state: the text, the position, and the last start tag read. */
class Cursor {
  i = 0;
  depth = 0;
  /** Position of the next '&' at or after some earlier point (n when none): keeps the entity check linear. */
  nextAmp = -1;
  /** Likewise for '\r', which text must normalize. */
  nextCr = -1;
  /** The start tag just read: its name as written (`prefix:` included), and whether it was `<x/>`. */
  name = '';
  selfClosing = false;
  /** The current segment of the document (see segmentsOf) and its length; c.i indexes it. */
  s: string;
  n: number;
  private seg = 0;

  constructor(private readonly segments: readonly string[]) {
    this.s = segments[0]!;
    this.n = this.s.length;
  }

  /** Moves to the start of the next segment; false at the last one. */
  nextSegment(): boolean {
    if (this.seg + 1 >= this.segments.length) return false;
    this.s = this.segments[++this.seg]!;
    this.n = this.s.length;
    this.i = 0;
    this.nextAmp = -1;
    this.nextCr = -1;
    return true;
  }

  get atLastSegment(): boolean {
    return this.seg === this.segments.length - 1;
  }
}

/**
 * Bodies are read as text in segments of about 64 KiB, each ending just before a start tag,
 * instead of one string. Why: a string over 128 KiB is a V8 large object, and allocating one
 * for a 317 KB listing took 0.24 ms, as long as a fifth of the whole parse; 64 KiB segments
 * take a tenth of that. Cutting only before start tags (`<` then a name) keeps every tag,
 * every text and every end tag inside one segment, so only the search for an element's next
 * child ever crosses into the next segment. A `<x` inside a CDATA section or a comment can
 * be mistaken for a cut point: the section then looks unterminated and the parse falls back
 * to the tree parser, which is correct, only slower.
 */
const SEGMENT_BYTES = 64 * 1024;

/** Whether the byte after the '<' at `lt` starts a name (so the '<' opens a start tag). */
function isStartTagAt(bytes: Uint8Array, lt: number): boolean {
  if (lt + 1 >= bytes.length) return false;
  const ch = bytes[lt + 1]!;
  return ch !== SLASH && ch !== BANG && ch !== QUESTION && !endsName(ch);
}

/**
 * Cut points are found in the bytes ('<' never occurs inside a multi-byte UTF-8 sequence),
 * and each segment is decoded on its own: flat strings, no concatenation or slicing, which
 * would make every later character access go through an indirection.
 */
export function segmentsOf(body: Uint8Array | string): string[] {
  if (typeof body === 'string') return [body];
  if (body.length <= 2 * SEGMENT_BYTES) return [decoder.decode(body)];
  // The prolog stays with the root: no cut at or before the first start tag.
  let first = body.indexOf(LT);
  while (first !== -1 && !isStartTagAt(body, first)) first = body.indexOf(LT, first + 1);
  const segments: string[] = [];
  let start = 0;
  while (body.length - start > 2 * SEGMENT_BYTES) {
    let cut = body.lastIndexOf(LT, start + SEGMENT_BYTES);
    while (cut > start && cut > first && !isStartTagAt(body, cut)) cut = body.lastIndexOf(LT, cut - 1);
    if (cut <= start || cut <= first) break; // no start tag in this stretch: the rest stays one piece
    segments.push(decoder.decode(body.subarray(start, cut)));
    start = cut;
  }
  segments.push(decoder.decode(body.subarray(start)));
  return segments;
}

/** Text the result ignores (between structure members) must still be valid XML text. */
function checkIgnoredText(c: Cursor, start: number, end: number): void {
  if (c.nextAmp < start) {
    const amp = c.s.indexOf('&', start);
    c.nextAmp = amp === -1 ? c.n : amp;
  }
  if (c.nextAmp < end) decodeText(c.s, start, end); // throws on a bad reference
}

/**
 * Character data in [start, end) with no markup inside: a plain slice unless an '&' or a '\r'
 * falls in it. Where those are is tracked for the whole text, so finding them stays linear.
 */
function textOf(c: Cursor, start: number, end: number): string {
  if (c.nextAmp < start) {
    const amp = c.s.indexOf('&', start);
    c.nextAmp = amp === -1 ? c.n : amp;
  }
  if (c.nextCr < start) {
    const cr = c.s.indexOf('\r', start);
    c.nextCr = cr === -1 ? c.n : cr;
  }
  if (c.nextCr < end) return decodeText(c.s, start, end);
  return c.nextAmp < end ? decodeEntities(c.s, start, end, c.nextAmp, 0) : c.s.slice(start, end);
}

/**
 * Whether a start tag with this exact name begins at c.i (just after '<'). Names are compared
 * in place with startsWith, which is far cheaper than scanning them a character at a time.
 */
function startsTag(c: Cursor, name: string): boolean {
  return c.s.startsWith(name, c.i) && endsName(c.s.charCodeAt(c.i + name.length));
}

/** Reads a start tag of any name; c.i is just after '<'. Leaves c.i after '>' and the tag in the cursor. */
function readStartTag(c: Cursor): void {
  const s = c.s;
  const n = c.n;
  const start = c.i;
  let j = start;
  while (j < n && !endsName(s.charCodeAt(j))) j++;
  const name = s.slice(start, j);
  const colon = name.indexOf(':');
  if (j === start || colon === 0 || colon === name.length - 1) throw BAIL;
  c.name = name;
  c.i = j;
  readAttributes(c);
}

/** A start tag whose name (known to startsTag) is at c.i. */
function readKnownStartTag(c: Cursor, name: string): void {
  c.name = name;
  c.i += name.length;
  readAttributes(c);
}

/** The rest of a start tag after its name: attributes checked as the tree parser checks them, then ignored. */
function readAttributes(c: Cursor): void {
  const s = c.s;
  const n = c.n;
  let j = c.i;
  // The common case first: `<Name>`.
  if (s.charCodeAt(j) === GT) {
    c.selfClosing = false;
    c.i = j + 1;
    return;
  }
  let attributeNames: string[] | undefined;
  for (;;) {
    let sawSpace = false;
    while (j < n && isWhitespace(s.charCodeAt(j))) {
      j++;
      sawSpace = true;
    }
    if (j >= n) throw BAIL;
    const a = s.charCodeAt(j);
    if (a === GT) {
      c.selfClosing = false;
      j++;
      break;
    }
    if (a === SLASH) {
      if (s.charCodeAt(j + 1) !== GT) throw BAIL;
      c.selfClosing = true;
      j += 2;
      break;
    }
    if (!sawSpace) throw BAIL;
    const attrStart = j;
    while (j < n && !endsName(s.charCodeAt(j))) j++;
    if (j === attrStart) throw BAIL;
    const attrName = s.slice(attrStart, j);
    while (j < n && isWhitespace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== EQUALS) throw BAIL;
    j++;
    while (j < n && isWhitespace(s.charCodeAt(j))) j++;
    const quote = s.charCodeAt(j);
    if (quote !== DQUOTE && quote !== SQUOTE) throw BAIL;
    const valueEnd = s.indexOf(quote === DQUOTE ? '"' : "'", j + 1);
    if (valueEnd === -1) throw BAIL;
    const rawValue = s.slice(j + 1, valueEnd);
    if (rawValue.indexOf('<') !== -1) throw BAIL;
    if (rawValue.indexOf('&') !== -1) decodeAttribute(rawValue, j + 1);
    if (attributeNames === undefined) attributeNames = [attrName];
    else if (attributeNames.includes(attrName)) throw BAIL;
    else attributeNames.push(attrName);
    j = valueEnd + 1;
  }
  c.i = j;
}

/** Reads `</name  >`; c.i is at the '/'. */
function readEndTag(c: Cursor, name: string): void {
  const s = c.s;
  let j = c.i + 1 + name.length;
  if (!s.startsWith(name, c.i + 1) || (j < c.n && !endsName(s.charCodeAt(j)))) throw BAIL;
  if (s.charCodeAt(j) !== GT) {
    while (j < c.n && isWhitespace(s.charCodeAt(j))) j++;
    if (s.charCodeAt(j) !== GT) throw BAIL;
  }
  c.i = j + 1;
}

/** Skips a comment, a processing instruction or (where text is ignored) a CDATA section; c.i is just after '<'. */
function skipMarkup(c: Cursor): void {
  const s = c.s;
  const ch = s.charCodeAt(c.i);
  let end: number;
  if (ch === QUESTION) {
    end = s.indexOf('?>', c.i + 1);
    if (end === -1) throw BAIL;
    c.i = end + 2;
  } else if (s.startsWith('!--', c.i)) {
    end = s.indexOf('-->', c.i + 3);
    if (end === -1) throw BAIL;
    c.i = end + 3;
  } else if (s.startsWith('![CDATA[', c.i)) {
    end = s.indexOf(']]>', c.i + 8);
    if (end === -1) throw BAIL;
    c.i = end + 3;
  } else {
    // DOCTYPE and every other declaration: the tree parser refuses them with the right error.
    throw BAIL;
  }
}

/**
 * Moves inside the open element `name` to the next child: true with c.i just after the
 * child's '<' (its start tag not read yet), or false with the element's end tag consumed.
 */
function toNextChild(c: Cursor, name: string): boolean {
  for (;;) {
    const s = c.s;
    const lt = s.indexOf('<', c.i);
    if (lt === -1) {
      // The segment ends between two elements: its rest is text between children.
      if (c.i < c.n) checkIgnoredText(c, c.i, c.n);
      if (!c.nextSegment()) throw BAIL;
      continue;
    }
    if (lt > c.i) checkIgnoredText(c, c.i, lt);
    c.i = lt + 1;
    const ch = s.charCodeAt(c.i);
    if (ch === SLASH) {
      readEndTag(c, name);
      return false;
    }
    if (ch === QUESTION || ch === BANG) {
      skipMarkup(c);
      continue;
    }
    return true;
  }
}

function enter(c: Cursor): void {
  // The tree parser counts the root as depth 1 and refuses nesting beyond the limit: leave that to it.
  if (++c.depth >= DEFAULT_MAX_DEPTH) throw BAIL;
}

/** Skips the rest of the element whose start tag was just read. */
function skipElement(c: Cursor): void {
  if (c.selfClosing) return;
  const name = c.name;
  enter(c);
  while (toNextChild(c, name)) {
    readStartTag(c);
    skipElement(c);
  }
  c.depth--;
}

/** A scalar element's character data: entities decoded, CDATA kept, comments dropped. */
function readText(c: Cursor, name: string): string {
  const s = c.s;
  let text = '';
  for (;;) {
    const lt = s.indexOf('<', c.i);
    if (lt === -1) throw BAIL;
    if (lt > c.i) text = text === '' ? textOf(c, c.i, lt) : text + textOf(c, c.i, lt);
    c.i = lt + 1;
    const ch = s.charCodeAt(c.i);
    if (ch === SLASH) {
      readEndTag(c, name);
      return text;
    }
    if (ch === BANG && s.startsWith('![CDATA[', c.i)) {
      const end = s.indexOf(']]>', c.i + 8);
      if (end === -1) throw BAIL;
      text += normalizeLineEnds(s.slice(c.i + 8, end));
      c.i = end + 3;
      continue;
    }
    if (ch === QUESTION || ch === BANG) {
      skipMarkup(c);
      continue;
    }
    // A child element inside a scalar: rare, and the tree parser's text rules apply.
    throw BAIL;
  }
}

/**
 * A scalar element's value; its start tag was just read. The common case, `<Name>text</Name>`,
 * is read in place: one indexOf to the end tag, one comparison of its name.
 */
function readScalar(c: Cursor, node: ValueNode): unknown {
  let text: string;
  if (c.selfClosing) text = '';
  else {
    const s = c.s;
    const name = c.name;
    const start = c.i;
    const lt = s.indexOf('<', start);
    if (lt !== -1 && s.charCodeAt(lt + 1) === SLASH && s.startsWith(name, lt + 2) && s.charCodeAt(lt + 2 + name.length) === GT) {
      text = lt === start ? '' : textOf(c, start, lt);
      c.i = lt + 3 + name.length;
    } else {
      text = readText(c, name);
    }
  }
  return convertScalar(text, node);
}

function convertScalar(text: string, node: ValueNode): unknown {
  switch (node.scalar) {
    case Scalar.String:
      return text;
    case Scalar.Timestamp:
      return parseTimestamp(text);
    case Scalar.Integer:
      return parseInteger(text, node.shape);
    default:
      return parseXmlScalar(text, node.shape);
  }
}

/**
 * The common run inside a structure, read with the position in a local variable: members
 * that are scalars (or items of flattened scalar lists) written `<Name>text</Name>`, one
 * after another, no attributes, only whitespace between. It stops, leaving c.i at the '<' of
 * the element it did not take (or at the text before it), at anything else: the general
 * loop in readStructure reads that element and hands back. Returns the member hint.
 */
function readScalarRun(c: Cursor, plan: DirectPlan, values: unknown[], hint: number): number {
  const s = c.s;
  const names = plan.xmlNames;
  const members = plan.members;
  const count = names.length;
  let i = c.i;
  for (;;) {
    // Indentation between members is skipped here too (it carries no data).
    let ch = s.charCodeAt(i);
    while (ch === 0x20 || ch === 0x0a || ch === 0x09 || ch === 0x0d) ch = s.charCodeAt(++i);
    if (ch !== LT || s.charCodeAt(i + 1) === SLASH) break;
    let m = -1;
    for (let k = 0; k < count; k++) {
      const candidate = hint + k < count ? hint + k : hint + k - count;
      const name = names[candidate]!;
      if (s.startsWith(name, i + 1) && s.charCodeAt(i + 1 + name.length) === GT) {
        m = candidate;
        break;
      }
    }
    if (m === -1) break;
    const member = members[m]!;
    const node = member.node;
    if (node.kind !== Kind.Scalar || (!member.flattened && values[m] !== undefined)) break;
    const name = names[m]!;
    const start = i + 2 + name.length;
    const lt = s.indexOf('<', start);
    if (lt === -1 || s.charCodeAt(lt + 1) !== SLASH || !s.startsWith(name, lt + 2) || s.charCodeAt(lt + 2 + name.length) !== GT) break;
    const value = convertScalar(lt === start ? '' : textOf(c, start, lt), node);
    if (member.flattened) {
      const list = values[m] as unknown[] | undefined;
      if (list === undefined) values[m] = [value];
      else list.push(value);
      hint = m;
    } else {
      values[m] = value;
      hint = m + 1 === count ? 0 : m + 1;
    }
    i = lt + 3 + name.length;
  }
  c.i = i;
  return hint;
}

/** Plain decimal digits up to 15 of them are exact as a Number; anything else goes the general way. */
function parseInteger(text: string, shape: Shape): unknown {
  const n = text.length;
  if (n === 0 || n > 15) return parseXmlScalar(text, shape);
  let value = 0;
  for (let i = 0; i < n; i++) {
    const d = text.charCodeAt(i) - 0x30;
    if (d < 0 || d > 9) return parseXmlScalar(text, shape);
    value = value * 10 + d;
  }
  return value;
}

/** One value from the element whose start tag was just read. */
function readValue(c: Cursor, node: ValueNode): unknown {
  switch (node.kind) {
    case Kind.Scalar:
      return readScalar(c, node);
    case Kind.Structure:
      return readStructure(c, node.shape, c.name, c.selfClosing);
    case Kind.List:
      return readList(c, node, c.name, c.selfClosing);
    default:
      throw BAIL;
  }
}

/** A wrapped list: every child of the wrapper is an item, whatever its name (as botocore reads it). */
function readList(c: Cursor, node: ValueNode, name: string, selfClosing: boolean): unknown[] {
  const items: unknown[] = [];
  if (selfClosing) return items;
  const itemNode = itemNodeOf(node);
  if (itemNode === null) throw BAIL;
  enter(c);
  // Items nearly always share one name ('member', 'item'): after the first, it is compared in place.
  let itemName = '';
  while (toNextChild(c, name)) {
    if (itemName !== '' && startsTag(c, itemName)) readKnownStartTag(c, itemName);
    else {
      readStartTag(c);
      itemName = c.name;
    }
    items.push(readValue(c, itemNode));
  }
  c.depth--;
  return items;
}

/**
 * The member whose element starts at c.i, its start tag then read. Elements mostly arrive in
 * model order, so the member after the previous one is tried first.
 */
function readMemberStartTag(c: Cursor, plan: DirectPlan, hint: number): DirectMember | undefined {
  const names = plan.xmlNames;
  const count = names.length;
  for (let k = 0; k < count; k++) {
    let m = hint + k;
    if (m >= count) m -= count;
    const name = names[m]!;
    if (startsTag(c, name)) {
      readKnownStartTag(c, name);
      return plan.members[m];
    }
  }
  // Not a member by its bare name: maybe `prefix:Name`, else an element the model does not know.
  readStartTag(c);
  const colon = c.name.indexOf(':');
  if (colon === -1) return undefined;
  return plan.byXmlName.get(c.name.slice(colon + 1));
}

function readStructure(c: Cursor, shape: Shape, name: string, selfClosing: boolean): Record<string, unknown> {
  const plan = planFor(shape);
  if (plan === null) throw BAIL;
  const members = plan.members;
  const values = new Array<unknown>(members.length);
  if (!selfClosing) {
    enter(c);
    let hint = 0;
    for (;;) {
      hint = readScalarRun(c, plan, values, hint);
      if (!toNextChild(c, name)) break;
      const member = readMemberStartTag(c, plan, hint);
      if (member === undefined) {
        if (plan.bailNames.size > 0 && plan.bailNames.has(localNameOf(c.name))) throw BAIL;
        skipElement(c);
        continue;
      }
      const index = member.index;
      hint = index + 1 === members.length ? 0 : index + 1;
      if (member.flattened) {
        // A flattened list's items repeat: the next element is likely another one.
        hint = index;
        const item = readValue(c, member.node);
        const list = values[index] as unknown[] | undefined;
        if (list === undefined) values[index] = [item];
        else list.push(item);
      } else if (values[index] === undefined) {
        values[index] = readValue(c, member.node);
      } else if (member.node.kind === Kind.List) {
        // A repeated wrapper is read by botocore as a list of wrappers: the tree parser's quirk.
        throw BAIL;
      } else {
        // A repeated scalar or structure: the first one counts, as in botocore.
        skipElement(c);
      }
    }
    c.depth--;
  }
  const out: Record<string, unknown> = {};
  for (let k = 0; k < members.length; k++) {
    const value = values[k];
    if (value !== undefined) out[members[k]!.name] = value;
  }
  return out;
}

/** Whitespace, comments and processing instructions: all that may surround the root. */
function skipMisc(c: Cursor): void {
  const s = c.s;
  for (;;) {
    while (c.i < c.n && isWhitespace(s.charCodeAt(c.i))) c.i++;
    if (c.i >= c.n || s.charCodeAt(c.i) !== LT) return;
    const ch = s.charCodeAt(c.i + 1);
    if (ch === QUESTION || (ch === BANG && s.startsWith('!--', c.i + 1))) {
      c.i++;
      skipMarkup(c);
    } else return;
  }
}

function parseDirect(body: Uint8Array | string, shape: Shape): Record<string, unknown> {
  const segments = segmentsOf(body);
  if (segments[0]!.charCodeAt(0) === 0xfeff) segments[0] = segments[0]!.slice(1);
  const c = new Cursor(segments);
  const s = c.s;
  skipMisc(c);
  if (c.i >= c.n || s.charCodeAt(c.i) !== LT) throw BAIL; // blank body, text, or junk: the tree parser's call
  c.i++;
  const ch = s.charCodeAt(c.i);
  if (ch === SLASH || ch === BANG || ch === QUESTION) throw BAIL;
  readStartTag(c);
  const out = readStructure(c, shape, c.name, c.selfClosing);
  skipMisc(c);
  if (c.i !== c.n || !c.atLastSegment) throw BAIL;
  return out;
}

/**
 * A structure output from an XML body: `parseXmlStructure(parseXmlBody(body), shape)`, by the
 * one-pass path when it can, else by the tree parser (whose errors are the ones raised).
 */
export function parseXmlFast(body: Uint8Array | string, shape: Shape): Record<string, unknown> {
  try {
    return parseDirect(body, shape);
  } catch {
    // BAIL, or a value the scalar reader refused: the tree parser gives the answer or the error.
    return parseXmlStructure(parseXmlBody(body), shape);
  }
}

/** The one-pass reading alone, or undefined where parseXmlFast would fall back (for tests). */
export function parseXmlDirectOnly(body: Uint8Array | string, shape: Shape): Record<string, unknown> | undefined {
  try {
    return parseDirect(body, shape);
  } catch (err) {
    if (err === BAIL) return undefined;
    throw err;
  }
}
