// The pages loaded when first opened (issue 28, must-show 3): each is a chunk of the wasm
// (src/lazy.rs). Once installed, a device opens every such page for the first time offline,
// since the service worker caches a build's chunks together; and a chunk that cannot be fetched
// (the packing station's Wi-Fi) shows a message with a retry button, never a blank page or a
// panic, and the retry opens the page once the network is back.
import { expect, test } from "./fixtures";
import { expectAccessible, goTo, signIn } from "./helpers";

/** A chunk of the build: any wasm in the build's directory but the main module. */
const CHUNK = /\/app-[0-9a-f]+\/(?!kefu_bg\.wasm)[^/]+\.wasm$/;

test("installed, every page that is its own chunk opens for the first time offline", async ({ page }) => {
  // The lead's menu holds all four: the station, the knowledge base, the after-sales summary
  // and the reports, none opened before the network goes.
  const chunks: { url: string; fromWorker: boolean }[] = [];
  page.on("response", (response) => {
    if (CHUNK.test(new URL(response.url()).pathname)) {
      chunks.push({ url: response.url(), fromWorker: response.fromServiceWorker() });
    }
  });
  await signIn(page, "lead");
  // The service worker holds the whole build before the network goes.
  await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.ready;
    if (registration.active?.state !== "activated") {
      await new Promise((resolve) => registration.active!.addEventListener("statechange", resolve));
    }
  });
  // Offline, the app starts again from the worker's cache: nothing of the build is in memory.
  await page.context().setOffline(true);
  await page.reload();
  await expect(page.getByTestId("case-search")).toBeVisible();
  chunks.length = 0;

  await goTo(page, "station");
  await expect(page.getByTestId("station-scan")).toBeVisible();
  await goTo(page, "knowledge");
  await expect(page.getByTestId("knowledge-search")).toBeVisible();
  await goTo(page, "after-sales");
  await expect(page.getByTestId("week-earlier")).toBeVisible();
  await goTo(page, "reports");
  await expect(page.getByTestId("daily-send")).toBeVisible();
  // Each came from the chunks the worker cached (opened, or loaded ahead in the background by
  // src/lazy.rs's prefetch_for), none from the network, which is gone.
  expect(chunks.length).toBeGreaterThanOrEqual(4);
  expect(chunks.filter((chunk) => !chunk.fromWorker)).toEqual([]);
  await expect(page.getByTestId("chunk-failed")).toHaveCount(0);

  // And after a reload, offline, straight onto a chunk's page.
  await page.reload();
  await expect(page.getByTestId("daily-send")).toBeVisible();
});

test("a chunk that cannot be fetched shows a retry, which opens the page once the network is back", async ({
  browser,
}) => {
  // No service worker here: every chunk comes from the network, which fails for a while.
  const context = await browser.newContext({ serviceWorkers: "block" });
  const page = await context.newPage();
  let failing = true;
  let refused = 0;
  await page.route(CHUNK, async (route) => {
    if (failing) {
      refused += 1;
      await route.abort("internetdisconnected");
    } else {
      await route.continue();
    }
  });
  await page.goto("/");
  await page.getByTestId("login-username").fill("lead");
  await page.getByTestId("login-password").fill("kefu-demo-2026");
  await page.getByTestId("login-submit").click();
  // The desk (the case list and the page router) is a chunk too: signed in, it says so the
  // same way, and its retry opens it once the network is back.
  const failed = page.getByTestId("chunk-failed");
  await expect(failed).toBeVisible();
  await expect(page.getByTestId("case-search")).toHaveCount(0);
  failing = false;
  await page.getByTestId("chunk-retry").click();
  await expect(page.getByTestId("case-search")).toBeVisible();
  failing = true;

  await goTo(page, "knowledge");
  await expect(failed).toBeVisible();
  await expect(failed).toContainText("这一页没能加载");
  expect(refused).toBeGreaterThan(0);
  await expectAccessible(page);
  // Still failing: the retry says so again, the app still answers.
  await page.getByTestId("chunk-retry").click();
  await expect(failed).toBeVisible();
  await goTo(page, "cases");
  await expect(page.getByTestId("case-search")).toBeVisible();

  // Opened again, it fails again; then the network is back, and the retry opens the page.
  await goTo(page, "knowledge");
  await expect(failed).toBeVisible();
  failing = false;
  await page.getByTestId("chunk-retry").click();
  await expect(page.getByTestId("knowledge-search")).toBeVisible();
  await expect(failed).toHaveCount(0);
  await context.close();
});
