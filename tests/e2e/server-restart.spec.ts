// A different outage from a dropped network: the server process dies. The app must still
// start from the service worker, keep every write in the outbox, and deliver them by itself
// (with backoff) once the server is back on the same database.
import { expect, test } from "./fixtures";
import { casesTitled, goTo, notes } from "./helpers";
import { ownDir, ownPort, startServer, stopServer } from "./server-process";

test("writes made while the server is down reach it after it restarts", async ({ page, request }, testInfo) => {
  const port = ownPort("server-restart", testInfo);
  const base = `http://127.0.0.1:${port}`;
  const dir = ownDir("server-restart", testInfo);
  let server = await startServer(port, dir);
  try {
    await page.goto(`${base}/`);
    await page.getByTestId("login-username").fill("demo");
    await page.getByTestId("login-password").fill("kefu-demo-2026");
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("case-list")).toBeVisible();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);

    await stopServer(server);
    const title = `服务器宕机时登记 ${Date.now()}`;
    await goTo(page, "new-case");
    await page.getByTestId("case-title").fill(title);
    await page.getByTestId("save-case").click();
    await page.getByTestId("note-input").fill("服务器重启前写下的记录");
    await page.getByTestId("add-note").click();
    await expect(page.getByTestId("waiting-count")).toHaveAttribute("data-count", "2");
    await expect(page.getByTestId("connectivity")).toHaveAttribute("data-state", "unreachable");

    // With the server gone the shell still loads, from the service worker's cache.
    await page.reload();
    await expect(page.getByTestId("case-title")).toHaveText(title);

    server = await startServer(port, dir);
    // No "online" event fires for a server restart: the loop's backoff must find it.
    await expect(page.getByTestId("waiting-count")).toHaveAttribute("data-count", "0", { timeout: 30_000 });

    const login = await request.post(`${base}/api/login`, {
      data: { username: "demo", password: "kefu-demo-2026" },
    });
    const { token } = await login.json();
    const pulled = await (
      await request.get(`${base}/api/sync/pull`, {
        headers: { Authorization: `Bearer ${token}`, "kefu-protocol": "2" },
      })
    ).json();
    const stored = casesTitled(pulled.records, title);
    expect(stored).toHaveLength(1);
    expect(notes(stored[0])).toEqual([{ body: "服务器重启前写下的记录", author: "demo" }]);
  } finally {
    await stopServer(server);
  }
});
