// tracelet/browser with the fetch instrumentation only, exporting to the local sink.
import { startBrowserTracing, fetchInstrumentation } from '../../dist/browser.js';
import { fetchBench } from './fetch-loop.mjs';
startBrowserTracing({
  serviceName: 'bench',
  endpoint: `${location.origin}/v1/traces`,
  persist: false,
  instrumentations: [fetchInstrumentation()],
});
window.bench = fetchBench;
