import type { Attributes } from '../core/types.js';
import { setMethod } from './client-attributes.js';
import { redactQuery } from './urls.js';

/**
 * Attributes of an HTTP server span, stable HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-server).
 * `url.query` has the configured parameters' values redacted.
 */
export function serverSpanStart(method: string, url: URL, headers: { get(name: string): string | null }, redactParams: readonly string[]): { name: string; attributes: Attributes } {
  const attributes: Attributes = {};
  const name = setMethod(attributes, method);
  attributes['url.path'] = url.pathname;
  attributes['url.scheme'] = url.protocol.replace(':', '');
  attributes['server.address'] = url.hostname;
  if (url.port) attributes['server.port'] = Number(url.port);
  if (url.search) attributes['url.query'] = redactQuery(url.search.slice(1), redactParams);
  const client = headers.get('cf-connecting-ip') ?? headers.get('x-real-ip');
  if (client) attributes['client.address'] = client;
  const ua = headers.get('user-agent');
  if (ua) attributes['user_agent.original'] = ua;
  return { name, attributes };
}
