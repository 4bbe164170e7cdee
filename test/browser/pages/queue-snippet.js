// The pre-load queue snippet, as an external file (strict CSP allows no inline script).
window.tracelet = window.tracelet || { q: [] };
window.tracelet.q.push(['setUser', 'user-42']);
