// The page's own code: plain DOM, no tracelet API calls.
document.getElementById('buy').addEventListener('click', () => {
  fetch('/api/echo?buy').then((r) => r.text());
});
document.getElementById('broken').addEventListener('click', () => {
  throw new Error('checkout exploded');
});
document.getElementById('to-cart').addEventListener('click', (event) => {
  event.preventDefault();
  history.pushState({}, '', '/cart');
});
