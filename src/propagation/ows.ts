/**
 * Optional whitespace: `OWS = *( SP / HTAB )`
 * (https://www.rfc-editor.org/rfc/rfc9110#section-5.6.3), allowed around
 * list members in `tracestate` and `baggage`, and stripped from field values
 * by HTTP parsers (https://www.rfc-editor.org/rfc/rfc9110#section-5.5).
 */
function isOws(char: string | undefined): boolean {
  return char === ' ' || char === '\t';
}

/**
 * `text` without leading and trailing spaces and tabs. A loop, not a regular
 * expression: `/[ \t]+$/` backtracks quadratically on long runs of spaces in
 * hostile headers.
 */
export function trimOws(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isOws(text[start])) start++;
  while (end > start && isOws(text[end - 1])) end--;
  return text.slice(start, end);
}
