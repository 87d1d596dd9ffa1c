#!/bin/sh
# The last step of scripts/build-client: writes the precache list and a content-derived version
# into the built directory's sw.js (its argument), after wasm-opt, so the version covers the
# final bytes. Every chunk of a build is in the list: a version is cached whole or not at all.
set -eu
node_modules="$(cd "$(dirname "$0")/.." && pwd)/node_modules"
cd "${1:?usage: precache.sh DIST_DIR}"
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
version=$(for file in $files; do sha256sum "$file"; done | sha256sum | cut -c1-16)
list='"/"'
for file in $files; do
  list="$list, \"/$file\""
done
sed -i "s|/\* KEFU_PRECACHE_LIST \*/|$list|; s|__KEFU_BUILD_VERSION__|$version|" sw.js
echo "precache: $(echo "$files" | wc -l) files, build $version"

# Compressed copies for the server to send to browsers that accept them (server/src/lib.rs
# explains why at build time): brotli at its best quality, and gzip. The files of the first load
# (all but the chunks, which the service worker fetches in the background, and with the desk's
# chunk, which the case list needs) are gzipped with zopfli: the same format, 6% smaller than
# zlib's best (420.8 -> 396.0 KB for the main module), in about 5 s; the other chunks with
# Node's zlib, as zopfli would take a minute more for all of them.
# Made after the list, so the service worker never caches them. Not of sw.js: 2 KB, and the
# file whose bytes tell browsers a new build is out, so it is always sent exactly as it is.
# shellcheck disable=SC2046
NODE_PATH="$node_modules" node -e '
const fs = require("fs");
const zlib = require("zlib");
const { gzipAsync } = require("@gfx/zopfli");
const { BROTLI_PARAM_QUALITY, BROTLI_MAX_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants;
(async () => {
  for (const file of process.argv.slice(1)) {
    const data = fs.readFileSync(file);
    const params = { [BROTLI_PARAM_QUALITY]: BROTLI_MAX_QUALITY, [BROTLI_PARAM_SIZE_HINT]: data.length };
    fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params }));
    const chunk = /\/(chunk_|split_(?!home\.))[^/]*\.wasm$/.test(file);
    const gzip = chunk ? zlib.gzipSync(data, { level: 9 }) : await gzipAsync(data, { numiterations: 15 });
    fs.writeFileSync(`${file}.gz`, gzip);
  }
})().catch((error) => {
  console.error(error);
  process.exit(1);
});' $(find . -type f ! -name sw.js \( -name "*.wasm" -o -name "*.js" -o -name "*.css" \
  -o -name "*.html" -o -name "*.webmanifest" -o -name "*.svg" \))
echo "precompressed: brotli and gzip copies of the wasm, scripts, styles and pages"
