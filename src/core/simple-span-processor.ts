import { exportOnce } from './export-once.js';
import type { ReadableSpan, SpanExporter, SpanProcessor } from './types.js';

/**
 * Exports every span as it ends, one export call per span. For tests, the
 * console exporter, and short scripts; use the batch processor in production.
 */
export class SimpleSpanProcessor implements SpanProcessor {
  readonly #exporter: SpanExporter;
  readonly #timeout: number;
  readonly #pending = new Set<Promise<unknown>>();
  #shutdown = false;

  constructor(exporter: SpanExporter, exportTimeoutMillis = 30_000) {
    this.#exporter = exporter;
    this.#timeout = exportTimeoutMillis;
  }

  onStart(): void {}

  onEnd(span: ReadableSpan): void {
    if (this.#shutdown) return;
    const p = exportOnce(this.#exporter, [span], this.#timeout);
    this.#pending.add(p);
    void p.finally(() => this.#pending.delete(p));
  }

  async forceFlush(): Promise<void> {
    await Promise.all(this.#pending);
    await this.#exporter.forceFlush?.();
  }

  async shutdown(): Promise<void> {
    if (this.#shutdown) return;
    await this.forceFlush();
    this.#shutdown = true;
    await this.#exporter.shutdown?.();
  }
}
