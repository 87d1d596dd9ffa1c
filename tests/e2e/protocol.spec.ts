// A server that no longer speaks this build's sync protocol answers "update the app": the
// device says so, keeps every pending change, and sends them once the server serves it again.
import { expect, test } from "./fixtures";
import { allNotes, caseOfOwn, expectAccessible, openCase, serverRecords, signIn, waiting } from "./helpers";

test("an 'update the app' answer is shown and the outbox is kept", async ({ page, request }, testInfo) => {
  const title = `协议升级 ${testInfo.project.name}-${Date.now()}`;
  await caseOfOwn(request, title);
  await signIn(page);
  await openCase(page, title);

  // The real server's answer to an old protocol version (see the server's router tests).
  const updateApp = {
    status: 426,
    contentType: "application/json",
    body: JSON.stringify({
      code: "update_app",
      message: { zh: "应用版本与服务器不一致，请更新应用（重新加载页面）。", en: "Please update the app." },
    }),
  };
  await page.route("**/api/sync/**", (route) => route.fulfill(updateApp));
  const body = `协议升级前写的记录 ${Date.now()}`;
  await page.getByTestId("note-input").fill(body);
  await page.getByTestId("add-note").click();

  const banner = page.getByTestId("update-app");
  await expect(banner).toBeVisible({ timeout: 10_000 });
  await expect(banner).toContainText("请更新应用");
  await expect(waiting(page)).toHaveAttribute("data-count", "1");
  await expectAccessible(page);
  expect(allNotes(await serverRecords(request)).filter((note) => note.body === body)).toHaveLength(0);

  // After the update (here: the server serving this protocol again, and a reload), it goes.
  await page.unroute("**/api/sync/**");
  await page.reload();
  await expect(banner).toBeHidden();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  expect(allNotes(await serverRecords(request)).filter((note) => note.body === body)).toEqual([
    { body, author: "demo" },
  ]);
});
