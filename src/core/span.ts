import { addAttributes, isAttributeValue, newAttributes, toText, truncate } from './attributes.js';
import { toEpochMillis, type Clock } from './clock.js';
import { warnOnce } from './diag.js';
import { DEV } from './dev.js';
import type { ResolvedSpanLimits } from './limits.js';
import {
  SpanStatusCode,
  type AttributeValue,
  type Attributes,
  type InstrumentationScope,
  type Link,
  type ReadableLink,
  type ReadableSpan,
  type Resource,
  type Span,
  type SpanContext,
  type SpanKind,
  type SpanStatus,
  type TimeInput,
  type TimedEvent,
} from './types.js';

const UNSET: SpanStatus = Object.freeze({ code: SpanStatusCode.UNSET });
/** One frozen empty array: the events and links of a span that has none, and the links a sampler sees when there are none. */
export const NONE = Object.freeze([]) as unknown as never[];

/** What a recording span needs from the tracer that made it. */
export interface SpanOwner {
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
  readonly limits: ResolvedSpanLimits;
  readonly clock: Clock;
  onEnd(span: RecordingSpan): void;
}

/**
 * A span that records. One small class with plain fields: the fields are the
 * `ReadableSpan` processors and exporters read, so nothing is copied at end().
 * Every method is safe to call after end() (it is ignored, once diagnosed).
 */
export class RecordingSpan implements Span, ReadableSpan {
  name: string;
  readonly kind: SpanKind;
  readonly parentSpanId: string | undefined;
  readonly parentIsRemote: boolean | undefined;
  readonly startTime: number;
  endTime = 0;
  status: SpanStatus = UNSET;
  readonly attributes: Attributes = newAttributes();
  droppedAttributesCount = 0;
  // Most spans have no events or links: share one frozen empty array until the first is added.
  events: TimedEvent[] = NONE;
  droppedEventsCount = 0;
  links: ReadableLink[] = NONE;
  droppedLinksCount = 0;
  ended = false;
  // Declared, not defined: the constructor sets them, last, so they stay the
  // last keys with no field initializer code emitted for them.
  declare readonly resource: Resource;
  declare readonly scope: InstrumentationScope;
  readonly #context: SpanContext;
  readonly #owner: SpanOwner;
  #attributeCount = 0;

  constructor(
    owner: SpanOwner,
    context: SpanContext,
    name: string,
    kind: SpanKind,
    parent: SpanContext | undefined,
    startTime: number,
    attributes: Attributes | undefined,
    links: Link[] | undefined,
  ) {
    this.#owner = owner;
    this.#context = context;
    this.name = name;
    this.kind = kind;
    this.parentSpanId = parent?.spanId;
    this.parentIsRemote = parent && parent.isRemote === true;
    this.startTime = startTime;
    this.resource = owner.resource;
    this.scope = owner.scope;
    if (attributes) this.setAttributes(attributes);
    if (links) this.addLinks(links);
  }

  spanContext(): SpanContext {
    return this.#context;
  }

  isRecording(): boolean {
    return !this.ended;
  }

  #isEnded(what: string): boolean {
    if (this.ended) warnOnce('W19', DEV && `${what} called on an ended span ("${this.name}"); ignored`, what);
    return this.ended;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.#isEnded('setAttribute') || typeof key != 'string' || key === '' || !isAttributeValue(value)) return this;
    const limits = this.#owner.limits;
    if (!(key in this.attributes)) {
      if (this.#attributeCount >= limits.attributeCountLimit) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#attributeCount++;
    }
    this.attributes[key] = truncate(value, limits.attributeValueLengthLimit);
    return this;
  }

  setAttributes(attributes: Attributes): this {
    // Own keys only: what a page put on Object.prototype is no attribute of every span.
    if (attributes && typeof attributes == 'object') for (const key of Object.keys(attributes)) this.setAttribute(key, attributes[key]);
    return this;
  }

  /** Appends an event or link within `limit`, its attributes within `perItem`; counts what is dropped. */
  #push(list: 'events' | 'links', limit: number, perItem: number, attributes: Attributes | undefined, item: object): this {
    if (this[list].length >= limit) this[list == 'events' ? 'droppedEventsCount' : 'droppedLinksCount']++;
    else {
      const target = newAttributes();
      const dropped = addAttributes(target, attributes, perItem, this.#owner.limits.attributeValueLengthLimit);
      if (this[list] === NONE) this[list] = [];
      (this[list] as object[]).push(Object.assign(item, { attributes: target, droppedAttributesCount: dropped }));
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#isEnded('addEvent')) return this;
    const limits = this.#owner.limits;
    const timeFirst = isTimeInput(attributesOrTime);
    return this.#push('events', limits.eventCountLimit, limits.attributePerEventCountLimit, timeFirst ? undefined : (attributesOrTime as Attributes), {
      name: toText(name),
      time: toEpochMillis(timeFirst ? attributesOrTime : time) ?? this.#owner.clock(),
    });
  }

  addLink(link: Link): this {
    if (this.#isEnded('addLink') || !link?.context) return this;
    const limits = this.#owner.limits;
    return this.#push('links', limits.linkCountLimit, limits.attributePerLinkCountLimit, link.attributes, { context: link.context });
  }

  addLinks(links: Link[]): this {
    if (Array.isArray(links)) for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    // Status precedence (https://opentelemetry.io/docs/specs/otel/trace/api/#set-status):
    // OK is final; UNSET is ignored; a description only goes with ERROR.
    const code = status?.code;
    if (!this.#isEnded('setStatus') && this.status.code !== SpanStatusCode.OK && (code === SpanStatusCode.OK || code === SpanStatusCode.ERROR)) {
      this.status = code === SpanStatusCode.ERROR && typeof status.message == 'string' ? { code, message: status.message } : { code };
    }
    return this;
  }

  updateName(name: string): this {
    if (!this.#isEnded('updateName')) this.name = toText(name);
    return this;
  }

  /**
   * Records an `exception` event with the semantic-convention attributes
   * (https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/).
   * It does not set the status: callers decide whether the exception is an error.
   */
  recordException(exception: unknown, time?: TimeInput): void {
    const attributes: Attributes = {};
    const e = exception as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown } | undefined;
    try {
      if (e && typeof e == 'object') {
        // A string code (Node's 'ECONNRESET') is the type; a numeric one (a DOMException's legacy 20) is not: its name is.
        const type = typeof e.code == 'string' && e.code ? e.code : e.name;
        if (type && typeof type == 'string') attributes['exception.type'] = type;
        if (typeof e.message == 'string') attributes['exception.message'] = e.message;
        if (typeof e.stack == 'string') attributes['exception.stacktrace'] = e.stack;
      } else if (e !== undefined) attributes['exception.message'] = toText(e);
    } catch {
      // getters that throw (a Proxy, a revoked object): record what was read
    }
    this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.#isEnded('end')) return;
    let end = toEpochMillis(endTime) ?? this.#owner.clock();
    if (end < this.startTime) {
      warnOnce('W20', DEV && `span "${this.name}" ended before it started; its end time is set to its start time`);
      end = this.startTime;
    }
    this.endTime = end;
    this.ended = true;
    this.#owner.onEnd(this);
  }
}

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value == 'number' || value instanceof Date || (Array.isArray(value) && value.length == 2 && typeof value[0] == 'number');
}

const self = function (this: unknown) {
  return this;
};

/**
 * A span that is not recorded (sampled out, or a remote parent): it carries its
 * context so propagation still works, and every other call is a no-op.
 */
export class NonRecordingSpan implements Span {
  readonly #context: SpanContext;
  constructor(context: SpanContext) {
    this.#context = context;
  }
  spanContext(): SpanContext {
    return this.#context;
  }
  declare setAttribute: () => this;
  declare setAttributes: () => this;
  declare addEvent: () => this;
  declare addLink: () => this;
  declare addLinks: () => this;
  declare setStatus: () => this;
  declare updateName: () => this;
  declare end: () => void;
  declare recordException: () => void;
  isRecording(): boolean {
    return false;
  }
}
for (const m of ['setAttribute', 'setAttributes', 'addEvent', 'addLink', 'addLinks', 'setStatus', 'updateName', 'end', 'recordException'] as const) {
  (NonRecordingSpan.prototype as unknown as Record<string, unknown>)[m] = self;
}
