import {InitializerError} from '../../src';
import {fillNormal, fillTruncNormal, fillUniform, randomIndex} from '../../src/random/samplers';
import {planTruncated} from '../../src/random/truncated-normal';
import {simdKernels, useSimd} from '../../src/random/wasm';
import {CHUNK} from '../../src/random/wasm-layout';

type Fill = (out: Float32Array, seed: number, offset: number) => void;

/** One fill per code path: uniform, normal, and the truncated normal's three proposals. */
const FILLS: Array<[string, Fill]> = [
  ['uniform', (o, s, off) => fillUniform(o, s, 0, -0.1, 0.1, off)],
  ['normal', (o, s, off) => fillNormal(o, s, 0, 0.5, 2, off)],
  [
    'truncated normal, normal proposal [-2, 2]',
    (o, s, off) => fillTruncNormal(o, s, 0, 0, 1, -2, 2, off),
  ],
  [
    'truncated normal, normal proposal [-0.5, 3], mean 1',
    (o, s, off) => fillTruncNormal(o, s, 0, 1, 1, -0.5, 3, off),
  ],
  [
    'truncated normal, exponential proposal [2, 6]',
    (o, s, off) => fillTruncNormal(o, s, 0, 0, 1, 2, 6, off),
  ],
  [
    'truncated normal, uniform proposal [-0.1, 0.1]',
    (o, s, off) => fillTruncNormal(o, s, 0, 0, 1, -0.1, 0.1, off),
  ],
];

const bits = (a: Float32Array): Uint32Array => new Uint32Array(a.buffer, a.byteOffset, a.length);

/** Index of the first element whose bits differ (-1: identical), and fast on millions of elements. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = bits(a);
  const y = bits(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

function filled(fill: Fill, n: number, seed: number, offset = 0): Float32Array {
  const out = new Float32Array(n);
  fill(out, seed, offset);
  return out;
}

/** Deterministic chunk sizes from our own generator: 1 to 40,000, so chunks cross CHUNK and the SIMD threshold. */
function chunkSizes(total: number, seed: number): number[] {
  const sizes: number[] = [];
  for (let done = 0, k = 0; done < total; k++) {
    const limit = k % 3 === 0 ? 70 : 40000;
    const size = Math.min(total - done, 1 + randomIndex(seed, 7, k, limit));
    sizes.push(size);
    done += size;
  }
  return sizes;
}

describe('the WebAssembly SIMD kernels', () => {
  it('are available on this Node', () => {
    expect(simdKernels()).not.toBeNull();
  });

  it.each(FILLS)('give the same bits as the plain JavaScript path: %s', (_name, fill) => {
    const n = 3 * CHUNK + 1001;
    for (const offset of [0, 1, 12345, 2 ** 32 - n - 3]) {
      useSimd(true);
      const simd = filled(fill, n, 99, offset);
      useSimd(false);
      const plain = filled(fill, n, 99, offset);
      useSimd(true);
      expect(firstDifference(simd, plain)).toBe(-1);
    }
  });
});

describe('chunk invariance', () => {
  it.each(FILLS)(
    '%s: a fill in random chunk sizes at odd offsets equals the whole fill',
    (_name, fill) => {
      const total = 200001;
      const start = 7; // odd: every chunk starts mid-block somewhere
      const whole = filled(fill, total, 5, start);
      for (const simd of [true, false]) {
        useSimd(simd);
        const pieces = new Float32Array(total);
        let at = 0;
        for (const size of chunkSizes(total, simd ? 1 : 2)) {
          fill(pieces.subarray(at, at + size), 5, start + at);
          at += size;
        }
        useSimd(true);
        expect(firstDifference(pieces, whole)).toBe(-1);
      }
    },
  );

  it.each(FILLS)(
    '%s: element j of a fill at offset k is element k + j of the fill at 0',
    (_name, fill) => {
      const whole = filled(fill, 5000, 6);
      for (const k of [1, 2, 3, 63, 64, 65, 999]) {
        expect(firstDifference(filled(fill, 5000 - k, 6, k), whole.subarray(k))).toBe(-1);
      }
    },
  );
});

describe('seeds', () => {
  it.each(FILLS)(
    '%s: seeds 0, 1, 2^32, 2^32 + 1, 2^53 - 2 and 2^53 - 1 give valid, distinct fills',
    (_name, fill) => {
      const seeds = [
        0,
        1,
        2 ** 32,
        2 ** 32 + 1,
        Number.MAX_SAFE_INTEGER - 1,
        Number.MAX_SAFE_INTEGER,
      ];
      const fills = seeds.map((s) => filled(fill, 1000, s));
      for (const f of fills) expect(f.every(Number.isFinite)).toBe(true);
      for (let i = 0; i < seeds.length; i++) {
        expect(firstDifference(filled(fill, 1000, seeds[i]), fills[i])).toBe(-1);
        for (let j = i + 1; j < seeds.length; j++)
          expect(firstDifference(fills[i], fills[j])).toBe(0);
      }
    },
  );
});

/** Pearson correlation of two samples. */
function correlation(x: Float32Array, y: Float32Array): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('independence of streams', () => {
  const n = 1e6;
  // Pairs that share most of their key or counter bits: the cases a weak generator gets wrong.
  const PAIRS: Array<[string, [number, number], [number, number]]> = [
    ['seeds 0 and 1', [0, 0], [1, 0]],
    ['seeds 0 and 2^32 (same low key word)', [0, 0], [2 ** 32, 0]],
    ['seeds 2^53 - 1 and 2^53 - 2', [Number.MAX_SAFE_INTEGER, 0], [Number.MAX_SAFE_INTEGER - 1, 0]],
    ['streams 0 and 1 of one seed', [42, 0], [42, 1]],
    ['stream 1 of seed 42 and stream 0 of seed 43', [42, 1], [43, 0]],
  ];

  it.each(PAIRS)(
    '%s: uncorrelated, and pairs spread evenly over a 16×16 grid',
    (_name, [s1, t1], [s2, t2]) => {
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      fillUniform(x, s1, t1, 0, 1);
      fillUniform(y, s2, t2, 0, 1);
      // Correlation of independent samples: standard error 1/√n.
      expect(Math.abs(correlation(x, y))).toBeLessThan(5 / Math.sqrt(n));
      const cells = new Float64Array(256);
      for (let i = 0; i < n; i++) cells[Math.floor(x[i] * 16) * 16 + Math.floor(y[i] * 16)]++;
      let chi2 = 0;
      for (const c of cells) chi2 += (c - n / 256) ** 2 / (n / 256);
      // P(χ²₂₅₅ > 370) ≈ 3e-6.
      expect(chi2).toBeLessThan(370);
    },
  );

  it(
    'normal draws of different streams are uncorrelated, also in ' +
      'their squares (the slow-path counters included)',
    () => {
      const x = new Float32Array(n);
      const y = new Float32Array(n);
      fillNormal(x, 42, 0, 0, 1);
      fillNormal(y, 42, 1, 0, 1);
      expect(Math.abs(correlation(x, y))).toBeLessThan(5 / Math.sqrt(n));
      expect(
        Math.abs(
          correlation(
            x.map((v) => v * v),
            y.map((v) => v * v),
          ),
        ),
      ).toBeLessThan(5 / Math.sqrt(n));
    },
  );

  it('neighbouring elements of one fill are uncorrelated (lag 1 and 2, which share or straddle a block)', () => {
    const x = new Float32Array(n + 2);
    fillNormal(x, 3, 0, 0, 1);
    expect(Math.abs(correlation(x.subarray(0, n), x.subarray(1, n + 1)))).toBeLessThan(
      5 / Math.sqrt(n),
    );
    expect(Math.abs(correlation(x.subarray(0, n), x.subarray(2, n + 2)))).toBeLessThan(
      5 / Math.sqrt(n),
    );
  });
});

describe('bounds after rounding to float32', () => {
  it('uniform values lie in [low, high) also when neither bound is a float32', () => {
    for (const [low, high] of [
      [-0.1, 0.1],
      [0.3, 0.7],
      [1, 1 + 3e-7],
      [-1e-30, 1e-30],
      [5, 5.000001],
    ]) {
      const out = new Float32Array(100000);
      fillUniform(out, 8, 0, low, high);
      expect(out.filter((v) => !(v >= low && v < high)).length).toBe(0);
    }
  });

  it('uniform with low = high gives low', () => {
    const out = new Float32Array(10);
    fillUniform(out, 8, 0, 0.5, 0.5);
    expect([...out]).toEqual(new Array(10).fill(0.5));
  });

  it('truncated-normal values lie in [a, b] for bounds that are not float32 and for tiny intervals', () => {
    const cases: Array<[number, number, number, number]> = [
      [0, 1, -0.1, 0.1],
      [0, 1, 2.1, 2.2],
      [0.3, 0.1, 0.29, 0.31],
      [0, 1, 1, 1 + 1e-6],
      [0, 1e-3, -0.002, 0.002],
    ];
    for (const [mean, std, a, b] of cases) {
      const out = new Float32Array(100000);
      fillTruncNormal(out, 9, 0, mean, std, a, b);
      expect(out.filter((v) => !(v >= a && v <= b)).length).toBe(0);
    }
  });

  it('truncated normal with std = 0 gives the mean, moved into [a, b]', () => {
    const out = new Float32Array(4);
    fillTruncNormal(out, 1, 0, 0.5, 0, -1, 1);
    expect([...out]).toEqual([0.5, 0.5, 0.5, 0.5]);
    fillTruncNormal(out, 1, 0, 5, 0, -1, 1);
    expect([...out]).toEqual([1, 1, 1, 1]);
  });

  it('truncated normal terminates quickly far out: N(0, 1) on [30, 31] and on [-1e6, -999999]', () => {
    const out = new Float32Array(10000);
    fillTruncNormal(out, 1, 0, 0, 1, 30, 31);
    expect(out.every((v) => v >= 30 && v <= 31)).toBe(true);
    fillTruncNormal(out, 1, 0, 0, 1, -1e6, -999999);
    expect(out.every((v) => v >= -1e6 && v <= -999999)).toBe(true);
  });
});

describe('the truncated normal picks its proposal from [α, β] alone', () => {
  it.each([
    [-2, 2, 'normal'],
    [-3, 1, 'normal'],
    [0, Infinity, 'normal'],
    [-0.1, 0.1, 'uniform'],
    [0.5, 0.6, 'uniform'],
    [2, 6, 'exponential'],
    [6, 8, 'exponential'],
    [-8, -6, 'exponential'],
    [1, Infinity, 'exponential'],
  ])('[%p, %p] -> %s', (a, b, method) => {
    expect(planTruncated(0, 1, a, b, a, b).method).toBe(method);
  });

  it('in standard units: N(10, 2²) on [14, 22] uses the proposal of [2, 6]', () => {
    expect(planTruncated(10, 2, 14, 22, 14, 22).method).toBe('exponential');
  });
});

describe('bad arguments', () => {
  const out = new Float32Array(4);
  it.each([
    [
      'seed -1',
      () => fillUniform(out, -1, 0, 0, 1),
      /fillUniform: argument `seed` must be an integer in \[0, 9007199254740991\]. Received: seed=-1/,
    ],
    ['seed 2^53', () => fillNormal(out, 2 ** 53, 0, 0, 1), /`seed` must be an integer/],
    ['seed 1.5', () => fillNormal(out, 1.5, 0, 0, 1), /Received: seed=1.5/],
    [
      'stream 65536',
      () => fillUniform(out, 1, 65536, 0, 1),
      /`stream` must be an integer in \[0, 65535\]. Received: stream=65536/,
    ],
    [
      'offset -1',
      () => fillUniform(out, 1, 0, 0, 1, -1),
      /`offset` must be an integer >= 0 with offset \+ out.length <= 2\^32/,
    ],
    [
      'offset past 2^32',
      () => fillUniform(out, 1, 0, 0, 1, 2 ** 32 - 3),
      /Received: offset=4294967293, out.length=4/,
    ],
    [
      'a Float64Array',
      () => fillUniform(new Float64Array(4) as unknown as Float32Array, 1, 0, 0, 1),
      /`out` must be a Float32Array/,
    ],
    [
      'low > high',
      () => fillUniform(out, 1, 0, 1, 0),
      /`high` must be a finite number >= 1. Received: high=0/,
    ],
    ['high Infinity', () => fillUniform(out, 1, 0, 0, Infinity), /Received: high=Infinity/],
    [
      'std NaN',
      () => fillNormal(out, 1, 0, 0, NaN),
      /fillNormal: argument `std` must be a finite number >= 0. Received: std=NaN/,
    ],
    [
      'std < 0',
      () => fillTruncNormal(out, 1, 0, 0, -1, -2, 2),
      /`std` must be a finite number >= 0/,
    ],
    [
      'a = b',
      () => fillTruncNormal(out, 1, 0, 0, 1, 1, 1),
      /the bounds must satisfy a < b \(infinite allowed\). Received: a=1, b=1/,
    ],
    ['a NaN', () => fillTruncNormal(out, 1, 0, 0, 1, NaN, 1), /Received: a=NaN/],
    [
      'no float32 in [a, b]',
      () => fillTruncNormal(out, 1, 0, 0, 1, 0.1000000001, 0.1000000002),
      /no float32 value lies in \[a, b\]/,
    ],
  ])('%s throws InitializerError before filling', (_name, call, message) => {
    out.fill(7);
    expect(call).toThrow(InitializerError);
    expect(call).toThrow(message);
    expect([...out]).toEqual([7, 7, 7, 7]);
  });
});
