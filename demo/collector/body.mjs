// Reading a request body with two bounds: the bytes on the wire, and the bytes
// after gzip inflation. The second is what protects memory: a 1 MB gzip of zeros
// inflates to about 1 GB, so inflation stops as soon as the bound is passed.
import { createGunzip } from 'node:zlib';

export class HttpError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Resolves with the (inflated) body, or rejects with an HttpError: 413 past a
 * bound, 400 for a broken gzip stream.
 * @param {import('node:http').IncomingMessage} req
 * @param {{ gzip: boolean, maxBodyBytes: number, maxInflatedBytes: number }} options
 */
export function readBody(req, { gzip, maxBodyBytes, maxInflatedBytes }) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let received = 0;
    let size = 0;
    let settled = false;
    const inflater = gzip ? createGunzip() : undefined;

    const settle = (error) => {
      if (settled) return;
      settled = true;
      if (error) {
        inflater?.destroy();
        chunks.length = 0;
        // Read and discard the rest, so the client sees our answer rather than a reset.
        req.resume();
        reject(error);
      } else resolve(Buffer.concat(chunks, size));
    };
    const keep = (chunk) => {
      if (settled) return;
      size += chunk.length;
      if (size > maxInflatedBytes) return settle(new HttpError(413, `body larger than ${maxInflatedBytes} bytes after gzip inflation; the collector stops reading there`));
      chunks.push(chunk);
    };

    req.on('data', (chunk) => {
      if (settled) return;
      received += chunk.length;
      if (received > maxBodyBytes) return settle(new HttpError(413, `body larger than ${maxBodyBytes} bytes`));
      if (inflater) inflater.write(chunk);
      else keep(chunk);
    });
    req.on('end', () => {
      if (settled) return;
      if (inflater) inflater.end();
      else settle();
    });
    req.on('error', (error) => settle(new HttpError(400, `request aborted: ${error.message}`)));
    req.on('close', () => {
      if (!req.complete) settle(new HttpError(400, 'request closed before its body ended'));
    });
    inflater?.on('data', keep);
    inflater?.on('end', () => settle());
    inflater?.on('error', (error) => settle(new HttpError(400, `invalid gzip body: ${error.message}`)));
  });
}
