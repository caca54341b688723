import { describe, expect, it } from 'vitest';
import { allowedOrigin, parseCorsOrigins } from '../../functions/http/cors-policy.js';

describe('CORS origins', () => {
  it('reads a comma-separated list, trimmed, lower-cased, without a trailing slash', () => {
    expect(parseCorsOrigins(' https://News.example/ , http://localhost:5173')).toEqual(['https://news.example', 'http://localhost:5173']);
    expect(parseCorsOrigins(undefined)).toEqual([]);
    expect(parseCorsOrigins('  ')).toEqual([]);
    expect(parseCorsOrigins('*')).toEqual(['*']);
  });

  it.each([
    'news.example',
    'https://news.example/path',
    'ftp://news.example',
    'https://news.example?x=1',
    'https://*.example',
    '*,https://a.example',
    'https://a.example,',
  ])('refuses %j', (value) => {
    expect(() => parseCorsOrigins(value)).toThrow();
  });

  it('allows exactly the configured origins (case-insensitively), or every one with *', () => {
    const origins = parseCorsOrigins('https://news.example');
    expect(allowedOrigin(origins, 'https://news.example')).toBe('https://news.example');
    expect(allowedOrigin(origins, 'https://NEWS.example')).toBe('https://NEWS.example');
    expect(allowedOrigin(origins, 'https://news.example.evil.test')).toBeUndefined();
    expect(allowedOrigin(origins, 'http://news.example')).toBeUndefined();
    expect(allowedOrigin(origins, undefined)).toBeUndefined();
    expect(allowedOrigin(['*'], 'https://anyone.example')).toBe('*');
    expect(allowedOrigin([], 'https://news.example')).toBeUndefined();
  });
});
