# Shared by scripts/run and scripts/test: installs what a fresh machine lacks, skips what is
# present. Sourced, not run.

# The splitter of the client's wasm (scripts/build-client); its output must match the runtime
# of wasm_split_helpers in Cargo.lock (Leptos's), so it is pinned.
WASM_SPLIT_CLI_VERSION=0.2.4

KEFU_STARTED=${KEFU_STARTED:-$(date +%s)}
# Each finished step as "<seconds>\t<heading>", for say_times.
KEFU_STEPS=()
KEFU_STEP=
KEFU_STEP_STARTED=

# A step heading with the seconds since the script started, so slow steps show in CI logs.
# It also ends the step before it, whose time say_times prints.
say() {
  local now
  now=$(date +%s)
  if [ -n "$KEFU_STEP" ]; then KEFU_STEPS+=("$((now - KEFU_STEP_STARTED))"$'\t'"$KEFU_STEP"); fi
  KEFU_STEP=$*
  KEFU_STEP_STARTED=$now
  printf '\n\033[1;31m==>\033[0m \033[1m%s\033[0m  [+%ss]\n' "$*" "$((now - KEFU_STARTED))"
}

# Ends the last step, prints a heading as say does (not a step itself), then every step's
# time and the total, one a line; the last line has them all ("steps: 12s format, 95s lints
# (native: core, server), ...; total 1500s").
say_times() {
  local now step line=
  say "$*"
  KEFU_STEP=
  now=$(date +%s)
  printf 'time per step:\n'
  for step in "${KEFU_STEPS[@]}"; do
    printf '%6ss  %s\n' "${step%%$'\t'*}" "${step#*$'\t'}"
  done
  printf '%6ss  total (%d min %02d s)\n' "$((now - KEFU_STARTED))" "$(((now - KEFU_STARTED) / 60))" "$(((now - KEFU_STARTED) % 60))"
  for step in "${KEFU_STEPS[@]}"; do line+="${line:+, }${step%%$'\t'*}s ${step#*$'\t'}"; done
  printf 'steps: %s; total %ss\n' "$line" "$((now - KEFU_STARTED))"
  # CI's disk once filled up mid-run, so the build's footprint is printed beside the free space.
  printf 'disk: target/ %s, free %s\n' "$(du -sh target | cut -f1)" "$(df -h --output=avail . | tail -1 | tr -d ' ')"
}

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
  # The client's release build compiles the standard library from these sources
  # (scripts/build-client): the same toolchain's, so they match its compiler exactly.
  rustup component list --installed | grep -qx rust-src ||
    rustup component add rust-src
}

ensure_wasm_split() {
  # The CLI has no --version; cargo knows what it installed.
  if cargo install --list | grep -q "^wasm_split_cli_support v$WASM_SPLIT_CLI_VERSION:" &&
    command -v wasm-split-cli >/dev/null; then
    return
  fi
  say "installing wasm-split-cli $WASM_SPLIT_CLI_VERSION (about a minute, once)"
  cargo install --locked wasm_split_cli_support --version "$WASM_SPLIT_CLI_VERSION" --features build-binary
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

# npm's binaryen (wasm-opt; Debian's is too old), zopfli (the first load's gzip copies),
# Playwright Test, axe-core and Lighthouse, as locked in package-lock.json; never a browser
# download (Debian's Chromium is used).
ensure_node_tools() {
  if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] ||
    [ ! -d node_modules/@axe-core/playwright ] || [ ! -d node_modules/lighthouse ] ||
    [ ! -d node_modules/@gfx/zopfli ]; then
    say "installing node tools (binaryen, zopfli, @playwright/test, @axe-core/playwright, lighthouse)"
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
  ensure_wasm_split
  ensure_wasm_bindgen
  ensure_node_tools
}

# Runs a command in the background with its output in a log (`side_by_side NAME LOG CMD...`);
# `wait_side_by_side` waits for it, prints the log's end, or the whole log and fails if it did.
side_by_side() {
  SIDE_NAME=$1
  SIDE_LOG=$2
  shift 2
  mkdir -p "$(dirname "$SIDE_LOG")"
  "$@" >"$SIDE_LOG" 2>&1 &
  SIDE_PID=$!
}

wait_side_by_side() {
  # Not `say`: the wait is part of the step that started it.
  if wait "$SIDE_PID"; then
    printf '%s: done (log: %s)\n' "$SIDE_NAME" "$SIDE_LOG"
    tail -n 3 "$SIDE_LOG"
  else
    cat "$SIDE_LOG"
    printf '%s failed (log above: %s)\n' "$SIDE_NAME" "$SIDE_LOG"
    return 1
  fi
}

# The release build that the end-to-end tests and the benchmarks share, made once: the server
# (target/release/kefu-server) and both benchmarks, in one cargo invocation. `cargo bench`
# builds in the bench profile, which inherits release with the same settings and writes to
# target/release, but it resolves features over the packages it names and their
# dev-dependencies: `cargo build --release -p kefu-server` alone resolves fewer, so a bench
# after it compiled tokio, hyper, axum, sqlx, tower-http and the server again (the benches'
# tokio "process", reqwest's hyper client), and the core's bench alone compiled serde, chrono,
# uuid and the core again (without the server's features). So every release cargo command
# here names the same packages, RELEASE_PACKAGES, with dev-dependencies: one feature set,
# every artifact built once.
RELEASE_PACKAGES=(-p kefu-core -p kefu-server)

build_release() {
  cargo bench --no-run "${RELEASE_PACKAGES[@]}" --bench banned_phrases --bench sync_throughput
}

# Runs one benchmark from that build (`run_bench banned_phrases`), with cargo's own arguments
# after the name.
run_bench() {
  local name=$1
  shift
  cargo bench "$@" "${RELEASE_PACKAGES[@]}" --bench "$name"
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
