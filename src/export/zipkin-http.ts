import { DEV } from '../core/dev.js';
import { fail } from '../core/diag.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from '../core/types.js';
import { createSender, failed, inFlight, type Sender, type SenderOptions } from './otlp-http.js';
import { gzip, type Compressor } from './gzip.js';
import { encodeZipkinJson } from './zipkin-json.js';

/** Zipkin's own default (https://zipkin.io/zipkin-api/#/default/post_spans on port 9411). */
export const DEFAULT_ZIPKIN_URL = 'http://localhost:9411/api/v2/spans';

export interface ZipkinExporterOptions extends Omit<SenderOptions, 'endpoint'> {
  /** Full URL of the Zipkin v2 span endpoint (default `http://localhost:9411/api/v2/spans`). */
  url?: string;
  /**
   * `'gzip'` (default where `CompressionStream` exists, for bodies over 1 KiB;
   * Zipkin reads `Content-Encoding: gzip`), `'none'`, or a function from the
   * JSON body to compressed bytes.
   */
  compression?: 'gzip' | 'none' | Compressor;
}

/**
 * Sends spans as Zipkin v2 JSON (`POST /api/v2/spans`, answered 202) through
 * the same sender as the OTLP exporter (otlp-http.ts `createSender`): the
 * same retries (429, 502, 503, 504 and network errors, `Retry-After`, backoff
 * with jitter), timeouts, headers and compression. Never throws once built.
 * An opt-in import (`tracelet/zipkin`): no other entry carries it.
 *
 * @example
 * import { createPipeline, W3CTraceContextPropagator } from 'tracelet';
 * import { ZipkinExporter } from 'tracelet/zipkin';
 * createPipeline({ serviceName: 'checkout', exporter: new ZipkinExporter({ url: 'http://zipkin:9411/api/v2/spans' }), propagator: new W3CTraceContextPropagator() });
 */
export class ZipkinExporter implements SpanExporter {
  declare readonly url: string;
  /** The request headers: the configured ones with lower-cased names, and `content-type: application/json`. */
  declare readonly headers: Readonly<Record<string, string>>;
  readonly #sender: Sender;
  readonly #pending = inFlight();
  #shutdown = false;

  constructor(options: ZipkinExporterOptions = {}) {
    const url = options.url ?? DEFAULT_ZIPKIN_URL;
    // Checked here, with Zipkin's example URL in the message (the sender's own check, E2, names an OTLP one).
    let parsed: URL | undefined;
    try {
      parsed = new URL(url, options.baseUrl);
    } catch {
      // below
    }
    if (!parsed || !/^https?:$/.test(parsed.protocol)) fail('E30', DEV && `zipkin url "${url}" must be an http: or https: URL, e.g. ${DEFAULT_ZIPKIN_URL}`, url);
    const compression = options.compression;
    if (compression !== undefined && compression !== 'gzip' && compression !== 'none' && typeof compression !== 'function') {
      fail('E4', DEV && `compression must be 'gzip' or 'none', got ${String(compression)}`, compression);
    }
    const compress = typeof compression === 'function' ? compression : compression === 'none' || typeof CompressionStream !== 'function' ? undefined : gzip;
    const sender = (this.#sender = createSender({ ...options, endpoint: parsed!.href }, compress));
    this.url = sender.endpoint;
    // Not enumerable: `JSON.stringify(exporter)` shows no API key.
    Object.defineProperty(this, 'headers', { value: sender.headers });
  }

  export(spans: ReadableSpan[]): Promise<ExportResult> {
    if (this.#shutdown) return Promise.resolve(failed('exporter is shut down'));
    if (!spans.length) return Promise.resolve({ code: ExportResultCode.SUCCESS });
    return this.#pending.track(this.#sender.send(encodeZipkinJson(spans), spans.length));
  }

  /** Waits for exports in flight. */
  forceFlush(): Promise<void> {
    return this.#pending.settled();
  }

  async shutdown(): Promise<void> {
    await this.forceFlush();
    this.#shutdown = true;
  }
}
