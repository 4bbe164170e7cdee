// The shop's own code: plain DOM and fetch, no tracing code.
const worker = document.currentScript.dataset.worker;
const out = document.getElementById('out');
document.getElementById('buy').addEventListener('click', async () => {
  const res = await fetch(`${worker}/api/buy`, { method: 'POST', body: JSON.stringify({ item: 'socks' }) });
  out.textContent = `buy: ${res.status} ${await res.text()}`;
});
document.getElementById('fail').addEventListener('click', async () => {
  const res = await fetch(`${worker}/api/fail`);
  out.textContent = `fail: ${res.status}`;
});
document.getElementById('cart').addEventListener('click', (event) => {
  event.preventDefault();
  history.pushState({}, '', '/cart');
  out.textContent = 'cart';
});
