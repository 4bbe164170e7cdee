import type { Attributes } from '../../core/types.js';
import { bindingCall, declaresAll, wrapMethods, type BindingWrapper } from './call.js';

/**
 * R2 (workerd's R2Bucket: head, get, put, delete, list, createMultipartUpload,
 * resumeMultipartUpload, and the multipart upload's uploadPart, complete,
 * abort). Each call is a CLIENT span `R2 <method>`. Object storage has no
 * semantic convention of its own beyond AWS S3's; the database client ones
 * fit (https://opentelemetry.io/docs/specs/semconv/database/database-spans/):
 * `db.system.name` a custom value, `db.operation.name` the method,
 * `db.namespace` the binding's env key. Object keys and bodies are never
 * recorded; a body (a ReadableStream given to put, the R2ObjectBody get
 * returns) reaches its reader untouched, unread.
 */
export const r2: BindingWrapper = (bucket, call, name) => {
  if (!declaresAll(bucket, 'head createMultipartUpload resumeMultipartUpload')) return undefined;
  const traced = (target: object, methods: string) =>
    wrapMethods(target, methods, (method, _args, run) => {
      const attributes: Attributes = { 'db.system.name': 'cloudflare.r2', 'db.operation.name': method, 'db.namespace': name };
      // The multipart upload a create (a promise) or resume (at once) hands back is traced too.
      const start = method.endsWith('MultipartUpload') ? () => thenOrNow(run(), upload) : run;
      return bindingCall(call(), `R2 ${method}`, attributes, start, (result, span) => {
        // Found or not (head, get), or the objects listed: "db.response.returned_rows" (database-spans.md).
        if (method === 'head' || method === 'get') span.setAttribute('db.response.returned_rows', result == null ? 0 : 1);
        if (method === 'list') span.setAttribute('db.response.returned_rows', (result as { objects?: unknown[] } | undefined)?.objects?.length);
      });
    });
  const upload = (u: unknown) => (u && typeof u === 'object' && declaresAll(u, 'uploadPart complete abort') ? traced(u, 'uploadPart complete abort') : u);
  return traced(bucket, 'head get put delete list createMultipartUpload resumeMultipartUpload');
};

const thenOrNow = (value: unknown, f: (v: unknown) => unknown) => (value instanceof Promise ? value.then(f) : f(value));
