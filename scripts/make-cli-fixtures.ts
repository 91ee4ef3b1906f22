/**
 * Writes the small models the CLI tests run against (`npx tsx scripts/make-cli-fixtures.ts`).
 * The output is committed under __tests__/fixtures/cli/; rerun only to change the fixtures.
 */
import {promises as fs} from 'fs';
import * as path from 'path';
import * as tf from '@tensorflow/tfjs';
import {KaimingNormal, XavierUniformCustom, ZeroBias, setSeed} from '../src';
import {fileIO} from '../src/node';

const dir = path.join(__dirname, '..', '__tests__', 'fixtures', 'cli');

function mlp(
  kernel: (i: number) => NonNullable<Parameters<typeof tf.layers.dense>[0]>['kernelInitializer'],
  activation: 'relu' | 'tanh' = 'relu',
): tf.Sequential {
  const model = tf.sequential();
  [16, 16].forEach((units, i) =>
    model.add(
      tf.layers.dense({
        units,
        activation,
        kernelInitializer: kernel(i),
        biasInitializer: new ZeroBias(),
        name: `hidden${i + 1}`,
        ...(i === 0 ? {inputShape: [16]} : {}),
      }),
    ),
  );
  model.add(
    tf.layers.dense({
      units: 3,
      activation: 'softmax',
      kernelInitializer: new XavierUniformCustom({seed: 99}),
      name: 'output',
    }),
  );
  return model;
}

async function main(): Promise<void> {
  tf.enableProdMode();
  setSeed(5);
  await fs.rm(dir, {recursive: true, force: true});
  await mlp(() => new KaimingNormal()).save(fileIO(path.join(dir, 'healthy')));
  await mlp(() => 'zeros').save(fileIO(path.join(dir, 'zero-kernel')));
  await mlp(() => new XavierUniformCustom({seed: 7})).save(fileIO(path.join(dir, 'seed-reuse')));
  // Topology only: the CLI must run the initializers itself.
  const topology = JSON.parse(await fs.readFile(path.join(dir, 'healthy', 'model.json'), 'utf8'));
  await fs.mkdir(path.join(dir, 'topology-only'));
  await fs.writeFile(
    path.join(dir, 'topology-only', 'model.json'),
    JSON.stringify({modelTopology: topology.modelTopology, format: topology.format}),
  );
  // Unregistered classes: one initializer, one layer.
  const unknown = JSON.parse(JSON.stringify(topology));
  unknown.modelTopology.config.layers[0].config.kernel_initializer = {
    class_name: 'NoSuchInit',
    config: {},
  };
  unknown.modelTopology.config.layers[1].class_name = 'NoSuchLayer';
  await fs.mkdir(path.join(dir, 'unknown-class'));
  await fs.writeFile(path.join(dir, 'unknown-class', 'model.json'), JSON.stringify(unknown));
  await fs.writeFile(
    path.join(dir, 'malformed.json'),
    '{"modelTopology": {"class_name": "Sequential", "config": {"layers": [',
  );
  await fs.writeFile(path.join(dir, 'not-a-model.json'), JSON.stringify({hello: 'world'}));
  console.log(`fixtures written to ${dir}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
