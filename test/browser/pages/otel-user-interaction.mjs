// A page as an app's bundler builds it (test/browser/otel-user-interaction-*.test.ts
// bundles this file with rollup): tracelet's browser tracing with its fetch
// instrumentation, tracelet/otel-api, and OpenTelemetry's user-interaction
// instrumentation registered the way its README says. ?endpoint= is the
// collector; ?cm= the context manager ('sync', or 'zone' with zone.js loaded first).
import { autoContextManager, fetchInstrumentation, startBrowserTracing } from '../../../dist/dev/browser.js';
import { registerOpenTelemetryApi } from '../../../dist/dev/otel-api.js';
import { trace } from '@opentelemetry/api';
import { registerInstrumentations } from '@opentelemetry/instrumentation';
import { UserInteractionInstrumentation } from '@opentelemetry/instrumentation-user-interaction';

const params = new URLSearchParams(location.search);
const tracing = startBrowserTracing({
  serviceName: 'otel-ui-test',
  endpoint: params.get('endpoint'),
  batch: { scheduledDelayMillis: 200 },
  contextManager: autoContextManager(params.get('cm') ?? 'auto'),
  instrumentations: [fetchInstrumentation()],
});
window.registered = registerOpenTelemetryApi();
registerInstrumentations({ instrumentations: [new UserInteractionInstrumentation()] });

window.t = tracing;
window.otelTrace = trace;
window.ready = true;
