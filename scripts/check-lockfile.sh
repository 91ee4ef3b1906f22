#!/usr/bin/env bash
# Fails when package-lock.json is out of step with package.json: asks npm to bring the lock in
# step (`npm install --package-lock-only`: no node_modules change, no scripts) and compares. `npm ci`
# alone does not catch every mismatch: a lock whose root peer ranges say ^4.6.0 while package.json
# says ^4.9.0 installs without a word (checked with npm 11), and `npm install` then rewrites the
# lock in a fresh clone. The lock is left as it was; the difference is printed.
set -euo pipefail
cd "$(dirname "$0")/.."
saved=$(mktemp)
trap 'cp "$saved" package-lock.json; rm -f "$saved"' EXIT
cp package-lock.json "$saved"
npm install --package-lock-only --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null
if ! diff -u "$saved" package-lock.json; then
  echo "package-lock.json is out of step with package.json: run \`npm install\` and commit the lock" >&2
  exit 1
fi
echo "package-lock.json is in step with package.json"
