/**
 * Builds the WebAssembly text of the SIMD random kernels. Run through `gen-random-wasm.ts`, which
 * assembles it with wabt and writes `src/random/generated/random-wasm.ts`.
 *
 * Every kernel computes Threefry-2x32-20 blocks (b0, c1), (b0 + 1, c1), … four at a time in i32x4
 * lanes (x0 of four blocks in one vector, x1 in another), UNROLL independent vector pairs per loop
 * iteration so that the add–rotate–xor chains overlap. Block b yields elements 2b (word 0) and
 * 2b + 1 (word 1), written in that order to the chunk at OUT_OFFSET. The float arithmetic is f32,
 * operation for operation the same as the scalar path's `Math.fround` arithmetic, so both give the
 * same bits.
 */
import {EXP32} from '../../src/random/exp32';
import {
  FAIL_LIST_OFFSET,
  FAST_MASK_OFFSET,
  FB_OFFSET,
  FD_OFFSET,
  GROUP,
  MASK_OFFSET,
  OUT_OFFSET,
  PAGES,
  RETRY_LIST_OFFSET,
  SLOW_LIST_OFFSET,
  UNROLL,
  W_OFFSET,
  WORDS_OFFSET,
  ZIG_OFFSET,
} from '../../src/random/wasm-layout';

/** Threefry-2x32 rotation constants, rounds 0–7 (repeating). */
const ROTATIONS = [13, 15, 26, 6, 17, 29, 16, 24];
const PARITY = 0x1bd11bda;

const get = (name: string): string => `(local.get $${name})`;
const set = (name: string, value: string): string => `(local.set $${name} ${value})`;
const splat = (value: string): string => `(i32x4.splat ${value})`;
const i32 = (value: number): string => `(i32.const ${value | 0})`;

function locals(names: string[], type: string): string {
  return names.map((n) => `(local $${n} ${type})`).join(' ');
}

const pairs = Array.from({length: UNROLL}, (_, u) => u);
const x0 = (u: number): string => `x0_${u}`;
const x1 = (u: number): string => `x1_${u}`;

const KEY_VECTORS = ['x1rot', 'ks0x', 'ks0', 'ks1', 'ks2', 'inj1', 'inj2', 'inj3', 'inj4', 'inj5'];

/** The key schedule as vectors (params $k0, $k1, $c1; local $k2): every kernel starts with it. */
function keySchedule(): string[] {
  const ks = ['$k0', '$k1', '$k2'];
  return [
    set('k2', `(i32.xor (i32.xor ${i32(PARITY)} (local.get $k0)) (local.get $k1))`),
    set('ks0', splat(get('k0'))),
    set('ks1', splat(get('k1'))),
    set('ks2', splat(get('k2'))),
    // After rounds 4s..4s+3: x0 += ks[(s+1) % 3], x1 += ks[(s+2) % 3] + s + 1.
    ...[1, 2, 3, 4, 5].map((s) =>
      set(`inj${s}`, splat(`(i32.add (local.get ${ks[(s + 1) % 3]}) ${i32(s)})`)),
    ),
    // Round 0 folded: x1 starts as the same c1 + k1 in every lane, so x0 + x1 adds a constant and
    // rotl(x1, 13) is one: x0 ← counter + (k0 + c1 + k1), x1 ← rotl(c1 + k1, 13) ^ x0.
    set('ks0x', splat('(i32.add (local.get $k0) (i32.add (local.get $c1) (local.get $k1)))')),
    set(
      'x1rot',
      splat(`(i32.rotl (i32.add (local.get $c1) (local.get $k1)) ${i32(ROTATIONS[0])})`),
    ),
  ];
}

/** Locals and set-up of the kernels that compute consecutive blocks b0, b0 + 1, … */
function prologue(): {decls: string; code: string[]} {
  const vecs = ['ctr', 'step', ...KEY_VECTORS];
  for (const u of pairs) vecs.push(x0(u), x1(u), `ks0_${u}`);
  const decls = `${locals(vecs, 'v128')} ${locals(['k2', 'p', 'end'], 'i32')}`;
  const code = [
    ...keySchedule(),
    set('ctr', `(i32x4.add ${splat(get('b0'))} (v128.const i32x4 0 1 2 3))`),
    set('step', splat(i32(4 * UNROLL))),
    ...pairs.map((u) =>
      set(
        `ks0_${u}`,
        splat(
          `(i32.add (local.get $k0) (i32.add (i32.add (local.get $c1) (local.get $k1)) ${i32(4 * u)}))`,
        ),
      ),
    ),
    set('p', i32(OUT_OFFSET)),
    set('end', `(i32.add ${i32(OUT_OFFSET)} (i32.mul (local.get $groups) ${i32(4 * GROUP)}))`),
  ];
  return {decls, code};
}

/**
 * x rotated left by `bits` in each 32-bit lane: one byte shuffle (pshufb) when `bits` is a whole
 * number of bytes (16 and 24 among Threefry's rotations), else shl, shr_u, or.
 */
function rotate(x: string, bits: number): string {
  if (bits % 8 === 0) {
    // Byte j of a lane takes byte (j − bits/8) mod 4 of the same lane (little-endian).
    const lanes = Array.from({length: 16}, (_, b) => (b & ~3) + ((b - bits / 8 + 4) & 3));
    return `(i8x16.shuffle ${lanes.join(' ')} ${x} ${x})`;
  }
  return `(v128.or (i32x4.shl ${x} ${i32(bits)}) (i32x4.shr_u ${x} ${i32(32 - bits)}))`;
}

/**
 * 20 rounds of Threefry-2x32 on the vector pairs `us`, interleaved. `afterAdd(u)` is pair u's x0
 * after round 0's addition: its counter + k0 + (c1 + k1) (see `keySchedule`).
 */
function rounds(
  us: number[] = pairs,
  afterAdd = (u: number): string => `(i32x4.add ${get('ctr')} ${get(`ks0_${u}`)})`,
): string[] {
  const code: string[] = [];
  for (const u of us)
    code.push(set(x0(u), afterAdd(u)), set(x1(u), `(v128.xor ${get('x1rot')} ${get(x0(u))})`));
  const ks = ['ks0', 'ks1', 'ks2'];
  for (let s = 0; s < 5; s++) {
    for (let r = Math.max(1, 4 * s); r < 4 * s + 4; r++) {
      const rot = ROTATIONS[r % 8];
      for (const u of us) {
        code.push(set(x0(u), `(i32x4.add ${get(x0(u))} ${get(x1(u))})`));
        code.push(set(x1(u), `(v128.xor ${rotate(get(x1(u)), rot)} ${get(x0(u))})`));
      }
    }
    for (const u of us) {
      code.push(set(x0(u), `(i32x4.add ${get(x0(u))} ${get(ks[(s + 1) % 3])})`));
      code.push(set(x1(u), `(i32x4.add ${get(x1(u))} ${get(`inj${s + 1}`)})`));
    }
  }
  return code;
}

/** Words of blocks (b, b+1) and (b+2, b+3) in element order: [b.0, b.1, b+1.0, b+1.1], … */
const low = (u: number): string =>
  `(i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 ${get(x0(u))} ${get(x1(u))})`;
const high = (u: number): string =>
  `(i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 ${get(x0(u))} ${get(x1(u))})`;

/** The loop around `body`, which turns the words of pair u into stores at $p + 32u. */
function kernel(
  name: string,
  params: string,
  extraDecls: string,
  setup: string[],
  body: (u: number) => string[],
): string {
  const {decls, code} = prologue();
  const lines = [
    `(func (export "${name}") (param $k0 i32) (param $k1 i32) ` +
      `(param $c1 i32) (param $b0 i32) (param $groups ` +
      `i32) ${params}`,
    `${decls} ${extraDecls}`,
    ...code,
    ...setup,
    '(block $done (loop $next',
    '(br_if $done (i32.ge_u (local.get $p) (local.get $end)))',
    ...rounds(),
    ...pairs.flatMap(body),
    set('ctr', `(i32x4.add ${get('ctr')} ${get('step')})`),
    set('p', `(i32.add ${get('p')} ${i32(4 * GROUP)})`),
    '(br $next)))',
    ')',
  ];
  return lines.join('\n');
}

/** Uniform: m = w >>> 8, v = pmin(lo + m·scale, top) in f32. */
function uniformKernel(): string {
  const body = (u: number): string[] =>
    [low(u), high(u)].map(
      (words, half) =>
        `(v128.store offset=${32 * u + 16 * half} (local.get $p) ` +
        `(f32x4.pmin (f32x4.add ${get('lov')} (f32x4.mul ` +
        `(f32x4.convert_i32x4_s ` +
        `(i32x4.shr_u ${words} ${i32(8)})) ${get('scalev')})) ${get('topv')}))`,
    );
  return kernel(
    'uniform',
    '(param $lo f32) (param $scale f32) (param $top f32)',
    locals(['lov', 'scalev', 'topv'], 'v128'),
    [
      set('lov', '(f32x4.splat (local.get $lo))'),
      set('scalev', '(f32x4.splat (local.get $scale))'),
      set('topv', '(f32x4.splat (local.get $top))'),
    ],
    body,
  );
}

/** Raw words: block b0 + k's two words at chunk positions 2k and 2k + 1. */
function blocksKernel(): string {
  const body = (u: number): string[] => [
    `(v128.store offset=${32 * u} (local.get $p) ${low(u)})`,
    `(v128.store offset=${32 * u + 16} (local.get $p) ${high(u)})`,
  ];
  return kernel('blocks', '', '', [], body);
}

/**
 * Ziggurat fast path on four words, into $e, $y, $fast, $acc: layer i = w & 255, sign bit 8,
 * m = w >>> 9; z = ±m·W[i] (f32), y = mean + std·z, accepted when m < K[i] (and, truncated,
 * lo ≤ y ≤ hi). One gather per lane: entry (w & 511) of the table at ZIG_OFFSET is the pair
 * (K[i], ±W[i]) with the sign of bit 8 already applied, so z = f32(m)·(±W[i]) is the same float32
 * as ±f32(m·W[i]). The lane index is computed in scalar registers, off the vector pipes.
 */
function zigguratFast(words: string, truncated: boolean): string[] {
  const entry = (l: number): string =>
    `(i32.shl (i32.and (i32x4.extract_lane ${l} ${get('e')}) ${i32(511)}) ${i32(3)})`;
  const code = [
    set('e', words),
    // kw01 = [K0, W0, K1, W1], kw23 = [K2, W2, K3, W3]
    set(
      'kw01',
      `(v128.load64_lane offset=${ZIG_OFFSET} 1 ${entry(1)} (v128.load64_zero offset=${ZIG_OFFSET} ${entry(0)}))`,
    ),
    set(
      'kw23',
      `(v128.load64_lane offset=${ZIG_OFFSET} 1 ${entry(3)} (v128.load64_zero offset=${ZIG_OFFSET} ${entry(2)}))`,
    ),
    set(
      'kv',
      `(i8x16.shuffle 0 1 2 3 8 9 10 11 16 17 18 19 24 25 26 27 ${get('kw01')} ${get('kw23')})`,
    ),
    set(
      'wv',
      `(i8x16.shuffle 4 5 6 7 12 13 14 15 20 21 22 23 28 29 30 31 ${get('kw01')} ${get('kw23')})`,
    ),
    set('m', `(i32x4.shr_u ${get('e')} ${i32(9)})`),
    set('fast', `(i32x4.lt_s ${get('m')} ${get('kv')})`),
    set('acc', get('fast')),
    set(
      'y',
      `(f32x4.add ${get('meanv')} (f32x4.mul ${get('stdv')} ` +
        `(f32x4.mul (f32x4.convert_i32x4_s ${get('m')}) ${get('wv')})))`,
    ),
  ];
  if (truncated) {
    code.push(
      set(
        'acc',
        `(v128.and ${get('acc')} (v128.and (f32x4.ge ${get('y')} ${get('lov')}) (f32x4.le ${get('y')} ${get('hiv')})))`,
      ),
    );
  }
  return code;
}

/**
 * The fast path on four words of the chunk at $p + at: every lane's y goes to the chunk and its
 * word to the same position of the word chunk (WORDS_OFFSET, read by the slow path); the accepted
 * lanes' bits go to the mask byte of these four elements (MASK_OFFSET), and, truncated, the lanes
 * whose ziggurat test passed to FAST_MASK_OFFSET.
 */
function zigguratStep(words: string, at: number, truncated: boolean): string[] {
  const code = zigguratFast(words, truncated);
  code.push(`(v128.store offset=${at} (local.get $p) ${get('y')})`);
  code.push(`(v128.store offset=${WORDS_OFFSET - OUT_OFFSET + at} (local.get $p) ${get('e')})`);
  code.push(
    `(i32.store8 offset=${MASK_OFFSET + at / 16} (i32.shr_u (local.get $j) ${i32(2)}) (i32x4.bitmask ${get('acc')}))`,
  );
  if (truncated) {
    code.push(
      `(i32.store8 offset=${FAST_MASK_OFFSET + at / 16} (i32.shr_u ` +
        `(local.get $j) ${i32(2)}) (i32x4.bitmask ${get('fast')}))`,
    );
  }
  return code;
}

const ZIGGURAT_VECTORS = [
  'e',
  'kw01',
  'kw23',
  'kv',
  'wv',
  'm',
  'fast',
  'acc',
  'y',
  'meanv',
  'stdv',
  'layerMask',
  'signbit',
  'lov',
  'hiv',
];

function zigguratSetup(truncated: boolean): string[] {
  const setup = [
    set('meanv', '(f32x4.splat (local.get $mean))'),
    set('stdv', '(f32x4.splat (local.get $std))'),
    set('layerMask', splat(i32(255))),
    set('signbit', splat(i32(0x80000000))),
  ];
  if (truncated)
    setup.push(
      set('lov', '(f32x4.splat (local.get $lo))'),
      set('hiv', '(f32x4.splat (local.get $hi))'),
    );
  return setup;
}

function zigguratKernel(name: string, truncated: boolean): string {
  const body = (u: number): string[] => [
    ...zigguratStep(low(u), 32 * u, truncated),
    ...zigguratStep(high(u), 32 * u + 16, truncated),
  ];
  // $j: chunk position of the first element the current $p points at.
  const withJ = (u: number): string[] =>
    u === UNROLL - 1 ? [...body(u), set('j', `(i32.add (local.get $j) ${i32(GROUP)})`)] : body(u);
  return kernel(
    name,
    `(param $mean f32) (param $std f32)${truncated ? ' (param $lo f32) (param $hi f32)' : ''}`,
    `${locals(ZIGGURAT_VECTORS, 'v128')} ${locals(['j'], 'i32')}`,
    [...zigguratSetup(truncated), set('j', i32(0))],
    withJ,
  );
}

/**
 * The loop of the list kernels: for each quad of chunk positions ($posv, read from the list at
 * `listOffset`) run `body`, which leaves four values in local `value` and the finished lanes in
 * $acc; store every value at its position in the chunk and append the unfinished positions to
 * FAIL_LIST at $nfail (branch-free); finally return $nfail.
 */
function listLoop(listOffset: number, value: string, body: string[]): string[] {
  const position = (l: number): string => `(i32x4.extract_lane ${l} ${get('posv')})`;
  const scatter: string[] = [];
  for (let l = 0; l < 4; l++) {
    scatter.push(
      `(f32.store offset=${OUT_OFFSET} (i32.shl ${position(l)} ${i32(2)}) (f32x4.extract_lane ${l} ${get(value)}))`,
    );
    scatter.push(
      `(i32.store offset=${FAIL_LIST_OFFSET} (i32.shl (local.get $nfail) ${i32(2)}) ${position(l)})`,
    );
    scatter.push(
      set(
        'nfail',
        `(i32.add (local.get $nfail) (i32.xor (i32.and (i32.shr_u (local.get $bits) ${i32(l)}) ${i32(1)}) ${i32(1)}))`,
      ),
    );
  }
  return [
    '(block $done (loop $next',
    '(br_if $done (i32.ge_u (local.get $q) (local.get $quads)))',
    set('posv', `(v128.load offset=${listOffset} (i32.shl (local.get $q) ${i32(4)}))`),
    ...body,
    set('bits', `(i32x4.bitmask ${get('acc')})`),
    ...scatter,
    set('q', `(i32.add (local.get $q) ${i32(1)})`),
    '(br $next)))',
    '(local.get $nfail)',
  ];
}

/**
 * Sorts the unfinished chunk positions in [$skip, $end) by the masks: a fast draw outside the
 * interval goes to RETRY_LIST, a draw that needs the slow path to SLOW_LIST. Returns
 * retries | slow << 16.
 */
function collectKernel(): string {
  const pos =
    '(i32.add (i32.add (i32.shl (local.get $v) (i32.const 4)) ' +
    '(i32.shl (i32.shr_u (local.get $bit) (i32.const 3)) ' +
    '(i32.const 2))) (i32.and (local.get $bit) (i32.const 3)))';
  return `(func (export "collect") (param $skip i32) (param $end i32) (param $truncated i32) (result i32)
(local $v i32) (local $words i32) (local $missing i32) (local $fast i32)
(local $bit i32) (local $pos i32) (local $nr i32) (local $ns i32)
(local.set $words (i32.shr_u (i32.add (local.get $end) (i32.const 15)) (i32.const 4)))
(block $done (loop $next
  (br_if $done (i32.ge_u (local.get $v) (local.get $words)))
  (local.set $missing (i32.and
    (i32.xor (i32.load offset=${MASK_OFFSET} (i32.shl (local.get $v) (i32.const 2))) (i32.const -1))
    (i32.const 0x0f0f0f0f)))
  (if (local.get $missing) (then
    (if (local.get $truncated) (then
      (local.set $fast (i32.load offset=${FAST_MASK_OFFSET} (i32.shl (local.get $v) (i32.const 2))))))
    (block $empty (loop $bits
      (br_if $empty (i32.eqz (local.get $missing)))
      (local.set $bit (i32.ctz (local.get $missing)))
      (local.set $missing (i32.and (local.get $missing) (i32.sub (local.get $missing) (i32.const 1))))
      (local.set $pos ${pos})
      (if (i32.and (i32.ge_u (local.get $pos) (local.get $skip)) (i32.lt_u (local.get $pos) (local.get $end))) (then
        (if (i32.and (i32.shr_u (local.get $fast) (local.get $bit)) (i32.const 1))
          (then (i32.store offset=${RETRY_LIST_OFFSET} (i32.shl (local.get $nr) (i32.const 2)) (local.get $pos))
                (local.set $nr (i32.add (local.get $nr) (i32.const 1))))
          (else (i32.store offset=${SLOW_LIST_OFFSET} (i32.shl (local.get $ns) (i32.const 2)) (local.get $pos))
                (local.set $ns (i32.add (local.get $ns) (i32.const 1)))))))
      (br $bits)))))
  (local.set $v (i32.add (local.get $v) (i32.const 1)))
  (br $next)))
(i32.or (local.get $nr) (i32.shl (local.get $ns) (i32.const 16))))`;
}

/**
 * Second try of the truncated normal for the $quads·4 positions in RETRY_LIST (fast draws outside
 * [lo, hi]). Their next word is word 0 of block (e, stream + 2^16) (`words.ts`), so the caller
 * passes $c1 = stream + 2^16 and $first = the element at chunk position 0; a fast draw outside
 * [lo, hi] again is followed by word 1 of that block. Every lane's y is
 * stored at its position in the chunk; the positions whose retry failed too are appended to
 * FAIL_LIST, and their count is returned.
 */
function retryKernel(): string {
  const vecs = [
    ...KEY_VECTORS,
    ...ZIGGURAT_VECTORS,
    x0(0),
    x1(0),
    'firstv',
    'posv',
    'accW',
    'valueW',
    'again',
    'value',
  ];
  const decls = `${locals(vecs, 'v128')} ${locals(['k2', 'q', 'nfail', 'bits'], 'i32')}`;
  return [
    '(func (export "truncatedRetry") (param $k0 i32) (param $k1 ' +
      'i32) (param $c1 i32) (param $first i32) (param $quads i32)',
    '(param $mean f32) (param $std f32) (param $lo f32) (param $hi f32) (result i32)',
    decls,
    ...keySchedule(),
    ...zigguratSetup(true),
    set('firstv', splat(get('first'))),
    ...listLoop(RETRY_LIST_OFFSET, 'value', [
      ...rounds(
        [0],
        () => `(i32x4.add (i32x4.add ${get('posv')} ${get('firstv')}) ${get('ks0x')})`,
      ),
      ...zigguratFast(get(x0(0)), true),
      set('accW', get('acc')),
      set('valueW', get('y')),
      // A fast draw outside [lo, hi] again: the next draw is word 1 of the same block.
      set('again', `(v128.andnot ${get('fast')} ${get('acc')})`),
      ...zigguratFast(get(x1(0)), true),
      set('acc', `(v128.or ${get('accW')} (v128.and ${get('again')} ${get('acc')}))`),
      set('value', `(v128.bitselect ${get('valueW')} ${get('y')} ${get('accW')})`),
    ]),
    ')',
  ].join('\n');
}

const f32splat = (value: number): string => `(f32x4.splat (f32.const ${value}))`;

/** $ex = exp32($t) lane by lane: `src/random/exp32.ts`, operation for operation. */
function exp32(): string[] {
  const {LOG2E, LN2_HI, LN2_LO, ROUND, P} = EXP32;
  const mul = (a: string, b: string): string => `(f32x4.mul ${a} ${b})`;
  const add = (a: string, b: string): string => `(f32x4.add ${a} ${b})`;
  const code = [
    set(
      'n',
      `(f32x4.sub ${add(mul(get('t'), f32splat(LOG2E)), f32splat(ROUND))} ${f32splat(ROUND)})`,
    ),
    set(
      'r',
      `(f32x4.sub (f32x4.sub ${get('t')} ${mul(get('n'), f32splat(LN2_HI))}) ${mul(get('n'), f32splat(LN2_LO))})`,
    ),
    set('p', add(mul(f32splat(P[0]), get('r')), f32splat(P[1]))),
  ];
  for (const c of P.slice(2)) code.push(set('p', add(mul(get('p'), get('r')), f32splat(c))));
  code.push(set('p', add(add(mul(get('p'), mul(get('r'), get('r'))), get('r')), f32splat(1))));
  // 2^n from its bits: (n + 127) << 23.
  code.push(
    set(
      'ex',
      mul(
        get('p'),
        `(i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s ${get('n')}) ${splat(i32(127))}) ${i32(23)})`,
      ),
    ),
  );
  return code;
}

/**
 * The ziggurat wedge test in SIMD for the $quads·4 positions in SLOW_LIST (draws whose fast test
 * failed; their first word is in the chunk). Like `zigguratFrom` in `normal.ts`: the wedge's
 * uniform is word 0 of block (e, stream + 2^16) (the caller passes $c1 = stream + 2^16), u =
 * (w >>> 8)·2⁻²⁴, y = FB[i] + FD[i]·u, accepted when y < exp32(−z²/2) and the layer is not the
 * base (whose slow draws are tail draws), and, for a truncated normal, when the value lies in
 * [lo, hi] (pass ∓∞ otherwise). A wedge draw rejected, or accepted outside [lo, hi], is followed
 * by a fresh fast draw from word 1 of the same block, as `zigguratFrom` / `byNormal` read it.
 * Every lane's value is stored at its position; positions not finished are appended to
 * FAIL_LIST from index $nfail on; returns the new count.
 */
function wedgeKernel(): string {
  const vecs = [
    ...KEY_VECTORS,
    x0(0),
    x1(0),
    'firstv',
    'posv',
    'w0',
    'idx',
    'wv',
    'fbv',
    'fdv',
    'z',
    'u',
    'y',
    't',
    'n',
    'r',
    'p',
    'ex',
    'acc',
    'value',
    'meanv',
    'stdv',
    'lov',
    'hiv',
    'signbit',
    'layerMask',
    'e',
    'kw01',
    'kw23',
    'kv',
    'm',
    'fast',
    'accW',
    'valueW',
    'nonBase',
  ];
  const lane = (l: number): string => `(i32x4.extract_lane ${l} ${get('idx')})`;
  const position = (l: number): string =>
    `(i32.shl (i32x4.extract_lane ${l} ${get('posv')}) ${i32(2)})`;
  const gather = (name: string, offset: number): string[] => [
    set(name, `(f32x4.splat (f32.load offset=${offset} ${lane(0)}))`),
    ...[1, 2, 3].map((l) =>
      set(name, `(f32x4.replace_lane ${l} ${get(name)} (f32.load offset=${offset} ${lane(l)}))`),
    ),
  ];
  return [
    '(func (export "wedge") (param $k0 i32) (param $k1 i32) (param $c1 i32) (param $first i32) (param $quads i32)',
    '(param $mean f32) (param $std f32) (param $lo f32) (param $hi f32) (param $nfail i32) (result i32)',
    `${locals(vecs, 'v128')} ${locals(['k2', 'q', 'bits'], 'i32')}`,
    ...keySchedule(),
    set('firstv', splat(get('first'))),
    set('meanv', '(f32x4.splat (local.get $mean))'),
    set('stdv', '(f32x4.splat (local.get $std))'),
    set('lov', '(f32x4.splat (local.get $lo))'),
    set('hiv', '(f32x4.splat (local.get $hi))'),
    set('layerMask', splat(i32(255))),
    set('signbit', splat(i32(0x80000000))),
    ...listLoop(SLOW_LIST_OFFSET, 'value', [
      set('w0', `(v128.load32_zero offset=${WORDS_OFFSET} ${position(0)})`),
      ...[1, 2, 3].map((l) =>
        set('w0', `(v128.load32_lane offset=${WORDS_OFFSET} ${l} ${position(l)} ${get('w0')})`),
      ),
      set('idx', `(i32x4.shl (v128.and ${get('w0')} ${get('layerMask')}) ${i32(2)})`),
      ...gather('wv', W_OFFSET),
      ...gather('fbv', FB_OFFSET),
      ...gather('fdv', FD_OFFSET),
      set(
        'z',
        `(f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_u ${get('w0')} ${i32(9)})) ${get('wv')})`,
      ),
      ...rounds(
        [0],
        () => `(i32x4.add (i32x4.add ${get('posv')} ${get('firstv')}) ${get('ks0x')})`,
      ),
      set(
        'u',
        `(f32x4.mul (f32x4.convert_i32x4_s (i32x4.shr_u ${get(x0(0))} ${i32(8)})) ${f32splat(2 ** -24)})`,
      ),
      set('y', `(f32x4.add ${get('fbv')} (f32x4.mul ${get('fdv')} ${get('u')}))`),
      set('t', `(f32x4.mul (f32x4.mul ${get('z')} ${get('z')}) ${f32splat(-0.5)})`),
      ...exp32(),
      set('nonBase', `(i32x4.ne (v128.and ${get('w0')} ${get('layerMask')}) ${splat(i32(0))})`),
      set(
        'valueW',
        `(f32x4.add ${get('meanv')} (f32x4.mul ${get('stdv')} ` +
          `(v128.xor ${get('z')} (v128.and ` +
          `(i32x4.shl ${get('w0')} ${i32(23)}) ${get('signbit')}))))`,
      ),
      set(
        'accW',
        `(v128.and (v128.and ` +
          `(f32x4.lt ${get('y')} ${get('ex')}) ${get('nonBase')}) ` +
          `(v128.and (f32x4.ge ${get('valueW')} ${get('lov')}) ` +
          `(f32x4.le ${get('valueW')} ${get('hiv')})))`,
      ),
      // Wedge rejected, or accepted outside [lo, hi]: the next draw is word 1 of the same block.
      ...zigguratFast(get(x1(0)), true),
      set('acc', `(v128.or ${get('accW')} (v128.and ${get('nonBase')} ${get('acc')}))`),
      set('value', `(v128.bitselect ${get('valueW')} ${get('y')} ${get('accW')})`),
    ]),
    ')',
  ].join('\n');
}

/** The whole module: one exported memory and the three kernels. */
export function buildWat(): string {
  return [
    '(module',
    `(memory (export "memory") ${PAGES})`,
    uniformKernel(),
    blocksKernel(),
    zigguratKernel('normal', false),
    zigguratKernel('truncatedNormal', true),
    collectKernel(),
    retryKernel(),
    wedgeKernel(),
    ')',
  ].join('\n');
}
