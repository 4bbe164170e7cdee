/** Compresses an OTLP JSON body; the result is sent with `Content-Encoding: gzip`. */
export type Compressor = (json: string) => Promise<Uint8Array>;

/**
 * gzip through the platform's `CompressionStream`
 * (https://compression.spec.whatwg.org/): browsers, Workers, Node 18+. An opt-in
 * import in the browser, where `Content-Encoding` is not CORS-safelisted and a
 * collector must allow it:
 *
 * @example
 * import { startBrowserTracing, gzip } from 'tracelet/browser';
 * startBrowserTracing({ endpoint, compression: gzip });
 */
export const gzip: Compressor = async (json) =>
  // Bytes, not a Blob: workerd sends a Blob body measurably slower.
  new Uint8Array(await new Response(new Blob([json]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer());
