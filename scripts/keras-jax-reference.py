#!/usr/bin/env python3
"""Reference facts from Keras 3.15.1 and JAX 0.10.2 themselves, for the cross-check test.

Run by hand (not by npm test). Keras 3 and JAX are not Debian packages: a virtual environment with
the pinned releases (Keras on its JAX backend) is enough:

    python3 -m venv --system-site-packages /tmp/kvenv
    /tmp/kvenv/bin/pip install keras==3.15.1 jax==0.10.2 jaxlib==0.10.2 numpy==2.4.6 scipy==1.17.1
    KERAS_BACKEND=jax /tmp/kvenv/bin/python scripts/keras-jax-reference.py > __tests__/fixtures/keras-jax-reference.json

It records:
- `jaxFans`: jax._src.nn.initializers._compute_fans(shape, in_axis, out_axis, batch_axis) for layouts
  with and without axes;
- `kerasFans`: keras.src.initializers.random_initializers.compute_fans(shape, input_axes,
  output_axes) for the same kind of layouts;
- `kerasSerialized`: keras.initializers.serialize(...) of every Keras 3 initializer class, i.e. the
  exact objects a Keras 3.15 model file holds;
- `kerasStft`: the float32 kernels Keras's own STFT initializer computes;
- `kerasModel`: `model.to_json()` of a small Keras 3.15 model whose kernels use STFT, GlorotUniform
  with input_axes / output_axes, and LecunNormal: a real Keras 3 topology.

The jest test __tests__/keras-jax-reference.test.ts checks computeFans against both fan tables
exactly, the hand-assembled Keras 3 fixture against Keras's serialization, and our STFT against
Keras's values (Keras computes the angle in float32, so within 1e-5).
"""
import json
import sys

import jax
import keras
import numpy as np
from jax._src.nn.initializers import _compute_fans
from keras.src.initializers.random_initializers import compute_fans as keras_compute_fans

JAX_CASES = [
    ([784, 128], {}),
    ([3, 3, 16, 32], {}),
    ([512, 8, 64], {'in_axis': 0, 'out_axis': (1, 2)}),
    ([8, 64, 512], {'in_axis': (0, 1), 'out_axis': 2}),
    ([16, 128, 96], {'batch_axis': 0}),
    ([4, 3, 3, 32, 48], {'batch_axis': (0,)}),
    ([64, 32, 3, 3], {'in_axis': 1, 'out_axis': 0}),
    ([1000, 200], {'in_axis': -1, 'out_axis': -2}),
    ([300, 4, 100], {'in_axis': 0, 'out_axis': 2}),
    ([2, 3, 5, 7], {'in_axis': (0, 2), 'out_axis': -1, 'batch_axis': 1}),
    ([3, 3, 16, 32], {'in_axis': -2, 'out_axis': -1, 'batch_axis': ()}),
]

KERAS_CASES = [
    ([784, 128], None, None),
    ([3, 3, 16, 32], None, None),
    ([512, 8, 64], [0], [1, 2]),
    ([3, 3, 16, 32], [2], [3]),
    ([300, 4, 100], [0], [2]),
    ([5, 64, 192], [1], [2]),
    ([8, 64, 512], [0, 1], [2]),
    ([6, 4], [-1], [-2]),
]

I = keras.initializers
SERIALIZED = {
    'Constant': I.Constant(0.25),
    'Zeros': I.Zeros(),
    'Ones': I.Ones(),
    'Identity': I.Identity(gain=2.0),
    'RandomNormal': I.RandomNormal(mean=0.5, stddev=0.2, seed=11),
    'RandomUniform': I.RandomUniform(minval=-0.3, maxval=0.7, seed=12),
    'TruncatedNormal': I.TruncatedNormal(mean=0.0, stddev=0.2, seed=14),
    'VarianceScaling': I.VarianceScaling(scale=1.0, mode='fan_in', distribution='uniform', seed=17, input_axes=[1], output_axes=[2]),
    'GlorotNormal': I.GlorotNormal(seed=18),
    'GlorotUniform': I.GlorotUniform(seed=19),
    'HeNormal': I.HeNormal(seed=20),
    'HeUniform': I.HeUniform(seed=21),
    'LecunNormal': I.LecunNormal(seed=22),
    'LecunUniform': I.LecunUniform(seed=23),
    'Orthogonal': I.Orthogonal(gain=1.5, seed=24),
    'STFT': I.STFT('imag', 'hamming', None, True),
}

STFT_CASES = [
    ([16, 1, 9], ('real', 'hann', 'density', False)),
    ([25, 1, 17], ('imag', 'hamming', None, True)),
    ([12, 1, 7], ('real', 'bartlett', None, False)),
    ([48, 1, 25], ('imag', 'tukey', 'density', False)),
    ([128, 1, 65], ('real', 'blackman', 'spectrum', True)),
]


def keras_model():
    model = keras.Sequential([
        keras.Input((32, 1), name='signal'),
        keras.layers.Conv1D(5, 8, strides=4, use_bias=False, name='stft', kernel_initializer=I.STFT('real', 'hann', 'density', False)),
        keras.layers.Conv1D(64, 3, use_bias=False, name='mix', kernel_initializer=I.GlorotUniform(seed=4, input_axes=[1], output_axes=[2])),
        keras.layers.Flatten(name='flatten'),
        keras.layers.Dense(4, name='out', kernel_initializer=I.LecunNormal(seed=6)),
    ])
    return json.loads(model.to_json())


def main():
    jax_fans = []
    for shape, axes in JAX_CASES:
        fan_in, fan_out = _compute_fans(tuple(shape), **axes)
        jax_fans.append({'shape': shape, 'axes': {k: list(v) if isinstance(v, tuple) else v for k, v in axes.items()},
                         'fanIn': float(fan_in), 'fanOut': float(fan_out)})
    keras_fans = []
    for shape, input_axes, output_axes in KERAS_CASES:
        fan_in, fan_out = keras_compute_fans(shape, input_axes=input_axes, output_axes=output_axes)
        keras_fans.append({'shape': shape, 'inputAxes': input_axes, 'outputAxes': output_axes, 'fanIn': fan_in, 'fanOut': fan_out})
    stft = []
    for shape, (side, window, scaling, periodic) in STFT_CASES:
        values = np.asarray(I.STFT(side, window, scaling, periodic)(tuple(shape), dtype='float32'))
        stft.append({'shape': shape, 'config': {'side': side, 'window': window, 'scaling': scaling, 'periodic': periodic},
                     # Each float32 written in its shortest round-trip form.
                     'values': [float(np.format_float_positional(v, unique=True)) for v in values.reshape(-1)]})
    json.dump({
        'generatedBy': 'scripts/keras-jax-reference.py',
        'kerasVersion': keras.__version__,
        'kerasBackend': keras.backend.backend(),
        'jaxVersion': jax.__version__,
        'jaxFans': jax_fans,
        'kerasFans': keras_fans,
        'kerasSerialized': {name: I.serialize(obj) for name, obj in SERIALIZED.items()},
        'kerasStft': stft,
        'kerasModel': keras_model(),
    }, sys.stdout, indent=None, separators=(',', ':'))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
