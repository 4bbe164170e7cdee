// Starts tracelet from the config in the query string (JSON in ?config=...),
// and exposes it to the test as window.t. The development build (dist/dev/)
// unless the query says ?build=prod: the production build, with diagnostic codes.
const tracelet = await import(new URLSearchParams(location.search).get('build') === 'prod' ? '/dist/browser.js' : '/dist/dev/browser.js');

const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}');
// JSON has no RegExp: `propagateToRegExp` / `ignoreUrlsRegExp` carry their sources.
for (const key of ['propagateTo', 'ignoreUrls']) {
  if (config[key + 'RegExp']) config[key] = [...(config[key] ?? []), new RegExp(config[key + 'RegExp'])];
  delete config[key + 'RegExp'];
}
// `webVitalsAttribution: true`: a second tracing, service `<serviceName>-full`, records the vitals
// with web-vitals' attribution build (the opt-in), so a test compares it with the default on one page.
const fullAttribution = config.webVitalsAttribution;
delete config.webVitalsAttribution;
// JSON has no objects with behaviour either: the tests name what they want, and the
// page builds it with tracelet's own helpers (everything on unless the test says false).
config.instrumentations = tracelet.rumInstrumentations(config.instrumentations ?? {});
config.contextManager = tracelet.autoContextManager(config.contextManager ?? 'auto');
// Without a name list the page runs startBrowserTracing's own default (W3CInjector).
if (config.propagators) config.propagators = tracelet.createPropagator(config.propagators);
window.tracelet = tracelet;
window.t = tracelet.startBrowserTracing(config);
if (fullAttribution) {
  const instrumentations = [tracelet.webVitalsAttributionInstrumentation()];
  window.t2 = tracelet.startBrowserTracing({ ...config, serviceName: `${config.serviceName}-full`, instrumentations, registerGlobals: false, persist: false });
}
window.ready = true;
