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

export interface Collector {
  url: string;
  port: number;
  tracesUrl: string;
  routes: Map<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown>;
  spans(): StoredSpan[];
  traces(): { traceId: string; spans: StoredSpan[] }[];
  requests(): { headers: Record<string, string | string[] | undefined>; contentEncoding: string; bytes: number; spanCount: number }[];
  clear(): void;
  waitForSpans(until: number | ((spans: StoredSpan[]) => boolean), options?: { timeoutMs?: number }): Promise<StoredSpan[]>;
  close(): Promise<void>;
}

export function startCollector(options?: {
  port?: number;
  host?: string;
  jsonl?: string;
  quietMs?: number;
  print?: boolean | ((text: string) => void);
}): Promise<Collector>;
