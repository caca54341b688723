import type { FieldProblem } from '../domain/domain-errors.js';

/**
 * Checks on a JSON body that JSON.parse does not make. Pure, iterative (no recursion a
 * hostile body could exhaust), and run only on text JSON.parse has already accepted.
 */

/** No legitimate submission nests deeper than ~8 levels; the margin is for revisions. */
export const maxJsonDepth = 32;

/**
 * DynamoDB numbers hold 38 digits between 1e-130 and 1e126 in magnitude; anything else
 * is refused by DynamoDB with a ValidationException, which would surface as a 500.
 */
export const isStorableNumber = (n: number): boolean => n === 0 || (Number.isFinite(n) && Math.abs(n) >= 1e-130 && Math.abs(n) < 1e126);

interface Frame {
  kind: 'object' | 'array';
  path: string;
  keys: Set<string>;
  /** Object: the last key read, and whether a key comes next. Array: the element index. */
  key: string;
  expectKey: boolean;
  index: number;
}

const childPath = (frame: Frame | undefined): string => {
  if (frame === undefined) return '';
  const segment = frame.kind === 'object' ? frame.key : String(frame.index);
  return frame.path === '' ? segment : `${frame.path}/${segment}`;
};

/**
 * Duplicated keys (which JSON.parse silently resolves to the last one, so a proxy and this
 * service could read different events from the same bytes) and nesting beyond maxDepth.
 * Keys are compared after unescaping: "a" and "\u0061" are the same key.
 */
export function structureProblem(text: string, maxDepth = maxJsonDepth): FieldProblem | undefined {
  const stack: Frame[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const char = text[i];
    const top = stack[stack.length - 1];
    if (char === '{' || char === '[') {
      const path = childPath(top);
      if (stack.length + 1 > maxDepth) return { field: path === '' ? 'body' : path, message: `nested deeper than ${maxDepth} levels` };
      stack.push({ kind: char === '{' ? 'object' : 'array', path, keys: new Set(), key: '', expectKey: char === '{', index: 0 });
    } else if (char === '}' || char === ']') {
      stack.pop();
    } else if (char === ',') {
      if (top?.kind === 'object') top.expectKey = true;
      else if (top !== undefined) top.index += 1;
    } else if (char === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      if (top?.kind === 'object' && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.key = key;
        top.expectKey = false;
        if (top.keys.has(key)) return { field: childPath(top), message: `duplicated key "${key}"` };
        top.keys.add(key);
      }
      i = end;
    }
  }
  return undefined;
}

/**
 * Values DynamoDB or the hash chain cannot keep faithfully: a lone UTF-16 surrogate (it
 * has no UTF-8 form, so the stored text and its hash would differ), a number DynamoDB
 * cannot store, and `__proto__` keys (no field has that name; some code paths would turn
 * it into a prototype). The first problem found, by path.
 */
export function valueProblem(root: unknown): FieldProblem | undefined {
  const pending: { value: unknown; path: string }[] = [{ value: root, path: '' }];
  const at = (path: string) => (path === '' ? 'body' : path);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const { value, path } = next;
    if (typeof value === 'string') {
      if (/\p{Cs}/u.test(value)) return { field: at(path), message: 'contains an unpaired UTF-16 surrogate' };
    } else if (typeof value === 'number') {
      if (!isStorableNumber(value))
        return { field: at(path), message: 'number out of the storable range (0, or 1e-130 to 1e126 in magnitude)' };
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => {
        pending.push({ value: item, path: path === '' ? String(i) : `${path}/${i}` });
      });
    } else if (typeof value === 'object' && value !== null) {
      for (const [key, item] of Object.entries(value)) {
        const keyPath = path === '' ? key : `${path}/${key}`;
        if (key === '__proto__') return { field: keyPath, message: 'reserved key' };
        if (/\p{Cs}/u.test(key)) return { field: at(path), message: 'a key contains an unpaired UTF-16 surrogate' };
        pending.push({ value: item, path: keyPath });
      }
    }
  }
  return undefined;
}
