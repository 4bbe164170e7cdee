import { describe, expect, it } from 'vitest';
import { clientSpanStart } from '../../src/http/client-attributes.js';
import { serverSpanStart } from '../../src/http/server-attributes.js';

// Semantic conventions: http.request.method_original is set whenever the
// recorded method differs from the one sent
// (https://opentelemetry.io/docs/specs/semconv/registry/attributes/http/#http-request-method-original).
const url = new URL('https://api.example.com/items');
const noHeaders = { get: () => null };
const starts = {
  client: (method: string) => clientSpanStart(method, url, []),
  server: (method: string) => serverSpanStart(method, url, noHeaders, []),
};

describe('http.request.method_original', () => {
  for (const [kind, start] of Object.entries(starts)) {
    it(`${kind}: a canonicalized method keeps its original; an exact one adds nothing`, () => {
      expect(start('patch')).toMatchObject({ name: 'PATCH', attributes: { 'http.request.method': 'PATCH', 'http.request.method_original': 'patch' } });
      expect(start('Get').attributes['http.request.method_original']).toBe('Get');
      expect(start('GET').attributes).not.toHaveProperty('http.request.method_original');
      expect(start('PURGE')).toMatchObject({ name: 'HTTP', attributes: { 'http.request.method': '_OTHER', 'http.request.method_original': 'PURGE' } });
    });
  }
});
