# Shared by scripts/run and scripts/test: installs what a fresh machine lacks, skips what is
# present. Sourced, not run.

TRUNK_VERSION=0.21.14

KEFU_STARTED=${KEFU_STARTED:-$(date +%s)}

# A step heading with the seconds since the script started, so slow steps show in CI logs.
say() { printf '\n\033[1;31m==>\033[0m \033[1m%s\033[0m  [+%ss]\n' "$*" "$(($(date +%s) - KEFU_STARTED))"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

# wasm-bindgen's CLI must be exactly the library version Cargo.lock resolved.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown ||
    rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if trunk --version 2>/dev/null | grep -q " $TRUNK_VERSION"; then return; fi
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
}

ensure_wasm_bindgen() {
  local version
  version=$(wasm_bindgen_version)
  if wasm-bindgen --version 2>/dev/null | grep -q " $version" &&
    command -v wasm-bindgen-test-runner >/dev/null; then
    return
  fi
  say "installing wasm-bindgen-cli $version"
  # --locked can name a dependency version the registry mirror lacks; then resolve afresh.
  cargo install --locked wasm-bindgen-cli --version "$version" ||
    cargo install wasm-bindgen-cli --version "$version"
}

# npm's binaryen (wasm-opt; Debian's is too old), Playwright Test and axe-core, as locked in
# package-lock.json; never a browser download (Debian's Chromium is used).
ensure_node_tools() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] ||
    [ ! -d node_modules/@axe-core/playwright ]; then
    say "installing node tools (binaryen, @playwright/test, @axe-core/playwright)"
    PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund
  fi
  export PATH="$PWD/node_modules/.bin:$PATH"
}

ensure_chromium() {
  if command -v chromium >/dev/null && command -v chromedriver >/dev/null &&
    fc-list 2>/dev/null | grep -qi wenquanyi; then
    return
  fi
  say "installing Chromium, ChromeDriver and a CJK font (for screenshots)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    chromium chromium-driver fonts-wqy-microhei >/dev/null
}

ensure_build_tools() {
  ensure_wasm_target
  ensure_trunk
  ensure_wasm_bindgen
  ensure_node_tools
}

# Debian's PostgreSQL server binaries (initdb, pg_ctl), newest installed version.
postgres_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

ensure_postgres() {
  if [ -n "$(postgres_bin)" ] && [ -x "$(postgres_bin)/initdb" ]; then return; fi
  say "installing PostgreSQL (Debian's postgresql)"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

# Runs a command as the postgres user: initdb refuses to run as root.
as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi
}

# Starts a throwaway PostgreSQL on a loopback port, in a temporary directory removed on exit,
# and exports KEFU_TEST_POSTGRES_URL for the tests that run on both backends.
start_test_postgres() {
  local bin dir port
  bin=$(postgres_bin)
  port=${KEFU_TEST_POSTGRES_PORT:-55432}
  dir=$(mktemp -d /tmp/kefu-postgres.XXXXXX)
  chmod 755 "$dir"
  chown postgres "$dir" 2>/dev/null || as_root chown postgres "$dir"
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres -A trust --no-sync >/dev/null
  # Durability is not what these tests measure: fsync off keeps them fast.
  as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w start \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" >/dev/null
  KEFU_TEST_POSTGRES_DIR=$dir
  KEFU_TEST_POSTGRES_BIN=$bin
  trap stop_test_postgres EXIT
  export KEFU_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
  export KEFU_REQUIRE_POSTGRES=1
}

stop_test_postgres() {
  as_postgres "$KEFU_TEST_POSTGRES_BIN/pg_ctl" -D "$KEFU_TEST_POSTGRES_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$KEFU_TEST_POSTGRES_DIR"
}
