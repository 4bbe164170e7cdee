export interface StoredSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  traceState?: string;
  flags?: number;
  name: string;
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes?: { key: string; value: Record<string, unknown> }[];
  events?: { timeUnixNano: string; name: string; attributes?: unknown[] }[];
  links?: { traceId: string; spanId: string; traceState?: string; flags?: number }[];
  status?: { code?: number; message?: string };
  droppedAttributesCount?: number;
  droppedEventsCount?: number;
  droppedLinksCount?: number;
  /** Resource attributes, decoded. */
  resource: Record<string, unknown>;
  scope: { name: string; version?: string };
  /** Span attributes, decoded (int64 as number when safe). */
  attributesMap: Record<string, unknown>;
}

export interface CollectorLimits {
  /** Spans kept at most; the least recently updated traces are dropped whole. Default 100,000. */
  maxSpans: number;
  /** About this many bytes of span data kept at most. Default 256 MiB. */
  maxBytes: number;
  /** Longer strings are cut to this many characters. Default 4096. */
  maxStringLength: number;
  /** Longer lists (attributes, events, links, array values) are cut to this many items. Default 256. */
  maxListLength: number;
}

export interface CollectorStats {
  spans: number;
  traces: number;
  approxBytes: number;
  dropped: { traces: number; spans: number };
  truncated: { values: number; items: number };
  limits: CollectorLimits;
  /** Requests refused: a `Host` that is not the collector's, or another origin where only its own may ask. */
  refused: { host: number; origin: number };
}

export interface CollectorOptions extends Partial<CollectorLimits> {
  /** 4318 by default; 0 picks a free port. */
  port?: number;
  /** 127.0.0.1 by default. Anything but loopback prints a warning. */
  host?: string;
  /** Appends every stored span to this file, one JSON object per line. */
  jsonl?: string;
  /** A trace is printed once it got no span for this long. Default 1000. */
  quietMs?: number;
  print?: boolean | ((text: string) => void);
  /** Where warnings go (exposure, drops). Default console.warn. */
  warn?: (text: string) => void;
  /** Origins that may send spans (POST /v1/traces); every origin when not given. */
  allowOrigins?: string[];
  /** Further names the `Host` header may carry, besides the addresses it listens on. */
  allowHosts?: string[];
  /** Bytes on the wire per request. Default 8 MiB. */
  maxBodyBytes?: number;
  /** Bytes after gzip inflation per request. Default 64 MiB. */
  maxInflatedBytes?: number;
}

export const DEFAULT_LIMITS: Readonly<CollectorLimits>;
export const MAX_BODY_BYTES: number;
export const MAX_INFLATED_BYTES: number;

export interface Collector {
  url: string;
  port: number;
  tracesUrl: string;
  routes: Map<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown>;
  spans(): StoredSpan[];
  traces(): { traceId: string; spans: StoredSpan[] }[];
  limits: CollectorLimits;
  stats(): CollectorStats;
  requests(): { headers: Record<string, string | string[] | undefined>; contentEncoding: string; bytes: number; spanCount: number }[];
  clear(): void;
  waitForSpans(until: number | ((spans: StoredSpan[]) => boolean), options?: { timeoutMs?: number }): Promise<StoredSpan[]>;
  close(): Promise<void>;
}

export function startCollector(options?: CollectorOptions): Promise<Collector>;
