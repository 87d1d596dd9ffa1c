// Order follow-up on a case (seed 000 §5): an order moves step by step (placed → reviewed →
// paid → shipped), each step checked on the device with the reason shown when something is
// missing, recorded offline and kept over an offline reload; a special situation goes to the
// right department; after 5 unpaid working days the agent is told to cancel and notify (the
// device clock is driven by the test). A customer's small order is flagged to go out with
// their other order of the day once its amount is entered, offline too.
import { expect, test } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, goTo, serverRecords, signIn, pushAs, waiting, expectAccessible } from "./helpers";

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
  await goTo(page, "new-case");
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
  await goTo(page, "new-case");
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

test("a small order is flagged to ship with the same customer's other order of the day", async ({
  page,
  context,
  request,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const [bigOrder, smallOrder] = [`SO-BIG-${run}`, `SO-SMALL-${run}`];
  const phone = `139${String(Date.now()).slice(-8)}`;
  const orderCase = (order: string, amount: number | null) =>
    change(randomUUID(), {
      op: "create",
      fields: {
        kind: "inquiry",
        title: `直播订单 ${order}`,
        customer_name: "直播客户",
        customer_phone: phone,
        order_number: order,
        status: "open",
        order_amount: amount,
      },
    });
  const smallCase = orderCase(smallOrder, null) as { record_id: string };
  const created = await pushAs(request, "demo", [orderCase(bigOrder, 4500), smallCase]);
  expect(created.map((o) => o.status)).toEqual(["applied", "applied"]);

  await signIn(page);
  await page.getByTestId("case-search").fill(smallOrder);
  await page.getByTestId("case-row").filter({ hasText: smallOrder }).click();
  await expect(page.getByTestId("order-amount")).toHaveText("未填写");
  await expect(page.getByTestId("merge-hint")).toHaveCount(0);
  await context.setOffline(true);
  // A typing slip is refused in words, and nothing is saved.
  await page.getByTestId("order-amount-input").fill("九块九");
  await page.getByTestId("order-amount-save").click();
  await expect(page.getByTestId("order-amount-error")).toHaveText("请填写正确的金额，例如 89 或 89.50");
  await page.getByTestId("order-amount-input").fill("9.9");
  await page.getByTestId("order-amount-input").press("Enter");
  await expect(page.getByTestId("order-amount")).toHaveText("¥9.90");
  await expect(page.getByTestId("merge-order")).toHaveText([bigOrder, smallOrder]);
  await expect(page.getByTestId("merge-hint")).toContainText("其中 1 个不够 ¥19.90");
  await expectAccessible(page);
  await page.reload();
  await expect(page.getByTestId("merge-order")).toHaveText([bigOrder, smallOrder]);
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 20_000 });
  const held = (await serverRecords(request, "admin")).find((r) => r.id === smallCase.record_id);
  expect(held?.fields.order_amount?.current.value).toBe(990);
});
