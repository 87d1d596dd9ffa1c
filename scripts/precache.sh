#!/bin/sh
# Trunk post_build hook: writes the precache list and a content-derived version into sw.js.
# Runs in Trunk's staging directory after wasm-opt, so the version covers the final bytes.
set -eu
cd "${TRUNK_STAGING_DIR:?run as a Trunk hook}"
files=$(find . -type f ! -name sw.js | sed 's|^\./||' | LC_ALL=C sort)
version=$(for file in $files; do sha256sum "$file"; done | sha256sum | cut -c1-16)
list='"/"'
for file in $files; do
  list="$list, \"/$file\""
done
sed -i "s|/\* KEFU_PRECACHE_LIST \*/|$list|; s|__KEFU_BUILD_VERSION__|$version|" sw.js
echo "precache: $(echo "$files" | wc -l) files, build $version"
