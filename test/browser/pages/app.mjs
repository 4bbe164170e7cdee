// Starts tracelet from the config in the query string (JSON in ?config=...),
// and exposes it to the test as window.t.
import * as tracelet from '/dist/browser.js';

const config = JSON.parse(new URLSearchParams(location.search).get('config') ?? '{}');
// JSON has no RegExp: `propagateToRegExp` / `ignoreUrlsRegExp` carry their sources.
for (const key of ['propagateTo', 'ignoreUrls']) {
  if (config[key + 'RegExp']) config[key] = [...(config[key] ?? []), new RegExp(config[key + 'RegExp'])];
  delete config[key + 'RegExp'];
}
window.tracelet = tracelet;
window.t = tracelet.startBrowserTracing(config);
window.ready = true;
