// Lighthouse (the npm package, its default mobile preset: a mid-range phone on simulated slow
// 4G, 1.6 Mbit/s and 150 ms, with a 4× slower CPU) on the sign-in page of a fresh browser, and
// on the case list after signing in, run by scripts/bench against the release server it
// started. Prints performance, accessibility and the largest contentful paint of each beside
// the targets (performance ≥ 90, accessibility 100, LCP ≤ 2.5 s).
// Playwright starts Debian's Chromium with a debugging port and signs in; Lighthouse drives the
// same browser through that port, keeping the signed-in storage for the second run.
import { chromium } from "@playwright/test";
import lighthouse from "lighthouse";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const BASE = process.env.KEFU_BENCH_URL ?? "http://127.0.0.1:8097";
const PORT = Number(process.env.KEFU_LIGHTHOUSE_PORT ?? 9337);
const USER = "demo";
const PASSWORD = "kefu-demo-2026";

const profile = mkdtempSync(join(tmpdir(), "kefu-lighthouse-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    `--remote-debugging-port=${PORT}`,
  ],
});

/** One Lighthouse run; returns whether it met every target. */
async function audit(what, url, keepStorage) {
  const { lhr } = await lighthouse(url, {
    port: PORT,
    output: "json",
    logLevel: "error",
    onlyCategories: ["performance", "accessibility"],
    disableStorageReset: keepStorage,
  });
  const performance = Math.round(lhr.categories.performance.score * 100);
  const accessibility = Math.round(lhr.categories.accessibility.score * 100);
  const lcp = lhr.audits["largest-contentful-paint"].numericValue / 1000;
  const met = performance >= 90 && accessibility === 100 && lcp <= 2.5;
  console.log(
    `lighthouse, ${what}: performance ${performance} (target ≥ 90), accessibility ${accessibility} ` +
      `(target 100), LCP ${lcp.toFixed(2)} s (target ≤ 2.5 s), ` +
      `TBT ${Math.round(lhr.audits["total-blocking-time"].numericValue)} ms, ` +
      `FCP ${(lhr.audits["first-contentful-paint"].numericValue / 1000).toFixed(2)} s: ${met ? "met" : "MISSED"}`,
  );
  // Where the blocking time comes from: the longest main-thread tasks, when they started and
  // whose script they ran (Lighthouse's simulated figures, as its TBT counts them).
  const longTasks = (lhr.audits["long-tasks"]?.details?.items ?? [])
    .slice()
    .sort((a, b) => b.duration - a.duration)
    .slice(0, 5)
    .map((task) => `${Math.round(task.duration)} ms at ${Math.round(task.startTime)} ms (${String(task.url).split("/").pop() || "page"})`);
  if (longTasks.length) console.log(`  longest tasks: ${longTasks.join(", ")}`);
  const lcpElement = lhr.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node;
  if (lcpElement) console.log(`  largest contentful paint: ${lcpElement.snippet}`);
  for (const result of Object.values(lhr.audits)) {
    if (result.score === 0 && lhr.categories.accessibility.auditRefs.some((ref) => ref.id === result.id)) {
      console.log(`  accessibility: ${result.id}: ${result.title}`);
    }
  }
  return met;
}

let met = await audit("sign-in page, fresh browser", `${BASE}/`, false);

const page = context.pages()[0] ?? (await context.newPage());
await page.goto(`${BASE}/`);
await page.getByTestId("login-username").fill(USER);
await page.getByTestId("login-password").fill(PASSWORD);
await page.getByTestId("login-submit").click();
await page.getByTestId("case-search").waitFor();
met = (await audit("case list, signed in", `${BASE}/cases`, true)) && met;

await context.close();
rmSync(profile, { recursive: true, force: true });
if (!met) console.log("lighthouse: a target was missed");
