import {InitializerError, SparseInit, XavierUniformCustom} from '../src';

describe('option parsing', () => {
  it('ignores the customObjects key tfjs adds on deserialization', () => {
    expect(new XavierUniformCustom({customObjects: {}, gain: 2} as never).getConfig()).toEqual({
      gain: 2,
    });
  });

  it('treats null (how tfjs saves undefined) as absent', () => {
    const init = new SparseInit({sparsity: null, std: null, seed: null} as never);
    expect(init.getConfig()).toEqual({sparsity: 0.1}); // PyTorch's default variant, filled in
    expect(init.getConfig()).toEqual(new SparseInit().getConfig());
  });

  it.each([[5], ['gain'], [[1, 2]], [() => 1]])(
    'rejects a non-object options argument %p',
    (args) => {
      expect(() => new XavierUniformCustom(args as never)).toThrow(InitializerError);
      expect(() => new XavierUniformCustom(args as never)).toThrow(
        /XavierUniformCustom: options must be an object/,
      );
    },
  );

  it('rejects __proto__ / constructor keys from JSON and leaves Object.prototype alone', () => {
    const hostile = JSON.parse('{"gain": 2, "__proto__": {"polluted": true}}');
    expect(() => new XavierUniformCustom(hostile)).toThrow(/unknown option `__proto__`/);
    expect(() => new XavierUniformCustom(JSON.parse('{"constructor": 1}'))).toThrow(
      /unknown option `constructor`/,
    );
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads only own keys: inherited values are not options', () => {
    const args = Object.create({gain: -5});
    expect(new XavierUniformCustom(args).getConfig()).toEqual({}); // gain 1, the default
  });

  it('the error carries the class and parameter', () => {
    try {
      new SparseInit({std: -1});
      throw new Error('no error');
    } catch (e) {
      expect(e).toBeInstanceOf(InitializerError);
      expect((e as InitializerError).owner).toBe('SparseInit');
      expect((e as InitializerError).parameter).toBe('std');
      expect((e as InitializerError).name).toBe('InitializerError');
    }
  });

  it('options are frozen after construction', () => {
    const init = new XavierUniformCustom({gain: 2});
    const config = init.getConfig();
    config.gain = 100;
    expect(init.getConfig().gain).toBe(2);
  });
});
