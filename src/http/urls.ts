/** A URL pattern: a string matches that URL or anything below it; a RegExp is tested against the full URL. */
export type UrlPattern = string | RegExp;

/** The absolute URL of whatever fetch / XHR accept as a URL, resolved against `base` (the page); undefined if invalid. */
export function absoluteUrl(input: unknown, base?: string): URL | undefined {
  try {
    // A Request's `url`; a string as is; a URL (which has no `url`) or any other object by its string form (a URL's is its href).
    return new URL(String((input as { url?: unknown })?.url ?? input), base);
  } catch {
    return undefined;
  }
}

/**
 * Whether `url` matches any pattern. A string pattern matches at a path
 * boundary only, so `https://api.example.com` matches
 * `https://api.example.com/v1` but never `https://api.example.com.evil.test`.
 */
export function matchesAny(url: string, patterns: readonly UrlPattern[]): boolean {
  for (const p of patterns) {
    if (typeof p === 'string') {
      // What follows the pattern: nothing (the same URL), or a path, query or fragment start.
      if (url.startsWith(p) && (p.endsWith('/') || /^[/?#]?$/.test(url.charAt(p.length)))) return true;
    } else if (p instanceof RegExp) {
      p.lastIndex = 0;
      if (p.test(url)) return true;
    }
  }
  return false;
}

/**
 * Query parameters whose values are secrets by default, from the semantic
 * conventions for `url.full` / `url.query`
 * (https://opentelemetry.io/docs/specs/semconv/registry/attributes/url/).
 */
export const DEFAULT_REDACTED_QUERY_PARAMS = ['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature'];

/**
 * The URL with credentials replaced by `REDACTED` (user and password) and the
 * values of the named query parameters replaced by `REDACTED`, as the
 * semantic conventions require for `url.full`.
 */
export function redactUrl(url: URL, redactParams: readonly string[]): string {
  if (!url.username && !url.password && !url.search) return url.href;
  const copy = new URL(url.href);
  if (copy.username) copy.username = 'REDACTED';
  if (copy.password) copy.password = 'REDACTED';
  // Rewrite only the matching values, keeping the rest of the query as written.
  if (copy.search && redactParams.length) copy.search = redactQuery(copy.search.slice(1), redactParams);
  return copy.href;
}

/** `a=1&sig=x` -> `a=1&sig=REDACTED` for the named parameters. */
export function redactQuery(query: string, redactParams: readonly string[]): string {
  if (!redactParams.length) return query;
  return query
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq < 0) return pair;
      let name = pair.slice(0, eq);
      try {
        name = decodeURIComponent(name);
      } catch {
        // keep as is
      }
      return redactParams.includes(name) ? pair.slice(0, eq) + '=REDACTED' : pair;
    })
    .join('&');
}
