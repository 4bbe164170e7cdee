import { SpanKind } from '../../core/types.js';
import { bindingCall, declaresAll, wrapMethods, type BindingWrapper } from './call.js';

/**
 * A Queues producer (workerd's WorkerQueue: send, sendBatch). Each call is a
 * PRODUCER span `send <binding>` with the messaging conventions
 * (https://opentelemetry.io/docs/specs/semconv/messaging/messaging-spans/):
 * span name `{messaging.operation.name} {destination}` (#span-name), the
 * Required `messaging.system.name` and `messaging.operation.name`, the
 * operation type `send` (#operation-types), `messaging.destination.name`
 * the binding's env key (the queue's own name is not visible to the
 * producer; the consumer's span has it), and `messaging.batch.message_count`
 * for sendBatch (#batch-message-count: a batch only).
 *
 * The producer's context does not travel to the consumer: workerd keeps
 * only the body, its contentType and delaySeconds per message (queue.h:
 * "TODO(soon): Support metadata"), and the body is the app's, never changed
 * here. An app that wants the link puts `traceparent` into its message body
 * itself; the consumer span continues it (docs/workers-bindings.md).
 */
export const queue: BindingWrapper = (value, call, name) =>
  declaresAll(value, 'send sendBatch')
    ? wrapMethods(value, 'send sendBatch', (method, args, run) => {
        const count = method === 'sendBatch' ? (args[0] as unknown[] | undefined)?.length : undefined;
        const attributes = {
          'messaging.system.name': 'cloudflare',
          'messaging.operation.name': 'send',
          'messaging.operation.type': 'send',
          'messaging.destination.name': name,
          'messaging.batch.message_count': count,
        };
        return bindingCall(call(), `send ${name ?? 'queue'}`, attributes, run, undefined, SpanKind.PRODUCER);
      })
    : undefined;
