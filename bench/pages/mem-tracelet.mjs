// tracelet/browser (fetch instrumentation only, default delivery) exporting to the sink or a closed port.
import { startBrowserTracing, fetchInstrumentation } from '../../dist/browser.js';
import { memBench, endpoint } from './mem-loop.mjs';
const { tracer } = startBrowserTracing({
  serviceName: 'bench',
  endpoint: endpoint(),
  instrumentations: [fetchInstrumentation()],
});
window.bench = memBench(tracer);
