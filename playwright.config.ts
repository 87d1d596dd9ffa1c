// Playwright drives the built client (dist/, from `trunk build --release`) served by the real
// server on a fresh SQLite database, in Debian's Chromium (no browser download).
import { defineConfig } from "@playwright/test";

const port = Number(process.env.KEFU_E2E_PORT ?? 8090);
const serverBin = process.env.KEFU_SERVER_BIN ?? "target/debug/kefu-server";

export default defineConfig({
  testDir: "tests/e2e",
  outputDir: "target/playwright",
  timeout: 90_000,
  workers: 1,
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
