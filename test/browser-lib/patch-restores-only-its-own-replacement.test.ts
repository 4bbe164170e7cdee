// patch(): puts a replacement in place and returns the undo, which restores the
// very original only while the replacement is still there. On real DOM
// prototypes: the restored method returns and throws exactly what it did.
import { expect, test } from 'vitest';
import { patch } from '../../src/browser/lib/patch.js';

test('replaces the property, and the undo puts back the very original', () => {
  const original = XMLHttpRequest.prototype.open;
  const replacement = function (this: XMLHttpRequest, ...args: Parameters<typeof original>) {
    return original.apply(this, args);
  } as typeof original;
  const undo = patch(XMLHttpRequest.prototype, 'open', replacement);
  expect(XMLHttpRequest.prototype.open).toBe(replacement);
  expect(undo()).toBeUndefined();
  expect(XMLHttpRequest.prototype.open).toBe(original);
});

test('a wrapper that calls the original returns and throws what the original does; so does the original after the undo', () => {
  const original = Element.prototype.setAttribute;
  const undo = patch(Element.prototype, 'setAttribute', function (this: Element, name: string, value: string) {
    return original.call(this, name, value);
  });
  const el = document.createElement('div');
  const thrown = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return e;
    }
    throw new Error('did not throw');
  };
  expect(el.setAttribute('data-x', '1')).toBeUndefined();
  const whilePatched = thrown(() => el.setAttribute('1 bad name', 'x')) as DOMException;
  undo();
  expect(Element.prototype.setAttribute).toBe(original);
  const afterUndo = thrown(() => el.setAttribute('1 bad name', 'x')) as DOMException;
  expect(whilePatched).toBeInstanceOf(DOMException);
  expect(whilePatched.name).toBe('InvalidCharacterError');
  expect(afterUndo.name).toBe(whilePatched.name);
  expect(el.getAttribute('data-x')).toBe('1');
});

test('a library that wrapped it after us keeps its wrapper: the undo changes nothing', () => {
  const target = { run: (x: number) => x };
  const original = target.run;
  const ours = (x: number) => original(x) + 1;
  const undo = patch(target, 'run', ours);
  const theirs = (x: number) => ours(x) * 10;
  target.run = theirs;
  undo();
  expect(target.run).toBe(theirs);
  expect(target.run(1)).toBe(20);
});

test('the undo is harmless when called twice, and after another undo restored the original', () => {
  const target = { f: () => 'original' };
  const original = target.f;
  const undo = patch(target, 'f', () => 'ours');
  expect(target.f()).toBe('ours');
  undo();
  undo();
  expect(target.f).toBe(original);
});

test('patches an inherited property as an own property of the target, leaving the prototype alone', () => {
  const proto = { greet: () => 'proto' };
  const target = Object.create(proto) as typeof proto;
  const undo = patch(target, 'greet', () => 'patched');
  expect(target.greet()).toBe('patched');
  expect(proto.greet()).toBe('proto');
  undo();
  expect(target.greet()).toBe('proto');
});
