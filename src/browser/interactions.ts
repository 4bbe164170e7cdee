import type { ContextManager } from '../core/context.js';
import { setSpan } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import type { Span } from '../core/types.js';
import { describeElement } from './lib/selector.js';
import { patch } from './lib/patch.js';
import { redactHref, type PagePolicy } from './lib/request-policy.js';

export interface InteractionOptions extends PagePolicy {
  contextManager: ContextManager;
  /** Event types that make spans (default click and submit). */
  events?: string[];
}

type Listener = EventListenerOrEventListenerObject;

/**
 * User interactions: a span per click / submit that has a listener, named
 * `{event} {target}` (e.g. `click button#buy`), active while the page's own
 * listeners run, so fetch and XHR they start are its children. Listeners are
 * wrapped as they are added (EventTarget.prototype), and unwrapped on remove.
 * The uninstall stops the wrapping; removal keeps working for listeners
 * wrapped before it.
 */
export function instrumentInteractions(tracer: Tracer, options: InteractionOptions): () => void {
  const types = new Set(options.events ?? ['click', 'submit']);
  const proto = globalThis.EventTarget?.prototype;
  if (!proto) return () => {};
  const { addEventListener: add, removeEventListener: remove } = proto;
  const cm = options.contextManager;
  const spans = new WeakMap<Event, Span>();
  // listener -> `{type}{capture}` -> its wrapper
  const wrappers = new WeakMap<object, Map<string, Listener>>();
  const key = (type: string, o?: boolean | AddEventListenerOptions) => type + (typeof o === 'boolean' ? o : !!o?.capture);

  function spanFor(event: Event): Span | undefined {
    let span = spans.get(event);
    const target = event.target as Element | null;
    if (span || !event.isTrusted || typeof target?.getAttribute !== 'function') return span;
    const selector = describeElement(target);
    span = tracer.startSpan(`${event.type} ${selector}`, {
      attributes: { 'browser.event.type': event.type, 'browser.event.target': selector, 'url.full': redactHref(location.href.split('#')[0]!, options) },
    });
    spans.set(event, span);
    // The dispatch is synchronous: end once every listener of this event has run.
    setTimeout(() => span.end(), 0);
    return span;
  }

  const addPatch = function (this: EventTarget, type: string, listener: Listener | null, opts?: boolean | AddEventListenerOptions) {
    if (!listener || !types.has(type)) return add.call(this, type, listener, opts);
    let byKey = wrappers.get(listener);
    if (!byKey) wrappers.set(listener, (byKey = new Map()));
    const k = key(type, opts);
    let wrapped = byKey.get(k);
    if (!wrapped) {
      wrapped = function (this: unknown, event: Event) {
        const call = () => (typeof listener === 'function' ? listener.call(this, event) : listener.handleEvent(event));
        let span: Span | undefined;
        try {
          span = spanFor(event);
        } catch {
          // no span: the listener runs as it would have
        }
        return span ? cm.with(setSpan(cm.active(), span), call) : call();
      };
      byKey.set(k, wrapped);
    }
    // The same listener added before tracelet loaded is there unwrapped; the
    // browser would ignore adding it again, so it must not end up there twice.
    remove.call(this, type, listener, opts);
    return add.call(this, type, wrapped, opts);
  };

  // Removes the listener as added before tracelet loaded and as wrapped after,
  // whichever this target has (a listener can be on several targets).
  const removePatch = function (this: EventTarget, type: string, listener: Listener | null, opts?: boolean | EventListenerOptions) {
    const wrapped = listener && types.has(type) ? wrappers.get(listener)?.get(key(type, opts)) : undefined;
    if (wrapped) remove.call(this, type, wrapped, opts);
    return remove.call(this, type, listener, opts);
  };

  proto.removeEventListener = removePatch;
  // The uninstall: new listeners are no longer wrapped. removeEventListener keeps
  // translating, or the listeners wrapped so far could never be removed.
  return patch(proto, 'addEventListener', addPatch);
}
