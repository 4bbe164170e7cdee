import { warnOnce } from './diag.js';
import { DEV } from './dev.js';
import { ExportResultCode, type ExportResult, type ReadableSpan, type SpanExporter } from './types.js';

/**
 * Calls an exporter without letting it hurt the caller: a throw or a rejected
 * promise becomes a FAILED result, and `timeoutMillis` bounds how long we wait.
 */
export async function exportOnce(exporter: SpanExporter, spans: ReadableSpan[], timeoutMillis: number): Promise<ExportResult> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    const timeout = new Promise<ExportResult>((resolve) => {
      timer = setTimeout(() => resolve(failedWith(new Error('export timed out'))), timeoutMillis);
      unrefTimer(timer);
    });
    const result = await Promise.race([exporter.export(spans), timeout]);
    return result ?? { code: ExportResultCode.SUCCESS };
  } catch (error) {
    warnOnce('W18', DEV && `the span exporter threw: ${String(error)}; those spans are dropped`, DEV ? undefined : String(error));
    return failedWith(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The FAILED result for `error`; a thrown value that is not an Error becomes one with its text. */
export function failedWith(error: unknown): ExportResult {
  return { code: ExportResultCode.FAILED, error: error instanceof Error ? error : new Error(String(error)) };
}

/** Lets Node exit while a tracelet timer is pending; a no-op where timers are numbers. */
export function unrefTimer(timer: unknown): void {
  (timer as { unref?: () => void } | undefined)?.unref?.();
}
