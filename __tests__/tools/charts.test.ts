/**
 * The chart packages are optional peers, loaded only when a chart is drawn: without them,
 * renderHtmlReport fails with an InitializerError naming them; any other failure to load them is
 * not disguised. (With them installed: analyze.test.ts. For real, without them, in an installed
 * package: __tests__/consumers/oldest.test.ts.)
 */
import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import {InitializerError} from '../../src';
import {analyzeInitialization, renderHtmlReport} from '../../src/tools';

/** A module-load failure as Node reports one, thrown when the mocked package is required. */
function failing(message: string, code?: string): () => never {
  return () => {
    throw Object.assign(new Error(message), code === undefined ? {} : {code});
  };
}

async function reportWith(vega: () => never): Promise<unknown> {
  // The mock stands for the package only while this report runs: `vega` is imported when drawn.
  jest.doMock('vega', vega);
  const model = tfl.sequential({
    layers: [tfl.layers.dense({units: 2, inputShape: [3], activation: 'relu'})],
  });
  const xs = tf.ones([4, 3]);
  try {
    await renderHtmlReport(analyzeInitialization(model, xs));
    return 'no error';
  } catch (e) {
    return {error: (e as Error).message, isInitializerError: e instanceof InitializerError};
  } finally {
    xs.dispose();
    model.dispose();
    jest.dontMock('vega');
  }
}

describe('renderHtmlReport without the chart packages', () => {
  it('says which packages to install, as an InitializerError', async () => {
    expect(await reportWith(failing("Cannot find module 'vega'", 'MODULE_NOT_FOUND'))).toEqual({
      error:
        'renderHtmlReport: drawing charts needs the optional ' +
        'packages vega and vega-lite, which could not be loaded; ' +
        'install them with `npm install vega vega-lite` (in a ' +
        'browser page, map both in its import map)',
      isInitializerError: true,
    });
  });

  it('passes any other failure through unchanged', async () => {
    expect(await reportWith(failing('vega: broken install'))).toEqual({
      error: 'vega: broken install',
      isInitializerError: false,
    });
  });
});
