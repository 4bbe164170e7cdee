import { redactHref, type PagePolicy } from './lib/request-policy.js';
import { numberOption } from '../core/diag.js';
import type { Context, ContextManager } from '../core/context.js';
import { getSpan, setSpan } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import type { Span } from '../core/types.js';
import { patch } from './lib/patch.js';

export interface NavigationOptions extends PagePolicy {
  contextManager: ContextManager;
  /** How long requests started after a route change count as its children (default 1000 ms). */
  settleMs?: number;
}

/**
 * SPA route changes: `history.pushState`, `replaceState`, `popstate` and
 * `hashchange` make a `navigation` span (`url.full` the new URL,
 * `browser.navigation.previous_url` the old one, `browser.navigation.type`).
 * Requests started during the route change (until it settles) are its
 * children even with the synchronous context manager: `parentFor()` is
 * consulted by fetch and XHR when no span is active.
 */
export function instrumentNavigation(
  tracer: Tracer,
  options: NavigationOptions,
): { uninstall(): void; parentFor(context: Context): Context; endPending(): void } {
  const settle = numberOption('navigation.settleMs', options.settleMs, 1000, '>=0');
  let current: { span: Span; until: number } | undefined;
  let previous = location.href;
  const end = (c = current) => c?.span.isRecording() && c.span.end();

  function changed(type: string): void {
    try {
      const url = location.href;
      // The URL is what routes on: a same-URL replaceState (a router saving state or scroll position) is no route change.
      if (url === previous) return;
      end();
      // A fragment change fires popstate before hashchange: one span, named for what happened.
      if (type === 'popstate' && url.split('#')[0] === previous.split('#')[0]) type = 'hashchange';
      const span = tracer.startSpan('navigation', {
        attributes: { 'url.full': redactHref(url, options), 'browser.navigation.previous_url': redactHref(previous, options), 'browser.navigation.type': type },
      });
      previous = url;
      const c = (current = { span, until: Date.now() + settle });
      setTimeout(() => {
        if (current === c) current = undefined;
        end(c);
      }, settle);
    } catch {
      // never break the app's navigation
    }
  }

  const undo = (['pushState', 'replaceState'] as const).map((method) => {
    // Wrap the method where it lives: on History.prototype (so a library that
    // wraps the prototype later still runs, and ours inside it), or on
    // `history` itself when a router put its own there before us.
    const target: History = Object.prototype.hasOwnProperty.call(history, method) ? history : Object.getPrototypeOf(history);
    const original = target[method];
    return patch(target, method, function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args);
      changed(method);
      return result;
    });
  });
  const onEvent = (event: Event) => changed(event.type);
  addEventListener('popstate', onEvent);
  addEventListener('hashchange', onEvent);

  return {
    uninstall() {
      // Restore only what is still ours: a library that wrapped us later keeps its wrapper.
      for (const u of undo) u();
      removeEventListener('popstate', onEvent);
      removeEventListener('hashchange', onEvent);
      end();
    },
    /** The page is going away: end the route change in progress so it is sent. */
    endPending() {
      end();
      current = undefined;
    },
    parentFor(context: Context): Context {
      return getSpan(context) || !current || Date.now() > current.until ? context : setSpan(context, current.span);
    },
  };
}
