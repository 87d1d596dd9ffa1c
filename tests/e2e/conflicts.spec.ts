// Two agents edit the same case while both are offline. Coming back online, neither loses
// anything: different fields both apply, both notes arrive, and the title both changed shows
// "changed elsewhere" with both values until one of them chooses, for everyone.
import { expect, test, type Page } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, expectAccessible, notes, pushAs, serverRecords, signIn, waiting } from "./helpers";

async function editCase(page: Page, fill: (page: Page) => Promise<void>) {
  await page.getByTestId("edit-case").click();
  await fill(page);
  await page.getByTestId("save-edits").click();
  await expect(page.getByTestId("save-edits")).toBeHidden();
}

async function addNote(page: Page, body: string) {
  await page.getByTestId("note-input").fill(body);
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline")).toContainText(body);
}

test("concurrent offline edits all survive and the title conflict is resolved once for all", async ({
  browser,
  baseURL,
  request,
}) => {
  const run = Date.now();
  const caseId = randomUUID();
  const title = `两人同时处理 ${run}`;
  const created = await pushAs(request, "demo", [
    change(caseId, {
      op: "create",
      fields: {
        kind: "complaint",
        title,
        customer_name: "韩梅梅",
        customer_phone: "13700003333",
        order_number: null,
        status: "open",
      },
    }),
  ]);
  expect(created[0].status).toBe("applied");

  const agents: Page[] = [];
  for (const username of ["demo", "lead"]) {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await signIn(page, username);
    await page.goto(`/cases/${caseId}`);
    await expect(page.getByTestId("case-title")).toHaveText(title);
    agents.push(page);
  }
  const [demo, lead] = agents;
  for (const page of agents) await page.context().setOffline(true);

  await editCase(demo, (page) => page.getByTestId("edit-status").selectOption("resolved"));
  await editCase(lead, (page) => page.getByTestId("edit-customer-phone").fill("13911112222"));
  await addNote(demo, `demo 的记录 ${run}`);
  await addNote(lead, `lead 的记录 ${run}`);
  await editCase(demo, (page) => page.getByTestId("edit-title").fill(`demo 的标题 ${run}`));
  await editCase(lead, (page) => page.getByTestId("edit-title").fill(`lead 的标题 ${run}`));
  await expect(demo.getByTestId("case-title")).toHaveText(`demo 的标题 ${run}`);

  for (const page of agents) {
    await page.context().setOffline(false);
    await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  }

  for (const page of agents) {
    // Each device pulls the other's changes within a polling round or two.
    const conflict = page.getByTestId("conflict-title");
    await expect(conflict).toBeVisible({ timeout: 20_000 });
    await expect(conflict).toContainText(`demo 的标题 ${run}`);
    await expect(conflict).toContainText(`lead 的标题 ${run}`);
    await expect(conflict).toContainText("demo");
    await expect(conflict).toContainText("lead");
    await expect(page.getByTestId("timeline")).toContainText(`demo 的记录 ${run}`);
    await expect(page.getByTestId("timeline")).toContainText(`lead 的记录 ${run}`);
    await expect(page.getByTestId("case-customer-phone")).toHaveText("13911112222");
    await expect(page.getByTestId("case-status")).toHaveText("已解决");
  }
  await expectAccessible(demo);

  // The team lead keeps the agent's title; both devices stop showing the conflict.
  await lead
    .getByTestId("conflict-title")
    .getByRole("listitem")
    .filter({ hasText: `demo 的标题 ${run}` })
    .getByTestId("choose-title")
    .click();
  for (const page of agents) {
    await expect(page.getByTestId("conflict-title")).toBeHidden({ timeout: 20_000 });
    await expect(page.getByTestId("case-title")).toHaveText(`demo 的标题 ${run}`);
  }

  const held = (await serverRecords(request)).find((record) => record.id === caseId)!;
  expect(held.fields.title.current.value).toBe(`demo 的标题 ${run}`);
  expect(held.fields.title.conflicts ?? []).toEqual([]);
  expect(held.fields.status.current.value).toBe("resolved");
  expect(held.fields.customer_phone.current.value).toBe("13911112222");
  expect(notes(held).map((note) => note.author).sort()).toEqual(["demo", "lead"]);
  expect(held.created!.by).toBe("demo");
  for (const page of agents) await page.context().close();
});
