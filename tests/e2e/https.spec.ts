// The app over HTTPS on the shop's network, with a certificate `kefu-server tls init` makes: a
// LAN address is a secure context only over HTTPS, so this is what gives a packing-station
// tablet its offline app. The browser trusts the test's shop authority (by its key, as a
// tablet that installed /shop-ca.crt would), signs in, installs the service worker and reloads
// offline.
import { chromium } from "@playwright/test";
import { expect, test, watchForCspViolations } from "./fixtures";
import { spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { DEMO_PASSWORD } from "./helpers";
import { ownDir, ownPort, serverBin, startServer, stopServer } from "./server-process";

test("the app installs and reloads offline over HTTPS with the shop's certificate", async ({}, testInfo) => {
  const port = ownPort("https", testInfo);
  const dir = ownDir("https", testInfo);
  const made = spawnSync(serverBin, ["tls", "init", "--dir", `${dir}/tls`, "--name", "127.0.0.1"]);
  expect(made.status, made.stderr.toString()).toBe(0);
  const authority = readFileSync(`${dir}/tls/shop-ca.crt`, "utf8");
  const spki = createHash("sha256")
    .update(new X509Certificate(authority).publicKey.export({ type: "spki", format: "der" }))
    .digest("base64");
  const server = await startServer(port, dir, "dist", true, [
    "--tls-cert",
    `${dir}/tls/server.crt`,
    "--tls-key",
    `${dir}/tls/server.key`,
  ]);
  const options = testInfo.project.use.launchOptions ?? {};
  const browser = await chromium.launch({
    ...options,
    args: [...(options.args ?? []), `--ignore-certificate-errors-spki-list=${spki}`],
  });
  try {
    const context = await browser.newContext({ ...testInfo.project.use, serviceWorkers: "allow" });
    // A browser of this test's own, which the fixture's guard does not see: watched here.
    const blocked: string[] = [];
    await watchForCspViolations(context, blocked);
    const page = await context.newPage();
    const base = `https://127.0.0.1:${port}`;
    const first = await page.goto(`${base}/`);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    // Over HTTPS the browser is told to keep to it (issue 29).
    expect(first?.headers()["strict-transport-security"]).toBe("max-age=31536000");
    // The authority is offered for tablets to install.
    const offered = await page.evaluate(async () => {
      const answer = await fetch("/shop-ca.crt");
      return { type: answer.headers.get("content-type"), text: await answer.text() };
    });
    expect(offered).toEqual({ type: "application/x-x509-ca-cert", text: authority });
    await page.getByTestId("login-username").fill("demo");
    await page.getByTestId("login-password").fill(DEMO_PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("case-list")).toBeVisible();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
    await expect(page.getByTestId("case-row").first()).toBeVisible();

    await context.setOffline(true);
    await page.reload();
    await expect(page.getByTestId("case-list")).toBeVisible();
    await expect(page.getByTestId("connectivity")).toHaveAttribute("data-state", "offline");
    await expect(page.getByTestId("case-row").first()).toBeVisible();
    expect(blocked, "blocked by the Content-Security-Policy").toEqual([]);
  } finally {
    await browser.close();
    await stopServer(server);
  }
});
