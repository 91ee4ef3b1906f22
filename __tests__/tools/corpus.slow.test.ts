/**
 * The rest of the corpus through `analyzeInitialization` (seconds each on a CPU): the clean
 * ResNet- and Inception-style networks and the text classifier give no finding; the faults planted
 * in them are found. See corpus.test.ts for the rest.
 */
import '../../src';
import {expectAnalysis} from '../helpers/corpus';

const SLOW = [
  'resnet',
  'inception',
  'text_classifier',
  'zero_conv',
  'depthwise_keras_fans',
  'duplicated_units',
];

describe('analyzeInitialization on the large networks of the corpus', () => {
  it.each(SLOW)('%s', (name) => expectAnalysis(name, 4), 180000);
});
