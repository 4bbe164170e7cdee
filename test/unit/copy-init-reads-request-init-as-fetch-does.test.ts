import { describe, expect, it } from 'vitest';
import { copyInit } from '../../src/http/request-init.js';

// fetch reads its RequestInit as a WebIDL dictionary
// (https://webidl.spec.whatwg.org/#js-dictionary): each member through [[Get]],
// so inherited members and getters count, and an undefined member is absent.
const MEMBERS = ['method', 'headers', 'body', 'signal'];

describe('copyInit', () => {
  it('copies own members and extras, and members inherited or behind a getter, each read once', () => {
    let reads = 0;
    class Init {
      get method() {
        reads++;
        return 'POST';
      }
    }
    const init = Object.assign(Object.create(new Init()) as RequestInit, { body: 'x', cf: { cacheTtl: 5 } });
    expect(copyInit(init, MEMBERS)).toStrictEqual({ body: 'x', cf: { cacheTtl: 5 }, method: 'POST' });
    expect(reads).toBe(1);
  });

  it('leaves undefined members out, and gives an empty init for none', () => {
    expect(copyInit({ method: 'GET', body: undefined, headers: undefined }, MEMBERS)).toStrictEqual({ method: 'GET' });
    expect(copyInit(undefined, MEMBERS)).toStrictEqual({});
  });
});
