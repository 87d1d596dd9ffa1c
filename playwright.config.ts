// Playwright drives the built client (dist/, from scripts/build-client) served by the real
// release server (the one the benchmarks use) on a fresh SQLite database with the demo data,
// in Debian's Chromium (no browser download). Two workers share that server: every test works
// on data of its own (cases it creates, found by a unique title or order number), and the few
// that restart a server, change dist/ or count the whole team's figures start their own on the
// ports just above KEFU_E2E_PORT (tests/e2e/server-process.ts).
import { defineConfig } from "@playwright/test";
import { serverBin, sharedPort as port } from "./tests/e2e/server-process";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "target/playwright",
  timeout: 90_000,
  // The machine CI runs on has 2 cores; KEFU_E2E_WORKERS overrides.
  workers: Number(process.env.KEFU_E2E_WORKERS ?? 2),
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    serviceWorkers: "allow",
    launchOptions: {
      executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  projects: [
    { name: "desktop", use: { viewport: { width: 1280, height: 800 } } },
    {
      name: "tablet",
      use: { viewport: { width: 820, height: 1180 }, hasTouch: true, isMobile: true },
    },
  ],
  webServer: {
    command:
      `rm -rf target/e2e && mkdir -p target/e2e && ${serverBin} ` +
      `--database sqlite://target/e2e/kefu.db --listen 127.0.0.1:${port} --dist dist --demo`,
    url: `http://127.0.0.1:${port}/api/health`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
