// Who may talk to the dev collector. It runs on a developer's laptop while they
// browse the web, so:
// - every request must name, in `Host`, a name or address the collector listens
//   on (DNS rebinding sends the attacker's name: https://en.wikipedia.org/wiki/DNS_rebinding);
// - only ingestion (POST /v1/traces, and Zipkin's POST /api/v2/spans) answers other origins with CORS
//   (https://fetch.spec.whatwg.org/#http-cors-protocol), optionally narrowed by --allow-origin;
// - the viewer and the read and delete APIs answer only their own origin: a
//   request that says it comes from elsewhere (`Origin`, or `Sec-Fetch-Site`,
//   https://w3c.github.io/webappsec-fetch-metadata/) is refused with 403.
import { hostname as osHostname, networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

const WILDCARDS = new Set(['', '0.0.0.0', '::', '[::]']);

/** True for 127.0.0.0/8, ::1 and localhost. */
export function isLoopback(host) {
  const h = unbracket(host).toLowerCase();
  return h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1' || /^127\.\d+\.\d+\.\d+$/.test(h);
}
export const isWildcard = (host) => WILDCARDS.has(host);
const unbracket = (h) => (h.startsWith('[') && h.endsWith(']') ? h.slice(1, -1) : h);
/** A host as it appears in a URL or a Host header: IPv6 addresses in brackets. */
export const urlHost = (host) => (isIP(unbracket(host)) === 6 ? `[${unbracket(host)}]` : host);

/** The URL a browser on this machine uses to reach a collector bound to `host`. */
export function reachableUrl(host, port) {
  if (host === '' || host === '0.0.0.0') return `http://127.0.0.1:${port}`;
  if (host === '::' || host === '[::]') return `http://[::1]:${port}`;
  return `http://${urlHost(host)}:${port}`;
}

/** One line of warning for a bind address other machines can reach, else undefined. */
export function exposureWarning(host) {
  if (isLoopback(host)) return undefined;
  const where = isWildcard(host) ? `every network interface (${host || '0.0.0.0'})` : host;
  return `tracelet-collector: warning: listening on ${where}, not loopback: any machine that can reach it can send traces, read every stored trace and delete them. It is a development tool; use --host 127.0.0.1 unless you need this.`;
}

/** The host names (lower case, IPv6 in brackets, no port) that requests may carry in `Host`. */
export function allowedHostnames(host, extra = []) {
  const names = new Set(extra.map((h) => urlHost(String(h).toLowerCase())));
  const loopback = ['localhost', '127.0.0.1', '[::1]'];
  if (isWildcard(host)) {
    for (const n of loopback) names.add(n);
    for (const list of Object.values(networkInterfaces())) for (const i of list ?? []) names.add(urlHost(i.address.split('%')[0].toLowerCase()));
    const name = osHostname().toLowerCase();
    names.add(name);
    names.add(`${name}.local`);
  } else {
    names.add(urlHost(host.toLowerCase()));
    if (isLoopback(host)) for (const n of loopback) names.add(n);
  }
  return names;
}

/** The host name of a `Host` header value (`[::1]:4318` -> `[::1]`), lower case. */
export function hostnameOf(hostHeader) {
  const h = hostHeader.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(0, h.indexOf(']') + 1);
  const colon = h.indexOf(':');
  return colon === -1 ? h : h.slice(0, colon);
}

/**
 * @param {{ host: string, allowHosts?: string[], allowOrigins?: string[] }} options
 */
export function createAccess({ host, allowHosts = [], allowOrigins }) {
  const hostnames = allowedHostnames(host, allowHosts);
  // *.localhost always resolves to loopback in browsers (RFC 6761 section 6.3), so no DNS can rebind it.
  const loopbackNames = isLoopback(host) || isWildcard(host);
  const origins = allowOrigins && new Set(allowOrigins);

  return {
    hostnames,
    /** Undefined when `Host` is ours (or absent, which no browser sends), else why not. */
    hostProblem(req) {
      const header = req.headers.host;
      if (header === undefined) return undefined;
      const name = hostnameOf(header);
      if (hostnames.has(name) || (loopbackNames && name.endsWith('.localhost'))) return undefined;
      return `Host ${JSON.stringify(header.slice(0, 100))} is not a name this collector listens on (${[...hostnames].slice(0, 6).join(', ')}); start it with --allow-host ${name.slice(0, 100)} to accept it`;
    },
    /** May this request's origin send spans? (No Origin header: not a browser page, or same-origin GET.) */
    ingestAllowed: (req) => req.headers.origin === undefined || !origins || origins.has(req.headers.origin),
    /**
     * Undefined when a request for the viewer or the read/delete APIs comes
     * from the collector's own origin (or from no page at all), else why not.
     */
    localProblem(req, url) {
      const origin = req.headers.origin;
      if (origin !== undefined && origin !== `http://${req.headers.host}`) return `requests from ${JSON.stringify(origin.slice(0, 100))} are refused: only ingestion (POST /v1/traces, /api/v2/spans) answers other origins`;
      const site = req.headers['sec-fetch-site'];
      if (site === undefined || site === 'same-origin' || site === 'none') return undefined;
      // Following a link to the viewer is fine; the page it opens reads its data same-origin.
      if (req.method === 'GET' && url.pathname === '/' && req.headers['sec-fetch-mode'] === 'navigate') return undefined;
      return `a ${site} request for ${url.pathname} is refused: only ingestion (POST /v1/traces, /api/v2/spans) answers other sites`;
    },
  };
}
