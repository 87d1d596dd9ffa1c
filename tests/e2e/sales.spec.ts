// A sales inquiry's stages (seed 000 §4.1–§4.5), recorded offline on the case with the
// manual's guidance beside each; an objection must name one of the four kinds.
import { expect, test } from "./fixtures";
import { expectAccessible, serverRecords, signIn, waiting } from "./helpers";

test("sales stages are recorded offline, an objection with its kind", async ({ page, context, request }, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  await signIn(page);
  // Other tests add hundreds of cases: find the demo case by search, as an agent would.
  await page.getByTestId("case-search").fill("咨询江浙沪运费");
  await page.getByTestId("case-row").filter({ hasText: "咨询江浙沪运费" }).first().click();
  await context.setOffline(true);

  await page.getByTestId("stage-accept").click();
  await expect(page.getByTestId("stage-guidance")).toContainText("获得客户意图");
  await page.getByTestId("stage-note").fill(`客户想买礼盒 ${run}`);
  await page.getByTestId("record-stage").click();
  await expect(page.getByTestId("stage-entry").filter({ hasText: run })).toHaveCount(1);

  await page.getByTestId("stage-objection").click();
  await expect(page.getByTestId("stage-guidance")).toContainText("感受—认同—新方案");
  await page.getByTestId("stage-note").fill(`嫌贵 ${run}`);
  await page.getByTestId("record-stage").click();
  await expect(page.getByTestId("stage-error")).toHaveText("请选择异议类型");
  await page.getByTestId("objection-select").selectOption("price");
  await page.getByTestId("record-stage").click();
  await expect(page.getByTestId("stage-entry").filter({ hasText: `嫌贵 ${run}` })).toContainText("价格");
  await expect(page.getByTestId("stage-objection")).toHaveAttribute("aria-pressed", "false");
  await expectAccessible(page);

  await page.reload();
  await expect(page.getByTestId("stage-entry").filter({ hasText: run })).toHaveCount(2);

  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const stages = (await serverRecords(request))
    .flatMap((r) => r.events)
    .filter((e) => e.kind === "sales_stage" && String((e.data as { note?: string }).note).includes(run))
    .map((e) => e.data as { stage?: string; objection?: string | null });
  expect(stages).toEqual([
    { stage: "accept", objection: null, note: `客户想买礼盒 ${run}` },
    { stage: "objection", objection: "price", note: `嫌贵 ${run}` },
  ]);
});
