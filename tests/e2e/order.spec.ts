// Order follow-up on a case (seed 000 §5): an order moves step by step (placed → reviewed →
// paid → shipped), each step checked on the device with the reason shown when something is
// missing, recorded offline and kept over an offline reload; a special situation goes to the
// right department; after 5 unpaid working days the agent is told to cancel and notify (the
// device clock is driven by the test).
import { expect, test } from "@playwright/test";
import { expectAccessible, serverRecords, signIn, waiting } from "./helpers";

test("an order is followed step by step offline, and a special situation is handed over", async ({
  page,
  context,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const title = `下单后跟进 ${run}`;
  const order = `SO-${Date.now()}`;
  await page.clock.install();
  await signIn(page);
  await page.getByTestId("nav-new-case").click();
  await page.getByTestId("case-title").fill(title);
  await page.getByTestId("order-number").fill(order);
  await page.getByTestId("save-case").click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "placed");
  // Shipping is not offered before review and payment.
  await expect(page.getByTestId("order-action-ship")).toHaveCount(0);

  await context.setOffline(true);
  await page.getByTestId("order-action-review").click();
  await page.getByTestId("order-step-text").fill("小王");
  await page.getByTestId("record-order-step").click();
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "reviewed");
  await page.getByTestId("order-action-confirm_payment").click();
  await page.getByTestId("order-step-text").fill("财务李");
  await page.getByTestId("record-order-step").click();
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "paid");
  await page.getByTestId("order-action-ship").click();
  await page.getByTestId("order-step-text").fill("顺丰");
  await page.getByTestId("record-order-step").click();
  await expect(page.getByTestId("order-error")).toHaveText("请填写“快递单号”");
  await page.getByTestId("order-step-tracking").fill("SF1234567890");
  await page.getByTestId("record-order-step").click();
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "shipped");

  await page.getByTestId("situation-select").selectOption("difficult");
  await expect(page.getByTestId("situation-refer-to")).toContainText("上级主管");
  await page.getByTestId("situation-note").fill("客户坚持要求当天送达");
  await page.getByTestId("record-situation").click();
  await expect(page.getByTestId("situation")).toContainText("上级主管");
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "shipped");
  await expect(page.getByTestId("order-step")).toHaveCount(3);
  await expect(page.getByTestId("situation")).toContainText("客户坚持要求当天送达");

  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = (await serverRecords(request)).filter(
    (r) => r.record_type === "case" && r.fields.title?.current.value === title,
  );
  expect(held).toHaveLength(1);
  const steps = held[0].events.filter((e) => e.kind === "order_step").map((e) => (e.data as { event?: string }).event);
  expect(steps).toEqual(["review", "confirm_payment", "ship"]);
  expect(held[0].events.filter((e) => e.kind === "special_situation")).toHaveLength(1);
});

test("after 5 unpaid working days the agent is told to cancel and notify", async ({ page }, testInfo) => {
  const title = `未付款订单 ${testInfo.project.name}-${Date.now()}`;
  await page.clock.install();
  await signIn(page);
  await page.getByTestId("nav-new-case").click();
  await page.getByTestId("case-title").fill(title);
  await page.getByTestId("order-number").fill(`SO-${Date.now()}`);
  await page.getByTestId("save-case").click();
  await expect(page.getByTestId("order-state")).toHaveAttribute("data-state", "placed");
  await expect(page.getByTestId("unpaid-warning")).toHaveCount(0);
  await expect(page.getByTestId("order-action-cancel_unpaid")).toHaveCount(0);
  // Ten calendar days later: more than 5 working days whatever the weekday.
  await page.clock.fastForward(10 * 24 * 3600 * 1000);
  await expect(page.getByTestId("unpaid-warning")).toBeVisible();
  await expect(page.getByTestId("order-action-cancel_unpaid")).toBeVisible();
});
