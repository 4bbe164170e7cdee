// The SPA, bundled by rollup at demo start with `tracelet/browser`: only what it
// imports below ends up in spa.js (no web-vitals, no XHR, no zone).
import {
  startBrowserTracing,
  fetchInstrumentation,
  navigationInstrumentation,
  sessionInstrumentation,
} from 'tracelet/browser';

const { serviceName, endpoint, worker } = document.currentScript.dataset;
startBrowserTracing({
  serviceName,
  endpoint,
  propagateTo: [worker],
  instrumentations: [fetchInstrumentation(), navigationInstrumentation(), sessionInstrumentation()],
});

const view = document.getElementById('view');
const routes = {
  '/spa/products': async () => `products: socks, hats`,
  // The route change fetches from the edge worker: the navigation span parents that fetch.
  '/spa/checkout': async () => {
    const res = await fetch(`${worker}/api/buy`, { method: 'POST', body: JSON.stringify({ item: 'hat', from: 'spa' }) });
    return `checkout: ${res.status} ${await res.text()}`;
  },
};

async function render() {
  const route = routes[location.pathname];
  view.textContent = route ? await route() : 'home';
}

for (const link of document.querySelectorAll('nav a')) {
  link.addEventListener('click', (event) => {
    event.preventDefault();
    history.pushState({}, '', link.getAttribute('href'));
    void render();
  });
}
addEventListener('popstate', () => void render());
