import type { Attributes } from '../../core/types.js';
import { bindingCall, declaresAll, wrapMethods, type BindingWrapper } from './call.js';

/**
 * Workers KV (workerd's KvNamespace: get, getWithMetadata, put, delete, list).
 * Each call is a CLIENT span `KV <method>` with the database client
 * conventions (https://opentelemetry.io/docs/specs/semconv/database/database-spans/):
 * `db.system.name` a custom value, as none in the registry fits (the registry's
 * style for a vendor's store, like `aws.dynamodb`); `db.operation.name` the
 * method; `db.namespace` the binding's env key (the namespace's id is not
 * visible to the Worker). Keys and values are never recorded: keys are often
 * session tokens, emails or user ids (docs/workers-bindings.md).
 */
export const kv: BindingWrapper = (value, call, name) =>
  declaresAll(value, 'getWithMetadata put list')
    ? wrapMethods(value, 'get getWithMetadata put delete list', (method, args, run) => {
        const attributes: Attributes = { 'db.system.name': 'cloudflare.kv', 'db.operation.name': method, 'db.namespace': name };
        // A bulk get takes an array of keys: "db.operation.batch.size" (database-spans.md#common-attributes).
        if (Array.isArray(args[0])) attributes['db.operation.batch.size'] = args[0].length;
        return bindingCall(call(), `KV ${method}`, attributes, run, (result, span) => {
          // Whether the key was found, as "db.response.returned_rows" (a row = a key); list: the keys returned.
          const r = result as { value?: unknown; keys?: unknown[]; cacheStatus?: unknown } | null | undefined;
          if (method === 'list') span.setAttribute('db.response.returned_rows', r?.keys?.length);
          else if (method === 'getWithMetadata') {
            span.setAttribute('db.response.returned_rows', r?.value == null ? 0 : 1);
            // KV's own answer ("HIT", "MISS", ...), null when the edge cache was not involved.
            if (typeof r?.cacheStatus === 'string') span.setAttribute('cloudflare.kv.cache_status', r.cacheStatus);
          } else if (method === 'get') {
            span.setAttribute('db.response.returned_rows', result instanceof Map ? [...result.values()].filter((v) => v != null).length : result == null ? 0 : 1);
          }
        });
      })
    : undefined;
