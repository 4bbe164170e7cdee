/** tracelet/worker: tracing for Cloudflare Workers. */
export { instrument, type WorkerConfig } from './worker/instrument.js';
export { configFromEnv, type EnvConfig } from './worker/env-config.js';
export * from './index.js';
