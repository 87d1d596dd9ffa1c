// QA reviews (issue 27, must-show 2, its second half): QA picks the agent's case with a
// banned-phrase incident, is told which item is still unmarked, then scores it on the policy's
// score sheet; the agent sees the review on their own QA page and on the case, and replies once;
// a colleague of the same team sees the case's note but neither the review nor the incident.
import { expect, type Browser, type Page } from "./fixtures";
import { test } from "./fixtures";
import { caseOfOwn, expectAccessible, goTo, noteChange, openCase, pushAs, serverRecords, signIn, waiting } from "./helpers";

async function device(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await signIn(page, username);
  return page;
}

test("QA scores a case on the score sheet; the agent reads and replies; a colleague sees neither", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(120_000);
  const title = `质检 ${testInfo.project.name}-${Date.now()}`;
  const id = await caseOfOwn(request, title);
  const outcomes = await pushAs(request, "demo", [noteChange(id, "这个我不知道，你去问快递吧")]);
  expect(outcomes[0].status).toBe("applied");

  await signIn(page, "qa");
  await goTo(page, "qa");
  await page.getByTestId("qa-filter-agent").selectOption("demo");
  await page.getByTestId("qa-filter-incidents").check();
  const picked = page.getByTestId("qa-case").filter({ hasText: title });
  await expect(picked).toBeVisible();
  await expectAccessible(page);
  await picked.getByRole("link").click();

  const form = page.getByTestId("qa-form");
  await expect(form.getByTestId("qa-agent")).toHaveValue("demo");
  const items = form.getByTestId("qa-item");
  await expect(items).toHaveCount(6);
  for (let i = 0; i < 6; i++) {
    const item = items.nth(i);
    if ((await item.getAttribute("data-item")) === "banned_phrases") {
      await item.getByTestId("qa-mark-2").click();
      await item.getByTestId("qa-item-comment").fill("用了“我不知道”");
    } else if ((await item.getAttribute("data-item")) !== "closing") {
      await item.getByTestId("qa-mark-4").click();
    }
  }
  // One item left unmarked: refused on the device, naming it.
  await form.getByTestId("qa-save").click();
  await expect(page.getByTestId("qa-error")).toContainText("结束语与关键信息复述");
  await form.locator('[data-item="closing"]').getByTestId("qa-mark-4").click();
  await form.getByTestId("qa-comment-input").fill("整体耐心，注意禁语");
  await form.getByTestId("qa-save").click();
  // (15+25+20+10+15) × 4 + 15 × 2 = 370 of 500.
  await expect(page.getByTestId("qa-review").getByTestId("qa-score")).toHaveText("74 / 100");
  await expectAccessible(page);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 20_000 });

  // The agent reads it on their own QA page and on the case, and replies once.
  const agent = await device(browser, "demo");
  await goTo(agent, "qa");
  await expect(agent.getByTestId("qa-page").locator("h1")).toHaveText("我的质检");
  await expect(agent.getByTestId("qa-review-row").filter({ hasText: title })).toContainText("74 / 100");
  await expectAccessible(agent);
  await openCase(agent, title);
  await expect(agent.getByTestId("qa-review").getByTestId("qa-comment")).toHaveText("整体耐心，注意禁语");
  await expect(agent.getByTestId("qa-form")).toHaveCount(0);
  await agent.getByTestId("qa-reply-input").fill("收到，以后注意用语");
  await agent.getByTestId("qa-reply-send").click();
  await expect(agent.getByTestId("qa-reply")).toContainText("收到，以后注意用语");
  await expect(agent.getByTestId("qa-reply-input")).toHaveCount(0);
  await expect(waiting(agent)).toHaveAttribute("data-count", "0", { timeout: 20_000 });

  // A colleague of the same team: the case and its note, nothing of the review or the incident.
  const colleague = await device(browser, "agent2");
  await openCase(colleague, title);
  await expect(colleague.getByTestId("note")).toHaveCount(1);
  await expect(colleague.getByTestId("qa-panel")).toHaveCount(0);
  await expect(colleague.getByTestId("timeline-incident")).toHaveCount(0);
  await goTo(colleague, "qa");
  await expect(colleague.getByTestId("qa-review-row").filter({ hasText: title })).toHaveCount(0);

  const stored = (await serverRecords(request)).find((r) => r.id === id)!;
  const review = stored.events.find((e) => e.kind === "qa_review")!;
  expect([review.by, (review.data as { agent?: string }).agent]).toEqual(["qa", "demo"]);
  const replies = stored.events.filter((e) => e.kind === "qa_reply").map((e) => e.by);
  expect(replies).toEqual(["demo"]);
});
