#!/usr/bin/env bash
# Runs the type check and the unit suite (both jest projects) against another tfjs 4.x:
#   scripts/test-tfjs-version.sh 4.9.0
# It installs @tensorflow/tfjs and @tensorflow/tfjs-backend-wasm at that version in a scratch
# folder, copies the repository's tracked files next to it, links every other package from this
# checkout's node_modules, and runs `tsc` and `jest` there. How the supported range was found
# (docs/install.md, "Why 4.9").
set -euo pipefail
version=${1:?usage: scripts/test-tfjs-version.sh VERSION}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/tfjs-$version-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/tfjs" "$work/repo/node_modules/@tensorflow"
(cd "$work/tfjs" && echo '{"name":"tfjs-version","version":"1.0.0","private":true}' > package.json \
  && npm install --no-audit --no-fund --silent "@tensorflow/tfjs@$version" "@tensorflow/tfjs-backend-wasm@$version")
(cd "$root" && git ls-files -z | xargs -0 tar -c) | tar -x -C "$work/repo"
for entry in "$root"/node_modules/* "$root"/node_modules/.bin; do
  [ "$(basename "$entry")" = @tensorflow ] || ln -s "$entry" "$work/repo/node_modules/"
done
ln -s "$work"/tfjs/node_modules/@tensorflow/* "$work/repo/node_modules/@tensorflow/"
cd "$work/repo"
echo "tfjs-core $(node -p "require('@tensorflow/tfjs-core').version_core"), tfjs-layers $(node -p "require('@tensorflow/tfjs-layers').version_layers")"
npx tsc -p tsconfig.json
npx jest
