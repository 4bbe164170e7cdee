import type { Attributes } from '../core/types.js';
import { redactUrl } from './urls.js';

/**
 * Attributes of an HTTP client span, stable HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client).
 * Known methods keep their name; others become `_OTHER` with the original kept.
 */
export const KNOWN_METHODS = new Set(['CONNECT', 'DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT', 'TRACE', 'QUERY']);

export function clientSpanStart(method: string, url: URL, redactParams: readonly string[]): { name: string; attributes: Attributes } {
  const upper = method.toUpperCase();
  const known = KNOWN_METHODS.has(upper);
  const attributes: Attributes = {
    'http.request.method': known ? upper : '_OTHER',
    'url.full': redactUrl(url, redactParams),
    'server.address': url.hostname,
    'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
  if (!known) attributes['http.request.method_original'] = method;
  // Span name: `{method}` (the route is unknown on the client); `HTTP` for unknown methods.
  return { name: known ? upper : 'HTTP', attributes };
}

/** 4xx and 5xx are errors for client spans; the status code is the error type. */
export function isErrorStatus(status: number): boolean {
  return status >= 400;
}
