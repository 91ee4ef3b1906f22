/**
 * replace/restore: a patched method comes back exactly — the same function, the same own descriptor,
 * or no own property when it was inherited — and a second patch wraps the original, not the first.
 */
import {isReplaced, replace, restore} from '../../../src/random/tfjs/replace';

class Base {
  greet(): string {
    return 'base';
  }
}

describe('replace and restore', () => {
  it('an inherited method: patched as an own property, then the own property is gone again', () => {
    const obj = new Base();
    replace(
      obj,
      'greet',
      (original) =>
        function (this: Base) {
          return `patched ${original.call(this)}`;
        },
    );
    expect(obj.greet()).toBe('patched base');
    expect(Object.getOwnPropertyDescriptor(obj, 'greet')?.enumerable).toBe(false);
    expect(isReplaced(obj, 'greet')).toBe(true);
    restore(obj, 'greet');
    expect(Object.prototype.hasOwnProperty.call(obj, 'greet')).toBe(false);
    expect(obj.greet).toBe(Base.prototype.greet);
    expect(Object.getOwnPropertySymbols(obj)).toEqual([]);
    restore(obj, 'greet'); // twice: harmless
    expect(isReplaced(obj, 'greet')).toBe(false);
  });

  it('an own method: the very descriptor comes back; a second replace wraps the original', () => {
    const own = (): string => 'own';
    const obj: {greet: () => string} = {greet: own};
    const before = Object.getOwnPropertyDescriptor(obj, 'greet');
    replace(obj, 'greet', (original) => () => `first ${original()}`);
    replace(obj, 'greet', (original) => () => `second ${original()}`); // as another copy of the package would
    expect(obj.greet()).toBe('second own');
    expect(Object.keys(obj)).toEqual(['greet']); // stays enumerable, as it was
    restore(obj, 'greet');
    expect(obj.greet).toBe(own);
    expect(Object.getOwnPropertyDescriptor(obj, 'greet')).toEqual(before);
  });
});
