// The same snippet on a page that runs it after tracelet.min.js has loaded:
// the call runs at once instead of being queued (and must not throw).
window.tracelet = window.tracelet || { q: [] };
window.tracelet.q.push(['setAttributes', { 'app.snippet': 'after-load' }]);
