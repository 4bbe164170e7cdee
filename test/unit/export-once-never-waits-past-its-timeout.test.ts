// exportOnce is how both span processors call an exporter: whatever the
// exporter does (hang, throw, reject, return nothing), the caller gets a
// result, and a hung exporter is given up on after timeoutMillis.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { exportOnce } from '../../src/core/export-once.js';
import { ExportResultCode, type ExportResult, type SpanExporter } from '../../src/core/types.js';

afterEach(() => {
  vi.useRealTimers();
});

const exporter = (exp: () => Promise<ExportResult> | undefined): SpanExporter => ({ export: exp, shutdown: async () => {} }) as unknown as SpanExporter;

describe('exportOnce', () => {
  it('a hung exporter: FAILED with "export timed out" exactly at timeoutMillis, and no timer left behind', async () => {
    vi.useFakeTimers();
    let settled: ExportResult | undefined;
    void exportOnce(exporter(() => new Promise<ExportResult>(() => {})), [], 1000).then((r) => (settled = r));
    await vi.advanceTimersByTimeAsync(999);
    expect(settled).toBeUndefined();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled?.code).toBe(ExportResultCode.FAILED);
    expect(settled?.error?.message).toBe('export timed out');
    expect(vi.getTimerCount()).toBe(0);
  });

  it("an exporter that answers in time: its own result, and the timeout's timer cleared", async () => {
    vi.useFakeTimers();
    const result = await exportOnce(exporter(async () => ({ code: ExportResultCode.FAILED, error: new Error('503') })), [], 1000);
    expect(result).toEqual({ code: ExportResultCode.FAILED, error: new Error('503') });
    expect(vi.getTimerCount()).toBe(0);
  });
});
