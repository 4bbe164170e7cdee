import { matchesAny, type UrlPattern } from '../../http/urls.js';

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

/** Whether a request to `url` is traced at all. */
export function shouldTrace(url: URL, policy: RequestPolicy): boolean {
  const href = url.href;
  if (policy.exporterUrl && (href === policy.exporterUrl || href.split('?')[0] === policy.exporterUrl.split('?')[0])) return false;
  return !matchesAny(href, policy.ignoreUrls);
}

/**
 * Whether a traced request may carry trace headers: same origin always, other
 * origins only when allow-listed, so a third party never gets a header its
 * CORS policy would reject (DESIGN.md section 5, header injection).
 */
export function shouldPropagate(url: URL, policy: RequestPolicy): boolean {
  const pageOrigin = globalThis.location?.origin;
  if (pageOrigin && url.origin === pageOrigin) return true;
  return matchesAny(url.href, policy.propagateTo);
}
