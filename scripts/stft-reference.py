#!/usr/bin/env python3
"""Reference values for the STFT initializer and its windows, computed with NumPy and SciPy.

Run by hand (not by npm test), with Debian's python3-numpy and python3-scipy:

    apt-get install -y python3-numpy python3-scipy
    /usr/bin/python3 scripts/stft-reference.py > __tests__/fixtures/stft-reference.json

Windows: scipy.signal.get_window(name, length, fftbins=periodic) for every name the package
supports, SciPy's aliases, a range of lengths (1, 2, odd, even) and both periodicities.

Kernels: the formula of Keras 3's STFT initializer (keras/src/initializers/constant_initializers.py),
written here directly in float64 NumPy: angle = -2*pi*t*k/N with N = 2*(bins - 1), real = cos(angle),
imag = sin(angle), times the window divided by its L2 ('density') or L1 ('spectrum') norm; no window
means no scaling. The jest test __tests__/initializers/stft.test.ts builds each kernel through a tfjs
layer config ({className: 'STFT', config}) and requires every value to equal this one to float32
rounding. Values are written with 13 significant digits (1e-13 relative).
"""
import json
import sys

import numpy as np
import scipy
import scipy.signal

NAMES = ['hann', 'hamming', 'blackman', 'bartlett', 'boxcar', 'triang', 'blackmanharris', 'nuttall', 'flattop',
         'bohman', 'parzen', 'barthann', 'cosine', 'tukey']
ALIASES = ['han', 'ham', 'blk', 'brt', 'rect', 'tri', 'bkh', 'nut', 'flt', 'bmn', 'par', 'bth', 'halfcosine', 'tuk']
LENGTHS = [1, 2, 3, 4, 5, 7, 8, 16, 33]
# Aliases name the same functions: one length each.
ALIAS_LENGTHS = [15]


def window(name, length, periodic):
    return scipy.signal.get_window(name, length, fftbins=periodic)


def kernel(shape, side, win, scaling, periodic):
    frame_length, _, bins = shape
    n = 2 * (bins - 1)
    t = np.arange(frame_length, dtype=np.float64).reshape(-1, 1)
    k = np.arange(bins, dtype=np.float64).reshape(1, -1)
    angle = -2.0 * np.pi * t * k / n
    basis = np.cos(angle) if side == 'real' else np.sin(angle)
    if win is None:
        return basis
    w = window(win, frame_length, periodic) if isinstance(win, str) else np.asarray(win, dtype=np.float64)
    if scaling == 'density':
        s = np.sqrt(np.sum(w * w))
    elif scaling == 'spectrum':
        s = np.sum(np.abs(w))
    else:
        s = 1.0
    return basis * w.reshape(-1, 1) / s


# (shape, config): several windows, both sides, all three scalings, both periodicities, an explicit
# window, no window, odd and even frame lengths, frames longer and shorter than the FFT.
EXPLICIT = [float(i) for i in range(1, 13)]
CASES = [
    ([16, 1, 9], {'side': 'real', 'window': 'hann', 'scaling': 'density', 'periodic': False}),
    ([16, 1, 9], {'side': 'imag', 'window': 'hann', 'scaling': 'density', 'periodic': True}),
    ([25, 1, 17], {'side': 'real', 'window': 'hamming', 'scaling': 'spectrum', 'periodic': False}),
    ([25, 1, 17], {'side': 'imag', 'window': 'hamming', 'scaling': None, 'periodic': True}),
    ([32, 1, 17], {'side': 'real', 'window': 'blackman', 'scaling': 'density', 'periodic': True}),
    ([31, 1, 12], {'side': 'imag', 'window': 'blackman', 'scaling': 'spectrum', 'periodic': False}),
    ([12, 1, 7], {'side': 'real', 'window': 'bartlett', 'scaling': None, 'periodic': False}),
    ([12, 1, 7], {'side': 'imag', 'window': 'bartlett', 'scaling': 'density', 'periodic': True}),
    ([9, 1, 5], {'side': 'real', 'window': 'boxcar', 'scaling': 'spectrum', 'periodic': False}),
    ([48, 1, 25], {'side': 'imag', 'window': 'tukey', 'scaling': 'density', 'periodic': False}),
    ([20, 1, 11], {'side': 'real', 'window': 'flattop', 'scaling': 'spectrum', 'periodic': True}),
    ([12, 1, 13], {'side': 'imag', 'window': EXPLICIT, 'scaling': 'spectrum', 'periodic': False}),
    ([12, 1, 13], {'side': 'real', 'window': EXPLICIT, 'scaling': 'density', 'periodic': False}),
    ([10, 1, 6], {'side': 'real', 'window': None, 'scaling': 'density', 'periodic': False}),
    ([10, 1, 6], {'side': 'imag', 'window': None, 'scaling': None, 'periodic': True}),
    ([70, 1, 41], {'side': 'imag', 'window': 'hann', 'scaling': 'density', 'periodic': True}),
]


def digits(values):
    """13 significant digits: 1e-13 relative, far below float32's rounding step (6e-8)."""
    return [float('%.13g' % v) for v in values]


def main():
    windows = []
    for name in NAMES + ALIASES:
        for length in LENGTHS if name in NAMES else ALIAS_LENGTHS:
            for periodic in (False, True):
                windows.append({'name': name, 'length': length, 'periodic': periodic,
                                'values': digits(window(name, length, periodic))})
    kernels = []
    for shape, config in CASES:
        values = kernel(shape, config['side'], config['window'], config['scaling'], config['periodic'])
        kernels.append({'shape': shape, 'config': config, 'values': digits(values.reshape(-1))})
    json.dump({
        'generatedBy': 'scripts/stft-reference.py',
        'numpyVersion': np.__version__,
        'scipyVersion': scipy.__version__,
        'windows': windows,
        'kernels': kernels,
    }, sys.stdout, indent=None, separators=(',', ':'))
    sys.stdout.write('\n')


if __name__ == '__main__':
    main()
