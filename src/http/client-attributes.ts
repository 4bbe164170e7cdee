import { SpanStatusCode, type Attributes, type Span } from '../core/types.js';
import { redactUrl } from './urls.js';
import { errorMessage } from '../core/attributes.js';

/**
 * Attributes of an HTTP client span, stable HTTP semantic conventions
 * (https://opentelemetry.io/docs/specs/semconv/http/http-spans/#http-client).
 * Known methods keep their name; others become `_OTHER` with the original kept.
 */
const KNOWN_METHOD = /^(CONNECT|DELETE|GET|HEAD|OPTIONS|PATCH|POST|PUT|TRACE|QUERY)$/;

/**
 * Sets `http.request.method` and, whenever that is not the method as sent
 * (`_OTHER`, or `patch` recorded as `PATCH`), `http.request.method_original`.
 * Returns the span name: the method, `HTTP` for unknown methods.
 */
export function setMethod(attributes: Attributes, method: string): string {
  const upper = method.toUpperCase();
  const known = KNOWN_METHOD.test(upper);
  attributes['http.request.method'] = known ? upper : '_OTHER';
  if (upper != method || !known) attributes['http.request.method_original'] = method;
  return known ? upper : 'HTTP';
}

export function clientSpanStart(method: string, url: URL, redactParams: readonly string[]): { name: string; attributes: Attributes } {
  const attributes: Attributes = {
    'url.full': redactUrl(url, redactParams),
    'server.address': url.hostname,
    'server.port': url.port ? Number(url.port) : url.protocol === 'https:' ? 443 : 80,
  };
  // Span name: `{method}` (the route is unknown on the client).
  return { name: setMethod(attributes, method), attributes };
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
