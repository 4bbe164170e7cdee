import { describe, expect, it } from 'vitest';
import { DEFAULT_REDACTED_QUERY_PARAMS, redactQuery, redactUrl } from '../../src/http/urls.js';

// Semantic conventions for url.full and url.query
// (https://opentelemetry.io/docs/specs/semconv/registry/attributes/url/#url-full):
// credentials in the URL become REDACTED, and so do the values of the query
// parameters known to carry secrets (AWSAccessKeyId, Signature, sig,
// X-Goog-Signature); the rest of the URL stays as written.
const redact = (href: string, params: readonly string[] = DEFAULT_REDACTED_QUERY_PARAMS) => redactUrl(new URL(href), params);

describe('redactUrl (url.full)', () => {
  it('replaces the user name and the password by REDACTED, whichever of them is there', () => {
    expect(redact('https://alice:s3cret@api.test/a')).toBe('https://REDACTED:REDACTED@api.test/a');
    expect(redact('https://alice@api.test/a')).toBe('https://REDACTED@api.test/a');
    expect(redact('https://:s3cret@api.test/a')).toBe('https://:REDACTED@api.test/a');
  });

  it('redacts by default the values of the four parameters the conventions name, and no other', () => {
    expect(redact('https://s3.test/o?AWSAccessKeyId=AKIA&Signature=abc&sig=def&X-Goog-Signature=ghi&page=2')).toBe(
      'https://s3.test/o?AWSAccessKeyId=REDACTED&Signature=REDACTED&sig=REDACTED&X-Goog-Signature=REDACTED&page=2',
    );
    expect(DEFAULT_REDACTED_QUERY_PARAMS).toEqual(['AWSAccessKeyId', 'Signature', 'sig', 'X-Goog-Signature']);
  });

  it('redacts a query without credentials, and credentials and query together', () => {
    expect(redact('https://api.test/a?sig=def')).toBe('https://api.test/a?sig=REDACTED');
    expect(redact('https://u:p@api.test/a?sig=def#frag')).toBe('https://REDACTED:REDACTED@api.test/a?sig=REDACTED#frag');
  });

  it('keeps a URL with nothing to redact as it is: the query, an empty one, the fragment', () => {
    expect(redact('https://api.test/a?page=2&q=x%20y#top')).toBe('https://api.test/a?page=2&q=x%20y#top');
    expect(redact('https://api.test/a?')).toBe('https://api.test/a?');
    expect(redact('https://u@api.test/a?')).toBe('https://REDACTED@api.test/a?');
    expect(redact('https://api.test/a?sig=def', [])).toBe('https://api.test/a?sig=def');
    expect(redact('https://api.test/')).toBe('https://api.test/');
  });
});

describe('redactQuery (url.query)', () => {
  it('replaces only the values of the named parameters, keeping every other pair as written', () => {
    expect(redactQuery('sig=abc&page=2&Signature=x%20y&sig=again', ['sig', 'Signature'])).toBe('sig=REDACTED&page=2&Signature=REDACTED&sig=REDACTED');
    expect(redactQuery('a=1&b=2', ['sig'])).toBe('a=1&b=2');
    expect(redactQuery('sig=abc', [])).toBe('sig=abc');
  });

  it('matches names exactly, after percent-decoding them; a name without "=" has no value to redact', () => {
    expect(redactQuery('%73ig=abc&X%2DGoog%2DSignature=def', ['sig', 'X-Goog-Signature'])).toBe('%73ig=REDACTED&X%2DGoog%2DSignature=REDACTED');
    expect(redactQuery('sig&sigs&sig2=x&xsig=y', ['sig'])).toBe('sig&sigs&sig2=x&xsig=y');
    expect(redactQuery('=abc&sig==x', ['sig'])).toBe('=abc&sig=REDACTED');
    // A pair with an empty name still has a value: configured as '', it is redacted too.
    expect(redactQuery('=abc&a=1', [''])).toBe('=REDACTED&a=1');
    // A name that is no valid percent-encoding is compared as written.
    expect(redactQuery('%E0%A4%A=abc&%zz=1', ['%E0%A4%A'])).toBe('%E0%A4%A=REDACTED&%zz=1');
  });
});
