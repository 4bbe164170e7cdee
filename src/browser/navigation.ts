import type { Context, ContextManager } from '../core/context.js';
import { getSpan, setSpan } from '../core/span-in-context.js';
import type { Tracer } from '../core/tracer.js';
import type { Span } from '../core/types.js';

export interface NavigationOptions {
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
  const settle = options.settleMs ?? 1000;
  let current: { span: Span; until: number } | undefined;
  let previous = location.href;

  function changed(type: string): void {
    try {
      const url = location.href;
      if (url === previous && type !== 'replaceState') return;
      if (current?.span.isRecording()) current.span.end();
      // A fragment change fires popstate before hashchange: one span, named for what happened.
      if (type === 'popstate' && url.split('#')[0] === previous.split('#')[0]) type = 'hashchange';
      const span = tracer.startSpan('navigation', {
        attributes: { 'url.full': url, 'browser.navigation.previous_url': previous, 'browser.navigation.type': type },
      });
      previous = url;
      current = { span, until: Date.now() + settle };
      const c = current;
      setTimeout(() => {
        if (current === c) current = undefined;
        if (c.span.isRecording()) c.span.end();
      }, settle);
    } catch {
      // never break the app's navigation
    }
  }

  const { pushState, replaceState } = history;
  history.pushState = function (this: History, ...args: Parameters<History['pushState']>) {
    const result = pushState.apply(this, args);
    changed('pushState');
    return result;
  };
  history.replaceState = function (this: History, ...args: Parameters<History['replaceState']>) {
    const result = replaceState.apply(this, args);
    changed('replaceState');
    return result;
  };
  const onPop = () => changed('popstate');
  const onHash = () => changed('hashchange');
  addEventListener('popstate', onPop);
  addEventListener('hashchange', onHash);

  return {
    uninstall() {
      history.pushState = pushState;
      history.replaceState = replaceState;
      removeEventListener('popstate', onPop);
      removeEventListener('hashchange', onHash);
      if (current?.span.isRecording()) current.span.end();
    },
    /** The page is going away: end the route change in progress so it is sent. */
    endPending() {
      if (current?.span.isRecording()) current.span.end();
      current = undefined;
    },
    parentFor(context: Context): Context {
      if (getSpan(context) || !current || Date.now() > current.until) return context;
      return setSpan(context, current.span);
    },
  };
}
