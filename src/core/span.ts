import { addAttributes, isAttributeValue, newAttributes } from './attributes.js';
import { toEpochMillis, type Clock } from './clock.js';
import { warnOnce } from './diag.js';
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
const NONE = Object.freeze([]) as unknown as never[];

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
  readonly resource: Resource;
  readonly scope: InstrumentationScope;
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
    this.parentIsRemote = parent ? parent.isRemote === true : undefined;
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
    if (!this.ended) return false;
    warnOnce('ended:' + what, `${what} called on an ended span ("${this.name}"); ignored`);
    return true;
  }

  setAttribute(key: string, value: AttributeValue | undefined): this {
    if (this.#isEnded('setAttribute')) return this;
    if (typeof key !== 'string' || key === '' || !isAttributeValue(value)) return this;
    const limits = this.#owner.limits;
    if (!(key in this.attributes)) {
      if (this.#attributeCount >= limits.attributeCountLimit) {
        this.droppedAttributesCount++;
        return this;
      }
      this.#attributeCount++;
    }
    if (typeof value === 'string') {
      this.attributes[key] = value.length > limits.attributeValueLengthLimit ? value.slice(0, limits.attributeValueLengthLimit) : value;
    } else if (Array.isArray(value)) {
      const max = limits.attributeValueLengthLimit;
      this.attributes[key] = (value as unknown[]).map((v) => (typeof v === 'string' && v.length > max ? v.slice(0, max) : v)) as AttributeValue;
    } else {
      this.attributes[key] = value;
    }
    return this;
  }

  setAttributes(attributes: Attributes): this {
    if (attributes && typeof attributes === 'object') {
      for (const key in attributes) this.setAttribute(key, attributes[key]);
    }
    return this;
  }

  addEvent(name: string, attributesOrTime?: Attributes | TimeInput, time?: TimeInput): this {
    if (this.#isEnded('addEvent')) return this;
    const limits = this.#owner.limits;
    if (this.events.length >= limits.eventCountLimit) {
      this.droppedEventsCount++;
      return this;
    }
    let attributes: Attributes | undefined;
    if (isTimeInput(attributesOrTime)) time = attributesOrTime;
    else attributes = attributesOrTime as Attributes | undefined;
    const target = newAttributes();
    const { dropped } = addAttributes(target, attributes, limits.attributePerEventCountLimit, limits.attributeValueLengthLimit, 0);
    if (this.events === NONE) this.events = [];
    this.events.push({
      name: String(name),
      time: toEpochMillis(time) ?? this.#owner.clock(),
      attributes: target,
      droppedAttributesCount: dropped,
    });
    return this;
  }

  addLink(link: Link): this {
    if (this.#isEnded('addLink')) return this;
    if (!link || !link.context) return this;
    const limits = this.#owner.limits;
    if (this.links.length >= limits.linkCountLimit) {
      this.droppedLinksCount++;
      return this;
    }
    const target = newAttributes();
    const { dropped } = addAttributes(target, link.attributes, limits.attributePerLinkCountLimit, limits.attributeValueLengthLimit, 0);
    if (this.links === NONE) this.links = [];
    this.links.push({ context: link.context, attributes: target, droppedAttributesCount: dropped });
    return this;
  }

  addLinks(links: Link[]): this {
    if (Array.isArray(links)) for (const link of links) this.addLink(link);
    return this;
  }

  setStatus(status: SpanStatus): this {
    if (this.#isEnded('setStatus') || !status) return this;
    // Status precedence (https://opentelemetry.io/docs/specs/otel/trace/api/#set-status):
    // OK is final; UNSET is ignored; a description only goes with ERROR.
    if (this.status.code === SpanStatusCode.OK || status.code === SpanStatusCode.UNSET) return this;
    if (status.code === SpanStatusCode.OK) this.status = { code: SpanStatusCode.OK };
    else if (status.code === SpanStatusCode.ERROR) {
      this.status = typeof status.message === 'string' ? { code: SpanStatusCode.ERROR, message: status.message } : { code: SpanStatusCode.ERROR };
    }
    return this;
  }

  updateName(name: string): this {
    if (this.#isEnded('updateName')) return this;
    this.name = String(name);
    return this;
  }

  /**
   * Records an `exception` event with the semantic-convention attributes
   * (https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/).
   * It does not set the status: callers decide whether the exception is an error.
   */
  recordException(exception: unknown, time?: TimeInput): void {
    const attributes: Attributes = {};
    if (typeof exception === 'string') {
      attributes['exception.message'] = exception;
    } else if (exception && typeof exception === 'object') {
      const e = exception as { name?: unknown; message?: unknown; stack?: unknown; code?: unknown };
      const type = e.code !== undefined && e.code !== null ? String(e.code) : typeof e.name === 'string' ? e.name : undefined;
      if (type) attributes['exception.type'] = type;
      if (typeof e.message === 'string') attributes['exception.message'] = e.message;
      if (typeof e.stack === 'string') attributes['exception.stacktrace'] = e.stack;
    } else if (exception !== undefined) {
      attributes['exception.message'] = String(exception);
    }
    this.addEvent('exception', attributes, time);
  }

  end(endTime?: TimeInput): void {
    if (this.#isEnded('end')) return;
    let end = toEpochMillis(endTime) ?? this.#owner.clock();
    if (end < this.startTime) {
      warnOnce('end-before-start', `span "${this.name}" ended before it started; its end time is set to its start time`);
      end = this.startTime;
    }
    this.endTime = end;
    this.ended = true;
    this.#owner.onEnd(this);
  }
}

function isTimeInput(value: unknown): value is TimeInput {
  return typeof value === 'number' || value instanceof Date || (Array.isArray(value) && value.length === 2 && typeof value[0] === 'number');
}

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
  setAttribute(): this {
    return this;
  }
  setAttributes(): this {
    return this;
  }
  addEvent(): this {
    return this;
  }
  addLink(): this {
    return this;
  }
  addLinks(): this {
    return this;
  }
  setStatus(): this {
    return this;
  }
  updateName(): this {
    return this;
  }
  end(): void {}
  isRecording(): boolean {
    return false;
  }
  recordException(): void {}
}
