import { DEFAULT_REDACTED_QUERY_PARAMS, absoluteUrl, matchesAny, redactUrl, type UrlPattern } from '../../http/urls.js';

export interface RequestPolicy {
  /** Cross-origin URLs that may receive trace headers (same-origin always does). */
  propagateTo: readonly UrlPattern[];
  /** URLs that get neither a span nor headers. */
  ignoreUrls: readonly UrlPattern[];
  /** The collector endpoint: never traced, never given headers. */
  exporterUrl?: string;
  /** Query parameters whose values are replaced by REDACTED in `url.full`. */
  redactQueryParams: readonly string[];
}

/**
 * The URL a request is resolved against, as fetch and XHR do: the document's
 * base URL (a `<base href>` may point at another origin), else the location.
 */
export const requestBase = (): string | undefined => globalThis.document?.baseURI ?? globalThis.location?.href;

/**
 * Whether a request to `url` is traced at all: http and https only, never the
 * collector (whatever the query), not ignored.
 */
export function shouldTrace(url: URL, policy: Pick<RequestPolicy, 'exporterUrl' | 'ignoreUrls'>): boolean {
  const href = url.href;
  if (!/^https?:$/.test(url.protocol)) return false;
  if (policy.exporterUrl && href.split('?')[0] === policy.exporterUrl.split('?')[0]) return false;
  return !matchesAny(href, policy.ignoreUrls);
}

/**
 * Whether a traced request may carry trace headers: same origin always, other
 * origins only when allow-listed, so a third party never gets a header its
 * CORS policy would reject (DESIGN.md section 5, header injection).
 */
export function shouldPropagate(url: URL, policy: RequestPolicy): boolean {
  // The document's own origin: "null" (opaque) in a sandboxed iframe, where no request is same-origin.
  const pageOrigin = (globalThis as { origin?: string }).origin ?? globalThis.location?.origin;
  if (pageOrigin && url.origin === pageOrigin) return true;
  return matchesAny(url.href, policy.propagateTo);
}

/** What the page-level instrumentations (documentLoad, resources, interactions, errors, navigation, vitals) take from the policy. */
export type PagePolicy = Partial<Pick<RequestPolicy, 'ignoreUrls' | 'exporterUrl' | 'redactQueryParams'>>;

/** `href` for `url.full`: credentials and the policy's query parameters redacted (the defaults when none are given). */
export function redactHref(href: string, policy: PagePolicy): string {
  const url = absoluteUrl(href);
  return url ? redactUrl(url, policy.redactQueryParams ?? DEFAULT_REDACTED_QUERY_PARAMS) : href;
}

/**
 * Whether a Resource Timing entry becomes a span: not the collector's, not an
 * ignored URL, and not a fetch, XHR or beacon (those have their own spans).
 */
export function isRecordedResource(entry: PerformanceResourceTiming, policy: PagePolicy): boolean {
  const url = absoluteUrl(entry.name);
  return !!url && !['fetch', 'xmlhttprequest', 'beacon'].includes(entry.initiatorType) && shouldTrace(url, { ignoreUrls: policy.ignoreUrls ?? [], exporterUrl: policy.exporterUrl });
}
