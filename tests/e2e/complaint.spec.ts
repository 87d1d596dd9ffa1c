// The scripted complaint (seed 000 §6 客服投诉受理流程), followed live on a bad connection: started
// from the inquiry log's customer, the steps one at a time, offline, a suggested phrase inserted with one tap, a banned phrase caught
// as it is typed, a step refused without its required fields, a reload offline that resumes
// at the step reached, the complaint form printed alone; online, the server holds every step,
// and another device of the same agent shows the complaint at the step reached.
import { expect, test, type Page } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, goTo, openCase, serverRecords, signIn, pushAs, waiting, expectAccessible } from "./helpers";

async function choose(page: Page, field: string, value: string) {
  await page.getByTestId(`script-field-${field}`).selectOption(value);
}

async function completeStep(page: Page, step: string, next: string) {
  await expect(page.getByTestId("script-step")).toHaveAttribute("data-step", step);
  await page.getByTestId("script-complete").click();
  await expect(page.getByTestId("script-step-done").last()).toHaveAttribute("data-step", step);
  if (next) await expect(page.getByTestId("script-step")).toHaveAttribute("data-step", next);
}

test("a complaint is followed step by step offline, resumed after a reload, printed, and reaches the server", async ({
  page,
  context,
  browser,
  request,
}, testInfo) => {
  // The customer the inquiry log knows, from whose profile the complaint starts.
  const customerName = `赵敏 ${testInfo.project.name}-${Date.now()}`;
  const customerId = randomUUID();
  const created = await pushAs(request, "demo", [
    change(customerId, { op: "create", fields: { name: customerName, phone: "13800005678", account: "", address: "" } }, "customer"),
  ]);
  expect(created[0].status).toBe("applied");
  const title = `投诉受理 · ${customerName}`;
  await signIn(page);
  await context.setOffline(true);
  await goTo(page, "customers");
  await page.getByTestId("customers-search").fill(customerName);
  await page.getByTestId("customer-row").filter({ hasText: customerName }).getByRole("link").click();
  await page.getByTestId("start-complaint").click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(page.getByTestId("case-customer-link")).toBeVisible();

  // Step 1 of 6, with its guidance: the mindset and the facts are required.
  const script = page.getByTestId("script");
  await expect(page.getByTestId("script-progress")).toHaveText(" 0/6");
  await expect(page.getByTestId("script-step")).toHaveAttribute("data-step", "listen");
  await expect(page.getByTestId("script-guidance")).toContainText("求发泄");
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/complaint-step-1-${testInfo.project.name}.png`, fullPage: true });
  await page.getByTestId("script-field-facts").fill("下单三天还没发货，客户很着急");
  await page.getByTestId("script-complete").click();
  await expect(page.getByTestId("script-error")).toHaveText("请填写“投诉心态”");
  await choose(page, "mindset", "vent");
  await completeStep(page, "listen", "guide");

  await choose(page, "need", "safe");
  await page.getByTestId("script-field-guiding_answers").fill("希望今天就能发出");
  await completeStep(page, "guide", "clarify");

  // Step 3: a suggested phrase goes into what the customer hears with one tap; a banned
  // phrase typed there is caught as it is typed.
  await choose(page, "fault", "shop");
  await page.getByTestId("script-field-solutions").fill("今天加急补发");
  await page.getByTestId("script-phrase").first().click();
  const summary = page.getByTestId("script-field-summary");
  await expect(summary).toHaveValue("非常抱歉给您带来不便，我们马上为您处理。");
  await summary.pressSequentially("我不知道");
  await expect(page.getByTestId("banned-phrase")).toContainText("我不知道");
  await page.getByTestId("use-alternative").first().click();
  await expect(page.getByTestId("banned-phrases")).toHaveCount(0);
  const said = await summary.inputValue();
  await page.getByTestId("script-field-agreed").check();
  await completeStep(page, "clarify", "resolve_thank");

  // Step 4 half typed, then a reload offline: the step reached and the typing are still there.
  await page.getByTestId("script-field-other_needs").fill("希望发顺丰");
  await page.reload();
  await expect(page.getByTestId("script-step")).toHaveAttribute("data-step", "resolve_thank");
  await expect(page.getByTestId("script-field-other_needs")).toHaveValue("希望发顺丰");
  await expect(page.getByTestId("script-progress")).toHaveText(" 3/6");
  await expect(page.getByTestId("script-step-done")).toHaveCount(3);
  // The timeline shows each step done, by whom.
  const stepsOnTimeline = page.getByTestId("timeline-step");
  await expect(stepsOnTimeline).toHaveCount(3);
  await expect(stepsOnTimeline.first()).toContainText("倾听认知");
  await expect(stepsOnTimeline.first()).toContainText("demo");
  await expectAccessible(page);
  await page.screenshot({ path: `target/screenshots/complaint-step-4-${testInfo.project.name}.png`, fullPage: true });
  await page.getByTestId("script-field-asked").check();
  await page.getByTestId("script-field-thanked").check();
  await completeStep(page, "resolve_thank", "register");

  await choose(page, "category", "receiving");
  await choose(page, "cause", "negligence");
  await page.getByTestId("script-field-problem").fill("仓库漏发");
  await page.getByTestId("script-field-solution").fill("顺丰加急补发");
  await page.getByTestId("script-field-result").fill("客户接受");
  await completeStep(page, "register", "report_back");

  // Escalated to the supervisor, still offline: half a working day from now.
  await page.getByTestId("escalation-reason").selectOption("customer_demands_leader");
  await page.getByTestId("escalation-note").fill("客户要求主管回电");
  await expect(page.getByTestId("promise-half-day")).toHaveAttribute("aria-pressed", "true");
  await page.getByTestId("escalate").click();
  const escalated = page.getByTestId("escalation-entry");
  await expect(escalated).toHaveAttribute("data-open", "true");
  await expect(escalated.getByTestId("promise")).toHaveAttribute("data-state", /on_time|due_soon/);

  // The complaint form prints alone: the form shows, the script and the bar do not.
  await page.emulateMedia({ media: "print" });
  const form = page.getByTestId("complaint-form");
  await expect(form).toBeVisible();
  await expect(form).toContainText("客户投诉受理表");
  await expect(form).toContainText("交易过程中收货问题");
  await expect(form).toContainText("工作人员或合作方失职");
  await expect(page.getByTestId("script-step")).toBeHidden();
  await expect(page.getByTestId("timeline")).toBeHidden();
  await page.screenshot({ path: `target/screenshots/complaint-form-print-${testInfo.project.name}.png`, fullPage: true });
  await page.emulateMedia({ media: "screen" });
  await expect(form).toBeHidden();

  // Online: the five steps reach the server, in order, by the agent, with the summary said.
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const stored = (await serverRecords(request)).find((record) => record.fields.title?.current.value === title);
  expect(stored).toBeDefined();
  const steps = stored!.events.filter((event) => event.kind === "script_step");
  expect(steps.map((event) => (event.data as { step: string }).step)).toEqual([
    "listen",
    "guide",
    "clarify",
    "resolve_thank",
    "register",
  ]);
  expect(steps.every((event) => event.by === "demo")).toBe(true);
  expect((steps[2].data as { said: string }).said).toBe(said);

  // Another device of the same agent shows the complaint at the step reached.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  await signIn(otherPage);
  await otherPage.getByTestId("case-search").fill(title);
  await otherPage.getByTestId("case-row").filter({ hasText: title }).click();
  await expect(otherPage.getByTestId("script-step")).toHaveAttribute("data-step", "report_back");
  await expect(otherPage.getByTestId("script-progress")).toHaveText(" 5/6");
  await other.close();

  // The supervisor, on a clock the test drives: the escalation waits on the queue, red once
  // its deadline passes.
  const boss = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const bossPage = await boss.newPage();
  await bossPage.clock.install({ time: new Date() });
  await signIn(bossPage, "supervisor");
  await goTo(bossPage, "escalations");
  const row = bossPage.getByTestId("escalation-row").filter({ hasText: title });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  const due = Date.parse((await row.locator("time").getAttribute("datetime")) ?? "");
  await expect(row.getByTestId("promise")).not.toHaveAttribute("data-state", "overdue");
  // The first answer is owed within five minutes (seed 002).
  await expect(row.getByTestId("first-reply")).toHaveAttribute("data-late", "false");
  await expectAccessible(bossPage);
  await bossPage.screenshot({ path: `target/screenshots/escalation-queue-${testInfo.project.name}.png`, fullPage: true });
  await bossPage.clock.fastForward(due - Date.now() + 60_000);
  await expect(row.getByTestId("promise")).toHaveAttribute("data-state", "overdue");
  await expect(row.getByTestId("promise")).toHaveCSS("background-color", "rgb(192, 57, 43)");
  await expect(row.getByTestId("first-reply")).toHaveAttribute("data-late", "true");

  // The decision, then a callback in which the customer is dissatisfied (2).
  await row.getByRole("link").click();
  await bossPage.getByTestId("escalation-first-reply").fill("收到，我马上联系仓库");
  await bossPage.getByTestId("reply-escalation").click();
  await expect(bossPage.getByTestId("escalation-first-reply-shown")).toContainText("收到，我马上联系仓库");
  await bossPage.getByTestId("escalation-coordinated").fill("与仓储部确认今天发出");
  await bossPage.getByTestId("escalation-decision-input").fill("顺丰加急补发并赠送优惠券");
  await bossPage.getByTestId("decide-escalation").click();
  await expect(bossPage.getByTestId("escalation-decision")).toContainText("顺丰加急补发并赠送优惠券");
  await bossPage.getByTestId("callback-note").fill("回访补发结果");
  await bossPage.getByTestId("plan-callback").click();
  const callback = bossPage.getByTestId("callback-entry");
  await expect(callback).toHaveAttribute("data-open", "true");
  await callback.getByTestId("satisfaction-2").click();
  await callback.getByTestId("callback-comment").fill("还是太慢了");
  await callback.getByTestId("make-callback").click();
  await expect(bossPage.getByTestId("callback-answer")).toHaveAttribute("data-satisfaction", "2");
  await expect(bossPage.getByTestId("callback-answer")).toContainText("不满意");
  await expectAccessible(bossPage);
  await goTo(bossPage, "escalations");
  await expect(bossPage.getByTestId("escalation-row").filter({ hasText: title })).toHaveCount(0);
  await expect(bossPage.getByTestId("dissatisfied-row").filter({ hasText: title })).toContainText("还是太慢了");
  await expect(waiting(bossPage)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await boss.close();

  // The agent, who still owns the case, reads the decision on it.
  await page.reload();
  await expect(page.getByTestId("escalation-decision")).toContainText("顺丰加急补发并赠送优惠券", { timeout: 15_000 });
  await expect(page.getByTestId("callback-answer")).toHaveAttribute("data-satisfaction", "2");
  await expect(page.getByTestId("timeline-step").filter({ hasText: "主管决定" })).toContainText("supervisor");
  const settled = (await serverRecords(request)).find((record) => record.fields.title?.current.value === title)!;
  expect(settled.events.filter((event) => event.kind === "escalation_decision").map((event) => event.by)).toEqual(["supervisor"]);
  expect(settled.events.filter((event) => event.kind === "callback_made").map((event) => (event.data as { satisfaction: number }).satisfaction)).toEqual([2]);
});

test("a resolved complaint's lesson becomes a knowledge-base draft that a team lead approves", async ({
  page,
  browser,
  request,
}, testInfo) => {
  const title = `补发错款的投诉 ${testInfo.project.name}-${Date.now()}`;
  const id = randomUUID();
  let wall = Date.now();
  const at = (op: object) => ({ ...change(id, op), stamp: { wall_ms: wall++, counter: 0 } });
  const step = (step: string, values: object, said?: string) =>
    at({ op: "append", event: randomUUID(), kind: "script_step", data: { version: 1, step, values, ...(said ? { said } : {}) } });
  const outcomes = await pushAs(request, "demo", [
    at({
      op: "create",
      fields: { kind: "complaint", title, customer_name: "钱多多", customer_phone: "13800007777", order_number: null, status: "resolved" },
    }),
    step("listen", { mindset: "compensation", facts: "补发的颜色不对" }),
    step("guide", { need: "understood", guiding_answers: "要正确的颜色" }),
    step("clarify", { fault: "shop", solutions: "重新补发", agreed: true }, "非常抱歉，马上为您重新补发"),
    step("resolve_thank", { asked: true, thanked: true }),
    step("register", { category: "receiving", cause: "negligence", problem: "补发错款", solution: "补发前核对款式", result: "客户满意" }),
    step("report_back", { department: "warehouse", department_result: "已核对", told_by: "phone" }, "已为您重新补发正确的颜色"),
  ]);
  expect(outcomes.map((outcome) => outcome.status)).toEqual(outcomes.map(() => "applied"));

  await signIn(page);
  await openCase(page, title);
  await expect(page.getByTestId("script-finished")).toBeVisible();
  await page.getByTestId("lesson-draft").click();
  await expect(page.getByTestId("lesson-drafted")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  // The team lead finds it on the knowledge page as a draft and approves it.
  const lead = await browser.newContext({ viewport: page.viewportSize() ?? undefined });
  const leadPage = await lead.newPage();
  await signIn(leadPage, "lead");
  await goTo(leadPage, "knowledge");
  await leadPage.getByTestId("knowledge-search").fill(title);
  const entry = leadPage.getByTestId("knowledge-entry").filter({ hasText: title });
  await expect(entry.getByTestId("knowledge-draft")).toBeVisible({ timeout: 15_000 });
  await expect(entry.getByTestId("knowledge-body")).toContainText("补发前核对款式");
  await expectAccessible(leadPage);
  await entry.getByTestId("approve-draft").click();
  await expect(entry.getByTestId("knowledge-draft")).toHaveCount(0);
  await expect(waiting(leadPage)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await lead.close();

  const stored = (await serverRecords(request)).find(
    (record) => record.record_type === "knowledge" && record.fields.title?.current.value === title,
  )!;
  expect(stored.fields.draft.current.value).toBe(false);
  expect(stored.fields.draft.current.by).toBe("lead");
  expect(stored.fields.from_case.current.value).toBe(id);
});
