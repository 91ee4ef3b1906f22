/**
 * Runs npm (and node) for the consumer apps the way a user does: plain `npm install`, no flags.
 *
 * The environment is the user's, less what `npm run` adds (`npm_package_*`, `npm_lifecycle_*`,
 * `npm_config_local_prefix`, ... — a child npm would take the repository for its project), and with
 * the settings that decide peer resolution pinned to npm's defaults, so a `legacy-peer-deps` or
 * `force` in someone's ~/.npmrc cannot hide an ERESOLVE. Every app shares the user's npm cache
 * (`prefer-offline`: packages already there are not fetched again); no audit or funding requests.
 */
import {spawnSync} from 'child_process';
import * as path from 'path';

export const ROOT = path.resolve(__dirname, '..', '..');

/** What `npm run` exports that a child npm must not inherit. */
const FROM_NPM_RUN =
  /^npm_(?!config_)|^npm_config_(local_prefix|prefix|global|loglevel|yes|allow_scripts)$/i;

export function appEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!FROM_NPM_RUN.test(k)) env[k] = v;
  return {
    ...env,
    npm_config_legacy_peer_deps: 'false',
    npm_config_strict_peer_deps: 'false',
    npm_config_force: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    npm_config_update_notifier: 'false',
    npm_config_prefer_offline: 'true',
    ...extra,
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command in `cwd` with {@link appEnv}; never throws for a non-zero exit. */
export function run(cwd: string, command: string, args: string[], timeout = 240000): Run {
  const r = spawnSync(command, args, {
    cwd,
    env: appEnv(),
    encoding: 'utf8',
    timeout,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error !== undefined) throw r.error;
  return {code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr};
}

/** Runs npm and returns its stdout; fails with npm's own output when it exits non-zero. */
export function npm(cwd: string, args: string[]): string {
  const r = run(cwd, 'npm', args);
  if (r.code !== 0)
    throw new Error(
      `npm ${args.join(' ')} (in ${cwd}) exited ${r.code}:\n${r.stdout}\n${r.stderr}`,
    );
  return r.stdout;
}
