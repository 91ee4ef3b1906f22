import * as fs from 'fs';
import type {SetupState} from './global-setup';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as {tfjsInitSetup?: SetupState}).tfjsInitSetup;
  if (state === undefined) return;
  await state.server.close();
  fs.rmSync(state.buildDir, {recursive: true, force: true});
}
