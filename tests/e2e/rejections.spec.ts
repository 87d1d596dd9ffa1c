// A change the server refuses (here: one a newer app would make, naming a field this server
// does not know) is shown with the server's reason, does not hold back the changes after it,
// and giving it up leaves the case exactly as the server holds it.
import { expect, test } from "./fixtures";
import { casesTitled, goTo, notes, serverRecords, signIn, waiting, expectAccessible } from "./helpers";

test("a rejected change shows its reason, later changes still go, and discarding rolls back", async ({
  page,
  context,
  request,
}) => {
  const run = Date.now();
  const title = `会被拒绝的修改 ${run}`;
  await signIn(page);
  await goTo(page, "new-case");
  await page.getByTestId("case-title").fill(title);
  await page.getByTestId("save-case").click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 10_000 });

  await context.setOffline(true);
  await page.getByTestId("edit-case").click();
  await page.getByTestId("edit-title").fill(`改过的标题 ${run}`);
  await page.getByTestId("save-edits").click();
  await expect(page.getByTestId("case-title")).toHaveText(`改过的标题 ${run}`);
  await page.getByTestId("note-input").fill(`之后的记录 ${run}`);
  await page.getByTestId("add-note").click();
  await expect(waiting(page)).toHaveAttribute("data-count", "2");

  // The title edit reaches the server as a newer app's would: with a field it does not know.
  await page.route("**/api/sync/push", async (route) => {
    const body = route.request().postDataJSON();
    for (const change of body.changes) {
      if (change.op === "set" && change.field === "title") change.field = "priority";
    }
    await route.continue({ postData: JSON.stringify(body) });
  });
  await context.setOffline(false);

  await expect(page.getByTestId("rejected-count")).toBeVisible({ timeout: 10_000 });
  await expect(waiting(page)).toHaveAttribute("data-count", "0");
  // The rejected edit no longer shows on the case: the server never took it.
  await expect(page.getByTestId("case-title")).toHaveText(title);
  let held = casesTitled(await serverRecords(request), title);
  expect(held).toHaveLength(1);
  expect(notes(held[0]).map((note) => note.body)).toEqual([`之后的记录 ${run}`]);

  await goTo(page, "outbox");
  const rejected = page.getByTestId("outbox-entry").filter({ has: page.getByTestId("rejection") });
  await expect(rejected).toHaveCount(1);
  await expect(rejected.getByTestId("rejection")).toContainText("没有“priority”这一项");
  await expectAccessible(page);
  await rejected.getByTestId("discard").click();
  await expect(page.getByTestId("outbox-entry")).toHaveCount(0);
  await expect(page.getByTestId("rejected-count")).toHaveCount(0);

  await page.goto(`/cases/${held[0].id}`);
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(page.getByTestId("timeline")).toContainText(`之后的记录 ${run}`);
  held = casesTitled(await serverRecords(request), title);
  expect(held).toHaveLength(1);
});
