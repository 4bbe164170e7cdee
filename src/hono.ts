/** tracelet/hono: Hono middleware for Cloudflare Workers. */
export { tracelet } from './worker/hono.js';
export type { WorkerConfig } from './worker/invocation.js';
