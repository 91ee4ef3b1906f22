/**
 * WebAssembly text of the SIMD block-reflector kernel: C ← (I − V·T·Vᵀ)·C, float64, column-major,
 * the same computation as `applyBlockReflector` in src/linalg/block-reflector.ts, two rows per f64x2.
 *
 * `apply(c, ldc, p, r, v, nb, t, w)`: byte offsets c (C), v (V, p × nb, stride p), t (T, nb × nb,
 * stride nb), w (scratch, 32·nb bytes, 16-aligned); ldc, p, r, nb in elements. The caller pads
 * the rows so that p is a multiple of 4 and every column starts 16-byte aligned: no row tails.
 *
 * Per group of four columns of C:
 *   1. w = Vᵀ·C: two reflectors × four columns = eight f64x2 accumulators per sweep down the rows,
 *      starting at row i (v_i and v_{i+1} are stored zero above their diagonal).
 *   2. w ← T·w (T upper triangular), in place, top-down.
 *   3. C −= V·w: four rows × four columns = eight accumulators held across all nb reflectors.
 * Leftover columns (r mod 4) take a one-column version of the same three steps.
 */

const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
const i32 = (value: number): string => `(i32.const ${value})`;
const add = (a: string, b: string): string => `(i32.add ${a} ${b})`;
const mul = (a: string, b: string): string => `(i32.mul ${a} ${b})`;
const load = (addr: string, offset = 0): string => `(v128.load offset=${offset} ${addr})`;
const store = (addr: string, value: string, offset = 0): string => `(v128.store offset=${offset} ${addr} ${value})`;
const splat = (addr: string, offset = 0): string => `(v128.load64_splat offset=${offset} ${addr})`;
/** acc ← acc + a·b (sign '+') or acc − a·b (sign '−'). */
const madd = (acc: string, a: string, b: string, sign: '+' | '-' = '+'): string =>
  set(acc, `(f64x2.${sign === '+' ? 'add' : 'sub'} ${get(acc)} (f64x2.mul ${a} ${b}))`);
const hsum = (v: string): string => `(f64.add (f64x2.extract_lane 0 ${v}) (f64x2.extract_lane 1 ${v}))`;
const locals = (names: string[], type: string): string => names.map((n) => `(local $${n} ${type})`).join(' ');
const zero = '(v128.const i64x2 0 0)';

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

/** Step 1 for four columns: w[i][k] = v_i · C[:, k]. */
function dotsFour(): string {
  const a = COLS.map((k) => `a${k}`);
  const b = COLS.map((k) => `b${k}`);
  const q = COLS.map((k) => `q${k}`);
  const pairBody = [
    set('va', add(get('v'), mul(get('i'), get('pB')))),
    set('vb', add(get('va'), get('pB'))),
    ...[...a, ...b].map((n) => set(n, zero)),
    loop('l', `(i32.shl ${get('i')} ${i32(3)})`, get('pB'), i32(16), [
      set('x', load(add(get('va'), get('l')))),
      set('y', load(add(get('vb'), get('l')))),
      ...COLS.map((k) => set(q[k], load(add(get(`c${k}`), get('l'))))),
      ...COLS.map((k) => madd(a[k], get('x'), get(q[k]))),
      ...COLS.map((k) => madd(b[k], get('y'), get(q[k]))),
    ]),
    set('wi', add(get('w'), `(i32.shl ${get('i')} ${i32(5)})`)),
    ...COLS.map((k) => `(f64.store offset=${8 * k} ${get('wi')} ${hsum(get(a[k]))})`),
    ...COLS.map((k) => `(f64.store offset=${32 + 8 * k} ${get('wi')} ${hsum(get(b[k]))})`),
  ];
  const singleBody = [
    set('va', add(get('v'), mul(get('i'), get('pB')))),
    ...a.map((n) => set(n, zero)),
    loop('l', `(i32.shl ${get('i')} ${i32(3)})`, get('pB'), i32(16), [
      set('x', load(add(get('va'), get('l')))),
      ...COLS.map((k) => madd(a[k], get('x'), load(add(get(`c${k}`), get('l'))))),
    ]),
    set('wi', add(get('w'), `(i32.shl ${get('i')} ${i32(5)})`)),
    ...COLS.map((k) => `(f64.store offset=${8 * k} ${get('wi')} ${hsum(get(a[k]))})`),
  ];
  // Pairs start at an even row i, so every load is 16-byte aligned; a lone last reflector too.
  return `${loop('i', i32(0), `(i32.sub ${get('nb')} ${i32(1)})`, i32(2), pairBody)}
    (if (i32.lt_u ${get('i')} ${get('nb')}) (then ${singleBody.join('\n      ')}))`;
}

/** Step 2: w ← T·w, rows of w are [col0 col1 | col2 col3] = two f64x2. */
function triangularFour(): string {
  return loop('i', i32(0), get('nb'), i32(1), [
    set('a0', zero),
    set('a1', zero),
    loop('k', get('i'), get('nb'), i32(1), [
      set('x', splat(add(get('t'), `(i32.shl ${add(mul(get('k'), get('nb')), get('i'))} ${i32(3)})`))),
      set('wi', add(get('w'), `(i32.shl ${get('k')} ${i32(5)})`)),
      madd('a0', get('x'), load(get('wi'))),
      madd('a1', get('x'), load(get('wi'), 16)),
    ]),
    set('wi', add(get('w'), `(i32.shl ${get('i')} ${i32(5)})`)),
    store(get('wi'), get('a0')),
    store(get('wi'), get('a1'), 16),
  ]);
}

/** Step 3: C −= V·w, four rows (two f64x2) × four columns per pass over the nb reflectors. */
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
        set(`q${k}`, splat(get('wi'), 8 * k)),
        madd(acc(k, 0), get('x'), get(`q${k}`), '-'),
        madd(acc(k, 1), get('y'), get(`q${k}`), '-'),
      ]),
      set('va', add(get('va'), get('pB'))),
      set('wi', add(get('wi'), i32(32))),
    ]),
    ...COLS.flatMap((k) => [
      store(add(get(`c${k}`), get('l')), get(acc(k, 0))),
      store(add(get(`c${k}`), get('l')), get(acc(k, 1)), 16),
    ]),
  ]);
}

/** The three steps for a single column c0 (w[i] at w + 32·i, first lane). */
function one(): string {
  return `${loop('i', i32(0), get('nb'), i32(1), [
    set('va', add(get('v'), mul(get('i'), get('pB')))),
    set('a0', zero),
    loop('l', `(i32.shl (i32.and ${get('i')} ${i32(-2)}) ${i32(3)})`, get('pB'), i32(16), [
      madd('a0', load(add(get('va'), get('l'))), load(add(get('c0'), get('l')))),
    ]),
    `(f64.store ${add(get('w'), `(i32.shl ${get('i')} ${i32(5)})`)} ${hsum(get('a0'))})`,
  ])}
    ${loop('i', i32(0), get('nb'), i32(1), [
      set('s', '(f64.const 0)'),
      loop('k', get('i'), get('nb'), i32(1), [
        set('s', `(f64.add ${get('s')} (f64.mul (f64.load ${add(get('t'), `(i32.shl ${add(mul(get('k'), get('nb')), get('i'))} ${i32(3)})`)}) (f64.load ${add(get('w'), `(i32.shl ${get('k')} ${i32(5)})`)})))`),
      ]),
      `(f64.store ${add(get('w'), `(i32.shl ${get('i')} ${i32(5)})`)} ${get('s')})`,
    ])}
    ${loop('l', i32(0), get('pB'), i32(16), [
      set('a0', load(add(get('c0'), get('l')))),
      set('va', add(get('v'), get('l'))),
      set('wi', get('w')),
      loop('i', i32(0), get('nb'), i32(1), [
        madd('a0', load(get('va')), splat(get('wi')), '-'),
        set('va', add(get('va'), get('pB'))),
        set('wi', add(get('wi'), i32(32))),
      ]),
      store(add(get('c0'), get('l')), get('a0')),
    ])}`;
}

/** The complete module: memory (exported, grown by the caller) and `apply`. */
export function buildReflectorWat(): string {
  const vectors = ['x', 'y', 'q0', 'q1', 'q2', 'q3', 'a0', 'a1', 'a2', 'a3', 'b0', 'b1', 'b2', 'b3',
    ...COLS.flatMap((k) => [`a${k}_0`, `a${k}_1`])];
  return `(module
  (memory (export "memory") 1)
  (func (export "apply") (param $c i32) (param $ldc i32) (param $p i32) (param $r i32)
      (param $v i32) (param $nb i32) (param $t i32) (param $w i32)
    ${locals(['c0', 'c1', 'c2', 'c3', 'ldcB', 'pB', 'j', 'i', 'k', 'l', 'va', 'vb', 'wi'], 'i32')}
    ${locals(vectors, 'v128')} (local $s f64)
    ${set('ldcB', `(i32.shl ${get('ldc')} ${i32(3)})`)}
    ${set('pB', `(i32.shl ${get('p')} ${i32(3)})`)}
    ${loop('j', i32(0), `(i32.and ${get('r')} ${i32(-4)})`, i32(4), [
      set('c0', add(get('c'), mul(get('j'), get('ldcB')))),
      set('c1', add(get('c0'), get('ldcB'))),
      set('c2', add(get('c1'), get('ldcB'))),
      set('c3', add(get('c2'), get('ldcB'))),
      dotsFour(),
      triangularFour(),
      updateFour(),
    ])}
    ${loop('j', `(i32.and ${get('r')} ${i32(-4)})`, get('r'), i32(1), [
      set('c0', add(get('c'), mul(get('j'), get('ldcB')))),
      one(),
    ])}))
`;
}
