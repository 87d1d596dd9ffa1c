#!/bin/sh
# The last step of scripts/build-client: writes the precache list and a content-derived version
# into the built directory's sw.js (its argument), after wasm-opt, so the version covers the
# final bytes. Every chunk of a build is in the list: a version is cached whole or not at all.
set -eu
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
# explains why at build time): brotli at its best quality and gzip, with Node's zlib (Node is
# already needed for wasm-opt). Made after the list, so the service worker never caches them.
# Not of sw.js: 2 KB, and the file whose bytes tell browsers a new build is out, so it is
# always sent exactly as it is on disk.
# shellcheck disable=SC2046
node -e '
const fs = require("fs");
const zlib = require("zlib");
const { BROTLI_PARAM_QUALITY, BROTLI_MAX_QUALITY, BROTLI_PARAM_SIZE_HINT } = zlib.constants;
for (const file of process.argv.slice(1)) {
  const data = fs.readFileSync(file);
  const params = { [BROTLI_PARAM_QUALITY]: BROTLI_MAX_QUALITY, [BROTLI_PARAM_SIZE_HINT]: data.length };
  fs.writeFileSync(`${file}.br`, zlib.brotliCompressSync(data, { params }));
  fs.writeFileSync(`${file}.gz`, zlib.gzipSync(data, { level: 9 }));
}' $(find . -type f ! -name sw.js \( -name "*.wasm" -o -name "*.js" -o -name "*.css" \
  -o -name "*.html" -o -name "*.webmanifest" -o -name "*.svg" \))
echo "precompressed: brotli and gzip copies of the wasm, scripts, styles and pages"
