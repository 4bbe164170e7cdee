import { describe, expect, it } from 'vitest';
import { serverSpanStart } from '../../src/http/server-attributes.js';

// HTTP server spans, stable semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server).
const start = (href: string, headers: Record<string, string> = {}, redact: string[] = ['sig']) => serverSpanStart('GET', new URL(href), new Headers(headers), redact);

describe('serverSpanStart', () => {
  it('records url.path, url.scheme, server.address, and url.query with the named values redacted', () => {
    expect(start('https://shop.test/cart/items?sig=abc&page=2')).toStrictEqual({
      name: 'GET',
      attributes: {
        'http.request.method': 'GET',
        'url.path': '/cart/items',
        'url.scheme': 'https',
        'server.address': 'shop.test',
        'url.query': 'sig=REDACTED&page=2',
      },
    });
  });

  it('records server.port only when the URL names one, and url.query only when there is a query', () => {
    expect(start('http://127.0.0.1:8787/').attributes).toStrictEqual({
      'http.request.method': 'GET',
      'url.path': '/',
      'url.scheme': 'http',
      'server.address': '127.0.0.1',
      'server.port': 8787,
    });
  });

  it('client.address from cf-connecting-ip, else x-real-ip; user_agent.original from user-agent', () => {
    const both = start('https://shop.test/', { 'cf-connecting-ip': '203.0.113.7', 'x-real-ip': '10.0.0.1', 'user-agent': 'curl/8.5.0' }).attributes;
    expect(both['client.address']).toBe('203.0.113.7');
    expect(both['user_agent.original']).toBe('curl/8.5.0');
    expect(start('https://shop.test/', { 'x-real-ip': '10.0.0.1' }).attributes['client.address']).toBe('10.0.0.1');
    const none = start('https://shop.test/').attributes;
    expect(none).not.toHaveProperty('client.address');
    expect(none).not.toHaveProperty('user_agent.original');
  });
});
