// tfjs-initializers demo page: plain ES modules, no build step. See index.html for the import map.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-webgpu';
import {setWasmPaths} from '@tensorflow/tfjs-backend-wasm';
import * as inits from 'tfjs-initializers';

setWasmPaths(
  new URL('../../node_modules/@tensorflow/tfjs-backend-wasm/dist/', import.meta.url).href,
);

const $ = (id) => document.getElementById(id);
const status = (text) => {
  $('status').textContent = text;
};
const COLORS = ['#cf222e', '#0969da', '#1a7f37', '#8250df', '#bf8700'];

/** Starts the backend named in `?backend=` (default webgl) and says which one really runs. */
async function startBackend() {
  const requested = new URLSearchParams(location.search).get('backend') ?? 'webgl';
  const select = $('backend');
  select.value = requested;
  select.addEventListener('change', () => {
    location.search = `?backend=${select.value}`;
  });
  const started = await tf.setBackend(requested).catch(() => false);
  await tf.ready();
  const active = tf.getBackend();
  console.log(
    `[demo] backend requested ${requested}: setBackend returned ${started}, tf.getBackend() = ${active}`,
  );
  return {
    requested,
    active,
    note: started && active === requested ? '' : ` (${requested} is not available here)`,
  };
}

/** A 40-bin histogram of `values` on a small canvas. */
function drawHistogram(canvas, values, color) {
  const ctx = canvas.getContext('2d');
  let {min, max} = stats(values);
  const bins = new Array(40).fill(0);
  if (max === min) {
    min -= 0.5;
    max += 0.5;
  }
  const width = max - min;
  for (const v of values) bins[Math.min(39, Math.floor(((v - min) / width) * 40))]++;
  const top = Math.max(...bins);
  ctx.fillStyle = color;
  bins.forEach((count, i) => {
    const h = (count / top) * (canvas.height - 4);
    ctx.fillRect(i * (canvas.width / 40) + 1, canvas.height - h, canvas.width / 40 - 2, h);
  });
}

function stats(values) {
  let sum = 0;
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    sum += v;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  const mean = sum / values.length;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  return {
    mean,
    min,
    max,
    std: Math.sqrt(ss / values.length),
    zeros: values.filter((v) => v === 0).length / values.length,
  };
}

function card(title, subtitle, values, ms, color) {
  const el = document.createElement('div');
  el.className = 'card';
  el.innerHTML = `<h3></h3><canvas width="190" height="64"></canvas><p class="sub"></p><p class="st"></p>`;
  el.querySelector('h3').textContent = title;
  el.querySelector('.sub').textContent = subtitle;
  drawHistogram(el.querySelector('canvas'), values, color);
  const {std, zeros, min, max} = stats(values);
  el.querySelector('.st').textContent =
    `std ${std.toFixed(4)} · ` +
    `[${min.toFixed(3)}, ${max.toFixed(3)}]${zeros > 0.01 ? ` · ${(zeros * 100).toFixed(1)}% zeros` : ''} ` +
    `· ${ms.toFixed(1)} ms`;
  $('histograms').append(el);
}

/**
 * Kernel shapes tried in turn: Dense first, then Conv2D, Conv1D and Conv3D kernels, then an STFT
 * kernel [frameLength, 1, bins].
 */
const SHAPES = [
  [256, 256],
  [3, 3, 64, 64],
  [5, 64, 64],
  [3, 3, 3, 32, 32],
  [256, 1, 129],
];

/** Applies `init` to the first shape it accepts (conv-only schemes reject a Dense kernel). */
function applyToFirstShape(init) {
  for (const [i, shape] of SHAPES.entries()) {
    try {
      return {t: init.apply(shape), shape};
    } catch (e) {
      if (!(e instanceof inits.InitializerError) || i === SHAPES.length - 1) throw e;
    }
  }
  throw new Error('unreachable');
}

/** One histogram per registered initializer (seeded when it takes a seed), and tfjs's glorotUniform for comparison. */
async function showInitializers() {
  const names = inits.registeredNames();
  for (const [i, name] of names.entries()) {
    const Cls = inits[name];
    const config = new Cls().hasOption('seed') ? {seed: 1} : {};
    const t0 = performance.now();
    const {t, shape} = applyToFirstShape(new Cls(config));
    const ms = performance.now() - t0;
    card(
      name,
      `new ${name}(${JSON.stringify(config)}).apply([${shape.join(', ')}])`,
      await t.data(),
      ms,
      COLORS[i % COLORS.length],
    );
    t.dispose();
  }
  const t0 = performance.now();
  const t = tf.initializers.glorotUniform({seed: 1}).apply([256, 256]);
  const ms = performance.now() - t0;
  card(
    'glorotUniform (tfjs built-in)',
    'tf.initializers.glorotUniform({seed: 1})',
    await t.data(),
    ms,
    '#57606a',
  );
  t.dispose();
  return names;
}

/** Two noisy concentric rings (inner ring class 0, outer ring class 1), 400 points, deterministic. */
function rings(n) {
  const xs = new Float32Array(n * 2);
  const ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const cls = i % 2;
    const noise = (Math.sin(i * 12.9898) * 43758.5453) % 1;
    const r = (cls === 0 ? 0.35 : 0.8) + 0.12 * noise;
    const a = i * 2.399963;
    xs[2 * i] = r * Math.cos(a);
    xs[2 * i + 1] = r * Math.sin(a);
    ys[i] = cls;
  }
  return {x: tf.tensor2d(xs, [n, 2]), y: tf.tensor2d(ys, [n, 1])};
}

const SCHEMES = [
  {label: 'zeros', kernel: () => 'zeros'},
  {
    label: 'XavierUniformCustom(gain tanh)',
    kernel: () => new inits.XavierUniformCustom({gain: inits.calculateGain('tanh')}),
  },
  {
    label: 'SparseInit(0.5, std 0.5)',
    kernel: () => new inits.SparseInit({sparsity: 0.5, std: 0.5}),
  },
];

function buildMlp(kernel) {
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        units: 32,
        activation: 'tanh',
        inputShape: [2],
        kernelInitializer: kernel(),
        biasInitializer: new inits.ZeroBias(),
      }),
      tf.layers.dense({
        units: 32,
        activation: 'tanh',
        kernelInitializer: kernel(),
        biasInitializer: 'ZeroBias',
      }),
      tf.layers.dense({
        units: 1,
        activation: 'sigmoid',
        kernelInitializer: kernel(),
        biasInitializer: 'ZeroBias',
      }),
    ],
  });
  model.compile({
    optimizer: tf.train.adam(0.01),
    loss: 'binaryCrossentropy',
    metrics: ['accuracy'],
  });
  return model;
}

/** Number of distinct columns (hidden units) of a [in, units] kernel. */
function distinctUnits(kernel) {
  const [rows, cols] = kernel.shape;
  const v = kernel.dataSync();
  const units = new Set();
  for (let c = 0; c < cols; c++) {
    const col = [];
    for (let r = 0; r < rows; r++) col.push(v[r * cols + c]);
    units.add(col.join(','));
  }
  return units.size;
}

function drawLosses(canvas, series, epochs) {
  const ctx = canvas.getContext('2d');
  const {width, height} = canvas;
  const pad = {l: 44, r: 12, t: 12, b: 28};
  ctx.clearRect(0, 0, width, height);
  ctx.font = '11px system-ui, sans-serif';
  ctx.strokeStyle = '#d0d7de';
  ctx.fillStyle = '#57606a';
  const maxLoss = 0.8;
  const x = (e) => pad.l + ((width - pad.l - pad.r) * e) / (epochs - 1);
  const y = (l) => pad.t + (height - pad.t - pad.b) * (1 - Math.min(l, maxLoss) / maxLoss);
  for (let l = 0; l <= maxLoss + 1e-9; l += 0.2) {
    ctx.beginPath();
    ctx.moveTo(pad.l, y(l));
    ctx.lineTo(width - pad.r, y(l));
    ctx.stroke();
    ctx.fillText(l.toFixed(1), 20, y(l) + 4);
  }
  ctx.fillText('epoch', width / 2 - 14, height - 8);
  ctx.save();
  ctx.translate(12, height / 2 + 10);
  ctx.rotate(-Math.PI / 2);
  ctx.fillText('loss', 0, 0);
  ctx.restore();
  series.forEach((s, i) => {
    ctx.strokeStyle = COLORS[i];
    ctx.lineWidth = 2;
    ctx.beginPath();
    s.losses.forEach((l, e) => (e === 0 ? ctx.moveTo(x(e), y(l)) : ctx.lineTo(x(e), y(l))));
    ctx.stroke();
    ctx.fillStyle = COLORS[i];
    ctx.fillText(s.label, width - pad.r - 200, y(0.5) + 14 * i);
  });
  ctx.lineWidth = 1;
}

/** Trains one MLP per kernel initializer, same seed, same data; returns the per-scheme results and the Xavier model. */
async function train() {
  const EPOCHS = 40;
  const {x, y} = rings(400);
  const series = [];
  const results = [];
  let keep = null;
  for (const [i, scheme] of SCHEMES.entries()) {
    inits.setSeed(2010);
    const model = buildMlp(scheme.kernel);
    const s = {label: scheme.label, losses: []};
    series.push(s);
    await model.fit(x, y, {
      epochs: EPOCHS,
      batchSize: 50,
      shuffle: false,
      verbose: 0,
      callbacks: {
        onEpochEnd: async (epoch, logs) => {
          s.losses.push(logs.loss);
          if (epoch % 5 === 4 || epoch === EPOCHS - 1) {
            drawLosses($('loss'), series, EPOCHS);
            status(`training ${scheme.label}: epoch ${epoch + 1}/${EPOCHS}`);
            await tf.nextFrame();
          }
        },
      },
    });
    const [loss, acc] = model.evaluate(x, y).map((t) => t.dataSync()[0]);
    const distinct = distinctUnits(model.layers[0].getWeights()[0]);
    results.push({label: scheme.label, loss, accuracy: acc, distinctUnits: distinct});
    const row = document.createElement('tr');
    row.innerHTML =
      `<td style="color:${COLORS[i]}"></td><td ` +
      `class="num">${loss.toFixed(3)}</td><td ` +
      `class="num">${(acc * 100).toFixed(1)}%</td><td ` +
      `class="num">${distinct} of 32</td>`;
    row.firstChild.textContent = scheme.label;
    $('training').querySelector('tbody').append(row);
    if (i === 1) keep = model;
    else model.dispose();
  }
  tf.dispose([x, y]);
  return {results, model: keep};
}

/** Saves the model to IndexedDB and localStorage, loads both back and compares configs and weights. */
async function roundTrip(model) {
  const out = {};
  const before = model.getWeights().map((w) => Array.from(w.dataSync()));
  const config = JSON.stringify(model.toJSON(null, false));
  const lines = [];
  for (const url of [
    'indexeddb://tfjs-initializers-demo',
    'localstorage://tfjs-initializers-demo',
  ]) {
    await model.save(url);
    const loaded = await tf.loadLayersModel(url);
    const same =
      JSON.stringify(loaded.toJSON(null, false)) === config &&
      loaded
        .getWeights()
        .every((w, i) => Array.from(w.dataSync()).every((v, j) => Object.is(v, before[i][j])));
    const kernel = loaded.layers[0].kernelInitializer;
    const store = url.split(':')[0];
    out[store] = {
      same,
      kernelClass: kernel.getClassName(),
      ourClass: kernel instanceof inits.XavierUniformCustom,
    };
    lines.push(
      `<p>${store}: configs and all ${before.length} weight ` +
        `tensors ${same ? '<span class="ok">identical</span>' : '<span class="bad">differ</span>'} ` +
        `· first kernel initializer is ` +
        `a ${kernel.getClassName()}${out[store].ourClass ? ' instance' : ''}</p>`,
    );
    loaded.dispose();
    await tf.io.removeModel(url);
  }
  const saved = JSON.parse(config).config.layers[0].config.kernel_initializer;
  out.savedKernelInitializer = saved;
  $('roundtrip').innerHTML = `${lines.join('')}<pre></pre>`;
  $('roundtrip').querySelector('pre').textContent =
    `"kernel_initializer": ${JSON.stringify(saved)}`;
  return out;
}

async function main() {
  const backend = await startBackend();
  status(`backend: ${backend.active}${backend.note} · tfjs ${tf.version.tfjs}`);
  const names = await showInitializers();
  const {results, model} = await train();
  const roundtrip = await roundTrip(model);
  model.dispose();
  status(`backend: ${backend.active}${backend.note} · tfjs ${tf.version.tfjs} · done`);
  window.demoResult = {backend, initializers: names, training: results, roundtrip};
  document.body.dataset.state = 'done';
}

main().catch((e) => {
  console.error(e);
  status(`error: ${e.message}`);
  document.body.dataset.state = 'error';
});
