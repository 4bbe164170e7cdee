import { SpanStatusCode, type Attributes, type Span } from '../core/types.js';
import { redactUrl } from './urls.js';
import { errorMessage } from './error-message.js';

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

/** Records the response status; 4xx and 5xx are errors for client spans, the status code being the error type. */
export function recordClientStatus(span: Span, status: number): void {
  span.setAttribute('http.response.status_code', status);
  if (status >= 400) {
    span.setAttribute('error.type', String(status));
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
}

/** Records a request that failed without a response (network error, abort): type, exception event, ERROR. */
export function recordClientError(span: Span, error: unknown): void {
  const type = (error as { name?: unknown })?.name;
  span.setAttribute('error.type', typeof type === 'string' ? type : '_OTHER');
  span.recordException(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: errorMessage(error) });
}
