import { afterEach, beforeEach } from 'vitest';
import { setDiagnosticSink, type DiagnosticSink } from '../../../src/index.js';
import { resetDiagnostics } from '../../../src/core/diag.js';

/**
 * Collects tracelet's console diagnostics per test: the returned array is
 * emptied, and the one-time memory reset, before each test of the calling file.
 */
export function captureDiagnostics(): string[] {
  const messages: string[] = [];
  let previous: DiagnosticSink;
  beforeEach(() => {
    messages.length = 0;
    resetDiagnostics();
    previous = setDiagnosticSink((_level, message) => void messages.push(message));
  });
  afterEach(() => void setDiagnosticSink(previous));
  return messages;
}
