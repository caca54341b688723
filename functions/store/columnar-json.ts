/**
 * A reversible rewrite of a JSON value that deflate compresses much better: every array of
 * objects is stored column by column (`["~c", keys, column, column, ...]`), a column of
 * whole numbers as its differences (`["~d", first, d1, d2, ...]`) and a column of ISO-8601
 * UTC times as whole units since the epoch, also as differences (`["~t", unit, first, d1, ...]`).
 * A status lists the same kinds of entries over and over (a figure per report, a deadline
 * per statement); by column, what repeats is contiguous and the versions climb by the same
 * steps, so deflate folds a long list into a few back-references.
 *
 * An element that lacks a key holds the `absent` marker in that column; every element's keys
 * keep their own order (the column order is a merge of theirs, and an array whose orders
 * cannot be merged stays as it is). Input that the markers would make ambiguous (an array
 * beginning with a marker's string, a string equal to `absent`) is refused with
 * NotColumnarError: the caller stores it another way. `fromColumnar(toColumnar(v))`
 * serialises to the bytes of JSON.stringify(v), key order included.
 */

export class NotColumnarError extends Error {}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const absent = '~-';
const isoTime = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const isObject = (v: Json | undefined): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);
const markers: readonly Json[] = ['~c', '~d', '~t', '~r'];
const isMarked = (v: Json[]) => markers.includes(v[0] as Json);

function timeOf(text: Json): number | undefined {
  if (typeof text !== 'string' || !isoTime.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isSafeInteger(ms) && new Date(ms).toISOString() === text ? ms : undefined;
}

/** One key order that keeps every element's own order, or undefined when there is none. */
function mergedKeys(orders: string[][]): string[] | undefined {
  const merged: string[] = [];
  for (const keys of orders) {
    let at = -1;
    for (const k of keys) {
      const i = merged.indexOf(k);
      if (i === -1) {
        merged.splice(at + 1, 0, k);
        at += 1;
      } else if (i > at) at = i;
      else return undefined;
    }
  }
  // Each element's keys must read, in this order, as they were.
  for (const keys of orders) {
    const positions = keys.map((k) => merged.indexOf(k));
    if (positions.some((p, i) => i > 0 && p <= (positions[i - 1] as number))) return undefined;
  }
  return merged;
}

const dayMs = 86_400_000;

function column(values: Json[]): Json {
  const present = values.filter((v) => v !== absent);
  if (present.length > 0 && present.length === values.length) {
    if (values.every((v) => typeof v === 'number' && Number.isSafeInteger(v))) {
      const steps = differences(values as number[]);
      if (steps.every(Number.isSafeInteger)) return ['~d', ...steps];
    }
    // Most columns are not times: stop at the first value that is not one.
    const ms: number[] = [];
    for (const v of values) {
      const t = timeOf(v);
      if (t === undefined) break;
      ms.push(t);
    }
    if (ms.length === values.length) {
      const unit = ms.every((t) => t % dayMs === 0) ? dayMs : ms.every((t) => t % 1000 === 0) ? 1000 : 1;
      return ['~t', unit, ...differences(ms.map((t) => t / unit))];
    }
  }
  if (values.every((v) => typeof v === 'string')) {
    // A column of names, kinds or units repeats a few values: each once, then their positions.
    const distinct = [...new Set(values as string[])];
    if (distinct.length < values.length) {
      for (const v of distinct) if (v !== absent) toColumnarValue(v);
      return ['~r', distinct, ...values.map((v) => distinct.indexOf(v as string))];
    }
  }
  const plain = values.map((v) => (v === absent ? absent : toColumnarValue(v)));
  if (isMarked(plain)) throw new NotColumnarError('a column beginning with a marker string reads as a marker');
  return plain;
}

const differences = (values: number[]) => values.map((v, i) => (i === 0 ? v : v - (values[i - 1] as number)));
const sums = (values: number[]) => {
  let total = 0;
  return values.map((d) => {
    total += d;
    return total;
  });
};

/**
 * Frozen arrays and objects already rewritten: a frozen value cannot change, so its rewrite
 * is the same every time. A status shares most of its lists with the one before it (the
 * fold copies only what an event changes), so a talks' next write rewrites only those.
 */
const rewritten = new WeakMap<object, Json>();
/**
 * Rewrites whose reading is proven: a status holding them read back exactly (each part of
 * a value that reads back exactly reads back exactly, in its place), so reading one again
 * gives the frozen value it came from, and a check need not read it again.
 */
const provenSource = new WeakMap<object, Json>();
/** The frozen values rewritten by the toColumnarTracked call under way, with their rewrites. */
let fresh: [Json, Json][] | undefined;

function toColumnarValue(value: Json): Json {
  if (value === null || typeof value !== 'object') {
    if (value === absent) throw new NotColumnarError(`a string "${absent}" is the columns' absent marker`);
    return value;
  }
  const known = rewritten.get(value);
  if (known !== undefined) return known;
  const result = rewriteContainer(value);
  if (Object.isFrozen(value) && result !== null && typeof result === 'object') {
    rewritten.set(value, result);
    fresh?.push([value, result]);
  }
  return result;
}

function rewriteContainer(value: Json[] | JsonObject): Json {
  if (Array.isArray(value)) {
    if (isMarked(value)) throw new NotColumnarError('an array beginning with a marker string reads as a marker');
    if (value.length > 0 && value.every(isObject)) {
      const keys = mergedKeys(value.map((o) => Object.keys(o)));
      // Objects without keys keep their plain form: columns alone could not say how many there were.
      if (keys !== undefined && keys.length > 0) {
        const objects = value as JsonObject[];
        if (objects.some((o) => Object.values(o).includes(absent)))
          throw new NotColumnarError(`a string "${absent}" is the columns' absent marker`);
        return ['~c', keys, ...keys.map((k) => column(objects.map((o) => (Object.hasOwn(o, k) ? (o[k] as Json) : absent))))];
      }
    }
    return value.map(toColumnarValue);
  }
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) setField(out, k, toColumnarValue(v));
  return out;
}

/**
 * Whether a value is already what JSON.parse would give back for its JSON: plain objects
 * and arrays of strings, finite numbers (not -0), booleans and null, nothing undefined.
 * Then the rewrite needs no JSON copy first (which would also lose the frozen lists).
 */
export function isPlainJson(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (typeof value !== 'object') return false;
  // Only a plain value is ever rewritten unchanged (a frozen one), so it is plain still.
  if (rewritten.has(value)) return true;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let i = 0; i < value.length; i += 1) if (!isPlainJson(value[i])) return false;
    return true;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return false;
  for (const v of Object.values(value)) if (!isPlainJson(v)) return false;
  return true;
}

/** Freezes a value and all it holds (what is frozen already is taken as frozen throughout). */
export function freezeDeep<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  for (const v of Object.values(value)) freezeDeep(v);
  return Object.freeze(value);
}

export function toColumnar(value: unknown): Json {
  return toColumnarValue((isPlainJson(value) ? value : JSON.parse(JSON.stringify(value) ?? 'null')) as Json);
}

/**
 * toColumnar, and a way to say that the columns read back exactly: `proven()` records it
 * for the frozen parts rewritten in this call, which fromColumnarChecked then takes as
 * read. A caller calls it only after checking the whole value read back.
 */
export function toColumnarTracked(value: unknown): { columns: Json; proven: () => void } {
  const pairs: [Json, Json][] = [];
  fresh = pairs;
  try {
    const columns = toColumnar(value);
    const proven = () => {
      for (const [source, rewrite] of pairs) provenSource.set(rewrite as object, source);
    };
    return { columns, proven };
  } finally {
    fresh = undefined;
  }
}

/** fromColumnar, except that a proven rewrite reads as the frozen value it came from (see provenSource). */
export function fromColumnarChecked(value: Json): Json {
  return fromColumnarValue(value, true);
}

function fromColumn(encoded: Json, length: number, proven: boolean): Json[] {
  if (!Array.isArray(encoded)) throw new RangeError('a column is an array');
  let values: Json[];
  if (encoded[0] === '~d') values = sums(encoded.slice(1) as number[]);
  else if (encoded[0] === '~t') {
    const unit = encoded[1] as number;
    values = sums(encoded.slice(2) as number[]).map((t) => new Date(t * unit).toISOString());
  } else if (encoded[0] === '~r') {
    const distinct = encoded[1] as Json[];
    values = (encoded.slice(2) as number[]).map((i) => distinct[i] as Json);
  } else values = encoded.map((v) => fromColumnarValue(v, proven));
  if (values.length !== length) throw new RangeError('columns of different lengths');
  return values;
}

export function fromColumnar(value: Json): Json {
  return fromColumnarValue(value, false);
}

function fromColumnarValue(value: Json, proven: boolean): Json {
  if (proven && value !== null && typeof value === 'object') {
    const source = provenSource.get(value);
    if (source !== undefined) return source;
  }
  if (Array.isArray(value)) {
    if (value[0] === '~c') {
      const keys = value[1] as string[];
      const columns = value.slice(2);
      const first = columns[0];
      const length = Array.isArray(first)
        ? first[0] === '~d'
          ? first.length - 1
          : first[0] === '~t' || first[0] === '~r'
            ? first.length - 2
            : first.length
        : 0;
      const decoded = columns.map((c) => fromColumn(c, length, proven));
      return Array.from({ length }, (_, i) => {
        const out: JsonObject = {};
        keys.forEach((k, j) => {
          const v = (decoded[j] as Json[])[i] as Json;
          if (v !== absent) setField(out, k, v);
        });
        return out;
      });
    }
    return value.map((v) => fromColumnarValue(v, proven));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [k, v] of Object.entries(value)) setField(out, k, fromColumnarValue(v, proven));
    return out;
  }
  return value;
}

/** As JSON.parse sets a field: a key `__proto__` is an own field, not the prototype. */
function setField(o: JsonObject, k: string, v: Json) {
  // defineProperty only where assignment would differ: it is several times slower.
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  else o[k] = v;
}
