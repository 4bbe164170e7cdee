import { describe, expect, it } from 'vitest';
import { absoluteUrl, matchesAny } from '../../src/http/urls.js';

describe('URL patterns (propagateTo, ignoreUrls)', () => {
  it('a string matches that URL and what is below it, at a path, query or fragment boundary only', () => {
    const api = ['https://api.example.com'];
    expect(matchesAny('https://api.example.com', api)).toBe(true);
    expect(matchesAny('https://api.example.com/v1', api)).toBe(true);
    expect(matchesAny('https://api.example.com?x=1', api)).toBe(true);
    expect(matchesAny('https://api.example.com#top', api)).toBe(true);
    expect(matchesAny('https://api.example.com.evil.test/', api)).toBe(false);
    expect(matchesAny('https://api.example.com:8443/', api)).toBe(false);
    expect(matchesAny('https://api.example.co', api)).toBe(false);
    // A pattern ending in "/" matches anything that starts with it.
    expect(matchesAny('https://api.example.com/v1x', ['https://api.example.com/v1'])).toBe(false);
    expect(matchesAny('https://api.example.com/v1/x', ['https://api.example.com/v1/'])).toBe(true);
    expect(matchesAny('https://api.example.com/v1', ['https://api.example.com/v1/'])).toBe(false);
    expect(matchesAny('', [''])).toBe(true);
    expect(matchesAny('https://a.test/', [''])).toBe(false);
  });
  it('a RegExp is tested against the full URL, whatever its lastIndex', () => {
    const sticky = /api/g;
    expect(matchesAny('https://api.test/', [sticky])).toBe(true);
    expect(matchesAny('https://api.test/', [sticky])).toBe(true);
    expect(matchesAny('https://web.test/', [/api/, 42 as unknown as string])).toBe(false);
  });
  it('absoluteUrl reads what fetch and XHR take as a URL: a string, a URL, a Request, anything with a string form', () => {
    const base = 'https://shop.test/cart/';
    expect(absoluteUrl('items?x=1', base)?.href).toBe('https://shop.test/cart/items?x=1');
    expect(absoluteUrl(new URL('https://api.test/a'), base)?.href).toBe('https://api.test/a');
    expect(absoluteUrl(new Request('https://api.test/r', { method: 'POST' }), base)?.href).toBe('https://api.test/r');
    expect(absoluteUrl({ toString: () => '/from-object' }, base)?.href).toBe('https://shop.test/from-object');
    expect(absoluteUrl({ url: '/from-url-field' }, base)?.href).toBe('https://shop.test/from-url-field');
    // fetch(null) and fetch(undefined) request the relative URLs "null" and "undefined" (WebIDL USVString conversion).
    expect(absoluteUrl(null, base)?.href).toBe('https://shop.test/cart/null');
    expect(absoluteUrl(undefined, base)?.href).toBe('https://shop.test/cart/undefined');
    expect(absoluteUrl('http://[bad', base)).toBeUndefined();
    expect(absoluteUrl(Object.create(null), base)).toBeUndefined();
  });
});
