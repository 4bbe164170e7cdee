// The measured loop of the Chromium fetch-overhead bench, shared by every
// page: m sequential same-origin fetch('/data') calls, each body read.
// Returns µs per call (client-observed).
export const fetchBench = {
  async run(m) {
    const t0 = performance.now();
    for (let i = 0; i < m; i++) {
      const res = await fetch(`/data?i=${i}`);
      await res.text();
    }
    return ((performance.now() - t0) * 1000) / m;
  },
};
