// The after-sales situations as guided steps (seed 002/003): offline, the agent records a
// missing ¥1 item for a customer who refuses a favour; the guide asks one question at a time
// and ends at "refund once the supervisor agrees", kept over an offline reload; back online,
// the server holds every answer, refuses the agent's own agreement, and a supervisor agrees
// on the case. A lost parcel ends in a courier claim naming the order and the price, and the
// supervisor's weekly summary counts it.
import { expect, type Page } from "./fixtures";
import { randomUUID } from "node:crypto";
import { change, goTo, serverRecords, signIn, pushAs, waiting, expectAccessible } from "./helpers";
import { testOnOwnServer } from "./server-process";

// The weekly summary counts the whole team's lost parcels, and this test wants exactly its own
// one more: on the shared server another worker's run (the other project's) could add one in
// between. So it runs on a server and database of its own.
const test = testOnOwnServer("after-sales-guide");

/** A return as the agent's device creates it. */
function returnCase(id: string, title: string, reason: string, order: string): object {
  return change(id, {
    op: "create",
    fields: {
      kind: "return",
      title,
      customer_name: "售后客户",
      customer_phone: "13800007777",
      order_number: order,
      status: "open",
      request_type: "reship",
      return_reason: reason,
      items: [{ sku: "GIFT-PIN", quantity: 1 }],
      item_class: "normal",
      original_packaging: true,
      return_tracking: null,
      return_courier: null,
      shipping_insurance: false,
      shipped: true,
      received_on: null,
    },
  });
}

async function openCase(page: Page, order: string) {
  await goTo(page, "cases");
  await page.getByTestId("case-search").fill(order);
  const row = page.getByTestId("case-row").filter({ hasText: order });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  await expect(page.getByTestId("after-sales-guide")).toBeVisible();
}

/** The week's confirmed lost-parcel claims, and the settled lost-parcel situations. */
async function lostCounts(page: Page): Promise<[number, number]> {
  await goTo(page, "after-sales");
  const claims = Number(await page.getByTestId("summary-lost").textContent());
  const settled = page.locator('[data-testid="summary-situation"][data-situation="lost_parcel"]');
  return [claims, (await settled.count()) === 0 ? 0 : Number(await settled.textContent())];
}

test("the guide leads an offline missing-item case to a supervisor's agreement, and a lost parcel to a claim", async ({
  page,
  browser,
  request,
  context,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const [missingId, lostId] = [randomUUID(), randomUUID()];
  const [missingOrder, lostOrder] = [`SO-M-${run}`, `SO-L-${run}`];
  const created = await pushAs(request, "demo", [
    returnCase(missingId, `少件 ${run}`, "missing_item", missingOrder),
    returnCase(lostId, `丢件 ${run}`, "parcel_lost", lostOrder),
  ]);
  expect(created.map((o) => o.status)).toEqual(["applied", "applied"]);

  const other = await browser.newContext();
  const supervisor = await other.newPage();
  await signIn(supervisor, "supervisor");
  const [claimsBefore, settledBefore] = await lostCounts(supervisor);

  await signIn(page);
  await openCase(page, missingOrder);
  await expect(page.getByTestId("after-sales-guide")).toHaveAttribute("data-state", "none");
  await context.setOffline(true);
  await page.locator('[data-testid="situation-pick"][data-situation="missing_item"]').click();
  await expect(page.getByTestId("situation-first-steps").locator("li")).toHaveCount(3);
  await expect(page.getByTestId("situation-first-steps")).toContainText("箱子号码");
  const question = page.getByTestId("situation-question");
  await expect(question).toHaveAttribute("data-question", "item_value");
  // A price that does not read as one is refused in words, and the question stays.
  await page.getByTestId("answer-price").fill("一块");
  await page.getByTestId("answer-next").click();
  await expect(page.getByTestId("situation-error")).toHaveText("请填写正确的金额，例如 89 或 89.50");
  await page.getByTestId("answer-price").fill("1");
  await page.getByTestId("answer-price").press("Enter");
  await expect(question).toHaveAttribute("data-question", "weight_checkable");
  await page.getByTestId("answer-no").click();
  await expect(question).toHaveAttribute("data-question", "difficult_customer");
  await page.getByTestId("answer-yes").click();
  const guideBox = page.getByTestId("after-sales-guide");
  await expect(guideBox).toHaveAttribute("data-state", "awaiting_supervisor");
  await expect(page.getByTestId("situation-resolution")).toHaveText("经客服主管同意后直接给顾客退款");
  await expect(page.getByTestId("situation-waiting")).toBeVisible();
  // A stray tap on the situation already chosen keeps the answers (nothing is recorded).
  await page.locator('[data-testid="situation-pick"][data-situation="missing_item"]').click();
  await expect(guideBox).toHaveAttribute("data-state", "awaiting_supervisor");
  // An agent cannot agree in the supervisor's place: no button, and the server refuses it.
  await expect(page.getByTestId("situation-agree")).toHaveCount(0);
  await expectAccessible(page);

  await page.reload();
  await expect(guideBox).toHaveAttribute("data-state", "awaiting_supervisor");
  await expect(page.getByTestId("situation-answers").locator("dd")).toHaveText(["¥1", "否", "是"]);
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 20_000 });

  const held = (await serverRecords(request, "admin")).find((r) => r.id === missingId);
  const entries = held?.events.filter((e) => e.kind === "after_sales_situation") ?? [];
  // The pick and each of the three answers, each kept as it was given.
  expect(entries).toHaveLength(4);
  const latest = entries[entries.length - 1].data as { answers: object; supervisor_agrees: boolean };
  expect(latest.answers).toEqual({
    item_value: 100,
    weight_checkable: false,
    difficult_customer: true,
  });
  expect(latest.supervisor_agrees).toBe(false);
  const forged = await pushAs(request, "demo", [
    change(missingId, {
      op: "append",
      event: randomUUID(),
      kind: "after_sales_situation",
      data: { ...latest, supervisor_agrees: true },
    }),
  ]);
  expect(forged[0].status).toBe("rejected");
  expect(forged[0].reason?.zh).toContain("须由客服主管同意");

  // The supervisor agrees on the case.
  await openCase(supervisor, missingOrder);
  await expect(supervisor.getByTestId("after-sales-guide")).toHaveAttribute("data-state", "awaiting_supervisor", {
    timeout: 15_000,
  });
  await supervisor.getByTestId("situation-agree").click();
  await expect(supervisor.getByTestId("after-sales-guide")).toHaveAttribute("data-state", "resolved");
  await expect(waiting(supervisor)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  await expect(guideBox).toHaveAttribute("data-state", "resolved", { timeout: 20_000 });

  // A lost parcel: the courier confirms, nothing in stock, the goods cost ¥59.
  await openCase(page, lostOrder);
  await page.locator('[data-testid="situation-pick"][data-situation="lost_parcel"]').click();
  await expect(question).toHaveAttribute("data-question", "courier_confirms_lost");
  await page.getByTestId("answer-yes").click();
  await expect(question).toHaveAttribute("data-question", "in_stock");
  await page.getByTestId("answer-no").click();
  await expect(question).toHaveAttribute("data-question", "item_value");
  await page.getByTestId("answer-price").fill("59");
  await page.getByTestId("answer-next").click();
  await expect(guideBox).toHaveAttribute("data-state", "resolved");
  await expect(page.getByTestId("situation-resolution")).toContainText("向快递公司索赔 ¥59");
  const claim = page.getByTestId("courier-claim");
  await expect(claim).toContainText(lostOrder);
  await expect(page.getByTestId("claim-price")).toHaveText("¥59");
  await expectAccessible(page);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 20_000 });

  // The week's summary counts the claim and the settled situation.
  await expect(async () => {
    expect(await lostCounts(supervisor)).toEqual([claimsBefore + 1, settledBefore + 1]);
  }).toPass({ timeout: 20_000 });
  await expectAccessible(supervisor);
  await other.close();
});
