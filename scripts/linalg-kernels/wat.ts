/**
 * WebAssembly text of the SIMD kernels of the orthogonal initializers, float32 storage and f32x4
 * arithmetic (four rows per vector), column-major: the same computations as the plain JavaScript
 * kernels in src/linalg/block-reflector.ts.
 *
 * `apply(c, ldc, p, r, v, nb, t, w)`: C ← (I − V·T·Vᵀ)·C. Byte offsets c (C, p × r, column stride
 * ldc), v (V, p × nb, column stride p), t (T, nb × nb column-major, upper triangular), w (scratch,
 * 16·nb bytes, 16-aligned); ldc, p, r, nb in elements. The caller pads so that p % 8 = 0,
 * r % 4 = 0, nb % 4 = 0 and every column starts 16-byte aligned: no tails anywhere.
 *
 * Per group of four columns of C:
 *   1. w = Vᵀ·C: two reflectors × four columns = eight f32x4 accumulators per sweep down the rows,
 *      from the first multiple of 4 at or above row i (v_i and v_{i+1} are stored zero above their
 *      diagonal); the four lanes of each accumulator are summed by a shuffle transpose, giving one
 *      row of w (four columns) as one vector.
 *   2. w ← T·w (T upper triangular), in place, top-down: one splat and one vector per term.
 *   3. C −= V·w: eight rows (two f32x4) × four columns = eight accumulators held across all nb
 *      reflectors.
 *
 * `gram(v, p, nb, g)`: G[j][i] = v_j · v_i for j < i + 4 (the strict upper triangle that `formT`
 * reads, in whole groups of four), G row-major nb × nb at byte offset g; step 1 with C = V.
 */

const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
const i32 = (value: number): string => `(i32.const ${value})`;
const add = (a: string, b: string): string => `(i32.add ${a} ${b})`;
const mul = (a: string, b: string): string => `(i32.mul ${a} ${b})`;
const load = (addr: string, offset = 0): string => `(v128.load offset=${offset} ${addr})`;
const store = (addr: string, value: string, offset = 0): string =>
  `(v128.store offset=${offset} ${addr} ${value})`;
const splat = (addr: string, offset = 0): string => `(v128.load32_splat offset=${offset} ${addr})`;
/** acc ← acc + a·b (sign '+') or acc − a·b (sign '−'). */
const madd = (acc: string, a: string, b: string, sign: '+' | '-' = '+'): string =>
  set(acc, `(f32x4.${sign === '+' ? 'add' : 'sub'} ${get(acc)} (f32x4.mul ${a} ${b}))`);
const locals = (names: string[], type: string): string =>
  names.map((n) => `(local $${n} ${type})`).join(' ');
const zero = '(v128.const i32x4 0 0 0 0)';

/** `for (name = from; name < to; name += step) body` with i32 locals. */
function loop(name: string, from: string, to: string, step: string, body: string[]): string {
  return `${set(name, from)}
    (block $${name}_done (loop $${name}_next
      (br_if $${name}_done (i32.ge_u ${get(name)} ${to}))
      ${body.join('\n      ')}
      ${set(name, add(get(name), step))}
      (br $${name}_next)))`;
}

const COLS = [0, 1, 2, 3];

/**
 * [Σa0, Σa1, Σa2, Σa3] (each the sum of its four lanes) as one vector, by a shuffle transpose:
 * lane k is (a_k.0 + a_k.2) + (a_k.1 + a_k.3). Returns the set-up lines (locals $s01, $s23) and the
 * final expression.
 */
function laneSums(a: string[]): {setup: string[]; value: string} {
  const shuffle = (lanes: string, x: string, y: string): string =>
    `(i8x16.shuffle ${lanes} ${get(x)} ${get(y)})`;
  const LO = '0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23';
  const HI = '8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31';
  return {
    // s01 = [a0.0 + a0.2, a1.0 + a1.2, a0.1 + a0.3, a1.1 + a1.3], s23 likewise.
    setup: [
      set('s01', `(f32x4.add ${shuffle(LO, a[0], a[1])} ${shuffle(HI, a[0], a[1])})`),
      set('s23', `(f32x4.add ${shuffle(LO, a[2], a[3])} ${shuffle(HI, a[2], a[3])})`),
    ],
    // [s01.0, s01.1, s23.0, s23.1] + [s01.2, s01.3, s23.2, s23.3]
    value:
      `(f32x4.add ${shuffle('0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23', 's01', 's23')} ` +
      `${shuffle('8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31', 's01', 's23')})`,
  };
}

/**
 * Step 1 for the four columns at $c0…$c3: for each pair of reflectors (j, j + 1), j < `limit`,
 * stores the row [v_j·c0 … v_j·c3] at `rowAddress(j)` and the same for j + 1.
 */
function dotsFour(limit: string, rowAddress: (j: string) => string): string {
  const a = COLS.map((k) => `a${k}`);
  const b = COLS.map((k) => `b${k}`);
  const q = COLS.map((k) => `q${k}`);
  const sa = laneSums(a);
  const sb = laneSums(b);
  const pairBody = [
    set('va', add(get('v'), mul(get('i'), get('pB')))),
    set('vb', add(get('va'), get('pB'))),
    ...[...a, ...b].map((n) => set(n, zero)),
    loop('l', `(i32.shl (i32.and ${get('i')} ${i32(-4)}) ${i32(2)})`, get('pB'), i32(16), [
      set('x', load(add(get('va'), get('l')))),
      set('y', load(add(get('vb'), get('l')))),
      ...COLS.map((k) => set(q[k], load(add(get(`c${k}`), get('l'))))),
      ...COLS.map((k) => madd(a[k], get('x'), get(q[k]))),
      ...COLS.map((k) => madd(b[k], get('y'), get(q[k]))),
    ]),
    ...sa.setup,
    store(rowAddress(get('i')), sa.value),
    ...sb.setup,
    store(rowAddress(add(get('i'), i32(1))), sb.value),
  ];
  return loop('i', i32(0), limit, i32(2), pairBody);
}

/** Step 2: w ← T·w, row i of w (four columns) one f32x4 at w + 16·i. */
function triangularFour(): string {
  return loop('i', i32(0), get('nb'), i32(1), [
    set('a0', zero),
    loop('k', get('i'), get('nb'), i32(1), [
      set(
        'x',
        splat(add(get('t'), `(i32.shl ${add(mul(get('k'), get('nb')), get('i'))} ${i32(2)})`)),
      ),
      madd('a0', get('x'), load(add(get('w'), `(i32.shl ${get('k')} ${i32(4)})`))),
    ]),
    store(add(get('w'), `(i32.shl ${get('i')} ${i32(4)})`), get('a0')),
  ]);
}

/** Step 3: C −= V·w, eight rows (two f32x4) × four columns per pass over the nb reflectors. */
function updateFour(): string {
  const acc = (k: number, h: number): string => `a${k}_${h}`;
  return loop('l', i32(0), get('pB'), i32(32), [
    ...COLS.flatMap((k) => [
      set(acc(k, 0), load(add(get(`c${k}`), get('l')))),
      set(acc(k, 1), load(add(get(`c${k}`), get('l')), 16)),
    ]),
    set('va', add(get('v'), get('l'))),
    set('wi', get('w')),
    loop('i', i32(0), get('nb'), i32(1), [
      set('x', load(get('va'))),
      set('y', load(get('va'), 16)),
      ...COLS.flatMap((k) => [
        set(`q${k}`, splat(get('wi'), 4 * k)),
        madd(acc(k, 0), get('x'), get(`q${k}`), '-'),
        madd(acc(k, 1), get('y'), get(`q${k}`), '-'),
      ]),
      set('va', add(get('va'), get('pB'))),
      set('wi', add(get('wi'), i32(16))),
    ]),
    ...COLS.flatMap((k) => [
      store(add(get(`c${k}`), get('l')), get(acc(k, 0))),
      store(add(get(`c${k}`), get('l')), get(acc(k, 1)), 16),
    ]),
  ]);
}

const VECTORS = [
  'x',
  'y',
  's01',
  's23',
  'q0',
  'q1',
  'q2',
  'q3',
  'a0',
  'a1',
  'a2',
  'a3',
  'b0',
  'b1',
  'b2',
  'b3',
  ...COLS.flatMap((k) => [`a${k}_0`, `a${k}_1`]),
];
const SCALARS = ['c0', 'c1', 'c2', 'c3', 'ldcB', 'pB', 'j', 'i', 'k', 'l', 'va', 'vb', 'wi'];

/** $c0 … $c3: byte addresses of columns j … j + 3 of the matrix at $base, column stride $stride bytes. */
function fourColumns(base: string, stride: string): string[] {
  return [
    set('c0', add(get(base), mul(get('j'), get(stride)))),
    ...[1, 2, 3].map((k) => set(`c${k}`, add(get(`c${k - 1}`), get(stride)))),
  ];
}

/** The complete module: memory (exported, grown by the caller), `apply` and `gram`. */
export function buildReflectorWat(): string {
  return `(module
  (memory (export "memory") 1)
  (func (export "apply") (param $c i32) (param $ldc i32) (param $p i32) (param $r i32)
      (param $v i32) (param $nb i32) (param $t i32) (param $w i32)
    ${locals(SCALARS, 'i32')}
    ${locals(VECTORS, 'v128')}
    ${set('ldcB', `(i32.shl ${get('ldc')} ${i32(2)})`)}
    ${set('pB', `(i32.shl ${get('p')} ${i32(2)})`)}
    ${loop('j', i32(0), get('r'), i32(4), [
      ...fourColumns('c', 'ldcB'),
      dotsFour(get('nb'), (j) => add(get('w'), `(i32.shl ${j} ${i32(4)})`)),
      triangularFour(),
      updateFour(),
    ])})
  (func (export "gram") (param $v i32) (param $p i32) (param $nb i32) (param $g i32)
    ${locals(SCALARS, 'i32')}
    ${locals(VECTORS, 'v128')}
    ${set('pB', `(i32.shl ${get('p')} ${i32(2)})`)}
    ${loop('j', i32(0), get('nb'), i32(4), [
      ...fourColumns('v', 'pB'),
      // Rows j' < j + 4 of G, columns j … j + 3.
      dotsFour(add(get('j'), i32(4)), (row) =>
        add(get('g'), `(i32.shl ${add(mul(row, get('nb')), get('j'))} ${i32(2)})`),
      ),
    ])}))
`;
}
