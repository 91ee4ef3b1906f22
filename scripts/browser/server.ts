/**
 * A static file server on 127.0.0.1 for the browser tests, the benchmark and the demo: the
 * repository root (so pages load `dist/` and `node_modules/` as a deployed site would) plus an
 * optional folder of generated files under `/__build/`. sirv supplies MIME types (`.mjs`,
 * `.wasm`) and refuses paths outside its root.
 */
import * as http from 'http';
import type {AddressInfo} from 'net';
import * as path from 'path';
import sirv from 'sirv';

/** Repository root. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** URL prefix of the generated files. */
export const BUILD_PREFIX = '/__build/';

/** A running server. */
export interface StaticSite {
  /** e.g. `http://127.0.0.1:41234` */
  origin: string;
  close(): Promise<void>;
}

/** Serves `ROOT` at `/` and, when given, `buildDir` at `/__build/`. Port chosen by the OS. */
export async function startServer(buildDir?: string): Promise<StaticSite> {
  const options = {dev: true, dotfiles: false, etag: false};
  const site = sirv(ROOT, options);
  const built = buildDir === undefined ? null : sirv(buildDir, options);
  const notFound = (res: http.ServerResponse): void => {
    res.statusCode = 404;
    res.end('not found');
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (url === '/favicon.ico') return void res.writeHead(204).end();
    if (built !== null && url.startsWith(BUILD_PREFIX)) {
      req.url = `/${url.slice(BUILD_PREFIX.length)}`;
      return built(req, res, () => notFound(res));
    }
    return site(req, res, () => notFound(res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const {port} = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve()))),
  };
}
