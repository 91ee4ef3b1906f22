import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';

// Silences the "Hi there, looks like you are running TensorFlow.js in Node.js" banner.
tf.env().set('IS_TEST', true);
