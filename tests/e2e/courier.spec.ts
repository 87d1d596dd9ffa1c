// Courier questions (seed 002 快递问题处理), offline: the panel on a case says at once which
// courier ships to the province by default, what it costs extra, and whether the courier the
// customer asks for reaches it.
import { expect, test } from "./fixtures";
import { caseOfOwn, expectAccessible, openCase, signIn } from "./helpers";

test("courier advice for a province and a requested courier, offline", async ({ page, context, request }, testInfo) => {
  const title = `快递咨询 ${testInfo.project.name}-${Date.now()}`;
  await caseOfOwn(request, title);
  await signIn(page);
  await openCase(page, title);
  await context.setOffline(true);
  await page.getByTestId("courier-toggle").click();
  await page.getByTestId("courier-province").selectOption("jiangsu");
  await page.getByTestId("courier-items").fill("2");
  await expect(page.getByTestId("courier-default")).toHaveText("默认快递：圆通");
  await expect(page.getByTestId("courier-charge")).toHaveText("包邮");

  // Xinjiang: only the post reaches, first kilo ¥18; STO asked for is not possible.
  await page.getByTestId("courier-province").selectOption("xinjiang");
  await page.getByTestId("courier-items").fill("1");
  await page.getByTestId("courier-requested").selectOption("sto");
  await expect(page.getByTestId("courier-default")).toHaveText("默认快递：邮政");
  await expect(page.getByTestId("courier-surcharge")).toContainText("¥18");
  await expect(page.getByTestId("courier-answer")).toHaveText("这家快递到不了这个地址");
  await expectAccessible(page);
});
