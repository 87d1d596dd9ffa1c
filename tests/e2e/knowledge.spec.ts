// The knowledge base (知识库): a team lead adds and edits the team's standard answer; an agent
// reads it (no edit offered: the server refuses team edits from agents, see the API tests) and
// keeps a personal quick phrase of their own. Both reach the server. An entry being edited keeps
// what the lead typed when a sync refreshes the list under it.
import { expect, test } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, goTo, serverRecords, signIn, pushAs, waiting, expectAccessible } from "./helpers";

test("a lead keeps the team's answers, an agent reads them and keeps personal phrases", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const title = `换货流程 ${run}`;
  await signIn(page, "lead");
  await goTo(page, "knowledge");
  await page.getByTestId("add-knowledge").click();
  await expect(page.getByTestId("scope-team")).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("knowledge-group-select").selectOption("after_sales");
  await page.getByTestId("knowledge-title-input").fill(title);
  await page.getByTestId("knowledge-body-input").fill("请在签收后 7 天内申请换货。");
  await expectAccessible(page);
  await page.getByTestId("save-knowledge").click();
  const entry = page.getByTestId("knowledge-entry").filter({ hasText: title });
  await expect(entry.getByTestId("knowledge-scope")).toHaveText("小组");
  await expect(page.getByTestId("knowledge-group").filter({ has: entry })).toContainText("售后服务问题");

  await entry.getByTestId("edit-knowledge").click();
  await page.getByTestId("knowledge-body-input").fill("请在签收后 7 天内申请换货，我们会发送退货地址。");
  await page.getByTestId("save-knowledge").click();
  await expect(entry.getByTestId("knowledge-body")).toHaveText("请在签收后 7 天内申请换货，我们会发送退货地址。");
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  // The agent reads the team's answer, may not edit it, and adds a phrase of their own.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  await signIn(agent);
  await goTo(agent, "knowledge");
  await agent.getByTestId("knowledge-search").fill(run);
  const seen = agent.getByTestId("knowledge-entry").filter({ hasText: title });
  await expect(seen.getByTestId("knowledge-body")).toHaveText("请在签收后 7 天内申请换货，我们会发送退货地址。");
  await expect(seen.getByTestId("edit-knowledge")).toHaveCount(0);
  await agent.getByTestId("add-knowledge").click();
  await expect(agent.getByTestId("scope-team")).toHaveCount(0);
  await expect(agent.getByTestId("scope-personal")).toHaveAttribute("aria-pressed", "true");
  await agent.getByTestId("form-kind-phrase").click();
  await agent.getByTestId("knowledge-group-select").selectOption("closing");
  await agent.getByTestId("knowledge-title-input").fill(`我的结束语 ${run}`);
  await agent.getByTestId("knowledge-body-input").fill("祝您购物愉快，再见！");
  await agent.getByTestId("save-knowledge").click();
  await agent.getByTestId("knowledge-kind-phrase").click();
  const mine = agent.getByTestId("knowledge-entry").filter({ hasText: `我的结束语 ${run}` });
  await expect(mine.getByTestId("knowledge-scope")).toHaveText("个人");
  await expect(mine.getByTestId("edit-knowledge")).toBeVisible();
  await expectAccessible(agent);
  await expect(waiting(agent)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await agentContext.close();

  const held = (await serverRecords(request)).filter((r) => r.record_type === "knowledge");
  const team = held.filter((r) => r.fields.title?.current.value === title);
  expect(team).toHaveLength(1);
  expect(team[0].fields.body.current.value).toBe("请在签收后 7 天内申请换货，我们会发送退货地址。");
  expect(team[0].fields.personal.current.value).toBe(false);
  expect(team[0].fields.body.current.by).toBe("lead");
  const personal = held.filter((r) => r.fields.title?.current.value === `我的结束语 ${run}`);
  expect(personal).toHaveLength(1);
  expect(personal[0].fields.personal.current.value).toBe(true);
  expect(personal[0].created?.by).toBe("demo");
});

test("an answer being edited keeps what the lead typed while a sync refreshes the list", async ({
  page,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const title = `发票说明 ${run}`;
  await signIn(page, "lead");
  await goTo(page, "knowledge");
  await page.getByTestId("add-knowledge").click();
  await page.getByTestId("knowledge-group-select").selectOption("after_sales");
  await page.getByTestId("knowledge-title-input").fill(title);
  await page.getByTestId("knowledge-body-input").fill("电子发票在签收后开具。");
  await page.getByTestId("save-knowledge").click();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  // Half-way through an edit...
  await page.getByTestId("knowledge-entry").filter({ hasText: title }).getByTestId("edit-knowledge").click();
  const typed = "电子发票在签收后 1 个工作日内开具，发到下单邮箱。";
  await page.getByTestId("knowledge-body-input").fill(typed);
  // ...another device of the team adds an answer, and the next sync brings it into the list.
  const other = `运费险说明 ${run}`;
  const pushed = await pushAs(request, "lead", [
    change(
      randomUUID(),
      {
        op: "create",
        fields: { kind: "answer", title: other, body: "退货运费由保险公司赔付。", group: "after_sales", personal: false },
      },
      "knowledge",
    ),
  ]);
  expect(pushed[0].status).toBe("applied");
  await expect(page.getByTestId("knowledge-entry").filter({ hasText: other })).toHaveCount(1, { timeout: 15_000 });
  // The form and what was typed in it are still there, and save as typed.
  await expect(page.getByTestId("knowledge-body-input")).toHaveValue(typed);
  await page.getByTestId("save-knowledge").click();
  await expect(page.getByTestId("knowledge-entry").filter({ hasText: title }).getByTestId("knowledge-body")).toHaveText(typed);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).find(
    (r) => r.record_type === "knowledge" && r.fields.title?.current.value === title,
  );
  expect(held?.fields.body?.current.value).toBe(typed);
});
