// A restore from backup loses nothing the device holds (issue 29): a case saved and
// acknowledged after the backup was taken is gone from the restored server, and the app, on
// its own, notices the new epoch in its next pull and sends it back.
import { expect, test } from "./fixtures";
import { casesTitled, DEMO_PASSWORD, goTo, notes, serverRecords, waiting } from "./helpers";
import { ownDir, ownPort, serverBin, startServer, stopServer } from "./server-process";
import { spawnSync } from "node:child_process";

/** Runs one of the server's copying commands on `dir`'s database; fails the test if it fails. */
function copying(dir: string, args: string[]) {
  const run = spawnSync(serverBin, [...args, "--database", `sqlite://${dir}/kefu.db`], { encoding: "utf8" });
  expect(run.status, `${args.join(" ")}: ${run.stdout}${run.stderr}`).toBe(0);
}

test("a case acknowledged after the backup is sent back by the app after a restore", async ({ page, playwright }, testInfo) => {
  const port = ownPort("restore", testInfo);
  const base = `http://127.0.0.1:${port}`;
  const dir = ownDir("restore", testInfo);
  const api = await playwright.request.newContext({ baseURL: base });
  let server = await startServer(port, dir);
  try {
    await page.goto(`${base}/`);
    await page.getByTestId("login-username").fill("demo");
    await page.getByTestId("login-password").fill(DEMO_PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("case-list")).toBeVisible({ timeout: 20_000 });

    copying(dir, ["backup", "--to", `${dir}/backup`]);
    const title = `备份之后登记 ${Date.now()}`;
    await goTo(page, "new-case");
    await page.getByTestId("case-title").fill(title);
    await page.getByTestId("save-case").click();
    await page.getByTestId("note-input").fill("备份之后写下的记录");
    await page.getByTestId("add-note").click();
    await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
    expect(casesTitled(await serverRecords(api), title)).toHaveLength(1);

    await stopServer(server);
    copying(dir, ["restore", "--from", `${dir}/backup`]);
    server = await startServer(port, dir);
    expect(casesTitled(await serverRecords(api), title), "the backup lacks the case").toHaveLength(0);

    // Nothing waits in the outbox: the case comes back only because the app held it.
    await expect
      .poll(async () => casesTitled(await serverRecords(api), title).length, { timeout: 45_000 })
      .toBe(1);
    const [stored] = casesTitled(await serverRecords(api), title);
    expect(notes(stored)).toEqual([{ body: "备份之后写下的记录", author: "demo" }]);
    expect(stored.created?.by).toBe("demo");
    // And the app shows the restored server's copy, the case in it once.
    await page.getByTestId("nav-cases").click();
    await page.getByTestId("case-search").fill(title);
    await expect(page.getByTestId("case-row").filter({ hasText: title })).toHaveCount(1);
  } finally {
    await stopServer(server);
    await api.dispose();
  }
});
