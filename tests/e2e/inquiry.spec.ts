// The quick inquiry log (咨询登记), offline, as an agent types it: pick an existing customer,
// use a standard answer (a recurrence on its knowledge entry), insert a quick phrase, type a
// banned phrase and see it marked with its alternative, save, reload offline, then online:
// the server holds the case, the recurrence and the QA incident, and QA sees the incident.
// Also the customer profile, found from the case. Screenshots of both screens are saved.
import { expect, test } from "./fixtures";
import { goTo, serverRecords, signIn, waiting, expectAccessible } from "./helpers";

test("an inquiry logged offline with a standard answer, a quick phrase and a banned phrase reaches the server and QA", async ({
  page,
  context,
  request,
  browser,
}, testInfo) => {
  const run = `${testInfo.project.name}-${Date.now()}`;
  const question = `退货运费谁出？ ${run}`;
  await signIn(page);
  await goTo(page, "log-inquiry");
  // The cursor starts in the customer search.
  await expect(page.getByTestId("customer-search")).toBeFocused();
  await expect(page.getByTestId("channel-phone")).toHaveAttribute("aria-pressed", "true");

  await context.setOffline(true);
  await expect(page.getByTestId("connectivity")).toHaveAttribute("data-state", "offline");
  await page.getByTestId("channel-online_chat").click();

  // Typed as an agent types: the name, Enter takes the first match and moves on.
  await page.getByTestId("customer-search").focus();
  await page.keyboard.type("王芳");
  await expect(page.getByTestId("customer-option").first()).toContainText("13800001111");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("chosen-customer")).toContainText("王芳");
  await expect(page.getByTestId("inquiry-order-number")).toBeFocused();
  await page.keyboard.type("SO-20261124-0001");
  await page.keyboard.press("Enter");
  await page.getByTestId("category-shipping_fee").click();
  await expect(page.getByTestId("inquiry-question")).toBeFocused();
  await page.keyboard.type(question);

  // The team's standard answer is offered from the question; using it links the entry.
  const suggestion = page.getByTestId("answer-suggestion").filter({ hasText: "退货运费补贴" });
  await expect(suggestion).toBeVisible();
  await suggestion.getByTestId("use-answer").click();
  await expect(page.getByTestId("linked-entry")).toContainText("退货运费补贴");
  const answer = page.getByTestId("inquiry-answer");
  await expect(answer).toHaveValue(/江浙沪补贴 6 元/);

  // A quick phrase, one tap.
  await page.getByTestId("phrase-picker-toggle").click();
  await page.getByTestId("phrase-search").fill("耐心");
  await page.getByTestId("phrase-option").first().click();
  await expect(answer).toHaveValue(/谢谢您的耐心等待。$/);

  // A banned phrase, marked as it is typed, with its polite alternative.
  await answer.focus();
  await page.keyboard.press("End");
  await page.keyboard.type("具体金额我不知道。");
  const hint = page.getByTestId("banned-phrases");
  await expect(hint).toBeVisible();
  await expect(hint.locator("mark")).toHaveText("我不知道");
  await expect(page.getByTestId("banned-phrase-alternative").first()).not.toBeEmpty();
  const typedAnswer = await answer.inputValue();
  await expectAccessible(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `target/screenshots/inquiry-${testInfo.project.name}.png`, fullPage: true });

  // Ctrl+Enter saves from the answer; the form is empty again, the cursor back at the start.
  await page.keyboard.press("Control+Enter");
  await expect(page.getByTestId("inquiry-saved")).toBeVisible();
  await expect(page.getByTestId("customer-search")).toBeFocused();
  await expect(page.getByTestId("inquiry-question")).toHaveValue("");
  await expect(page.getByTestId("channel-online_chat")).toHaveAttribute("aria-pressed", "true");
  // The case and the recurrence wait in the outbox.
  await expect(waiting(page)).toHaveAttribute("data-count", "2");
  await page.getByTestId("saved-case-link").click();
  const caseUrl = page.url();

  // Reload with no network: all of it is there.
  await page.reload();
  await expect(page.getByTestId("case-question")).toHaveText(question);
  await expect(page.getByTestId("case-answer")).toHaveText(typedAnswer);
  await expect(page.getByTestId("case-channel")).toHaveText("在线客服");
  await expect(page.getByTestId("case-category")).toHaveText("物流费用问题");
  await expect(page.getByTestId("case-order-number")).toHaveText("SO-20261124-0001");
  await expect(page.getByTestId("case-outcome")).toHaveText("已解答");
  await expect(waiting(page)).toHaveAttribute("data-count", "2");

  // The customer's profile holds this inquiry and its order beside the earlier case.
  await page.getByTestId("case-customer-link").click();
  await expect(page.getByTestId("customer-name")).toHaveText("王芳");
  await expect(page.getByTestId("customer-cases")).toContainText(question.slice(0, 10));
  await expect(page.getByTestId("customer-cases")).toContainText("咨询江浙沪运费");
  await expect(page.getByTestId("customer-orders")).toContainText("SO-20261124-0001");
  await expectAccessible(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `target/screenshots/customer-profile-${testInfo.project.name}.png`, fullPage: true });

  // Found by an order number too, on the customers page.
  await goTo(page, "customers");
  await page.getByTestId("customers-search").fill("20261124-0001");
  await expect(page.getByTestId("customer-row")).toHaveCount(1);
  await expect(page.getByTestId("customer-row")).toContainText("王芳");
  await expectAccessible(page);

  // Online: the server holds the case once, the recurrence, and the incident by demo.
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const held = await serverRecords(request, "qa");
  const cases = held.filter((r) => r.record_type === "case" && r.fields.question?.current.value === question);
  expect(cases).toHaveLength(1);
  const logged = cases[0];
  expect(caseUrl).toContain(logged.id);
  expect(logged.fields.answer.current.value).toBe(typedAnswer);
  expect(logged.fields.category.current.value).toBe("shipping_fee");
  expect(logged.fields.channel.current.value).toBe("online_chat");
  const incidents = logged.events.filter((e) => e.kind === "banned_phrase");
  expect(incidents).toHaveLength(1);
  expect(incidents[0].by).toBe("demo");
  const entry = held.find((r) => r.record_type === "knowledge" && r.fields.title?.current.value === "退货运费补贴");
  const recurrences = (entry?.events ?? []).filter(
    (e) => e.kind === "recurrence" && (e.data as { case?: string }).case === logged.id,
  );
  expect(recurrences).toHaveLength(1);

  // QA, on another device, sees the incident.
  const qaContext = await browser.newContext();
  const qa = await qaContext.newPage();
  await signIn(qa, "qa");
  await goTo(qa, "incidents");
  const row = qa.getByTestId("incident-row").filter({ hasText: "具体金额我不知道" }).filter({ hasText: run });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("incident-author")).toHaveText("demo");
  await qaContext.close();
});

test("Enter on an unknown phone number starts a new customer, saved with the inquiry; a hard problem is listed for review", async ({ page, request }, testInfo) => {
  const phone = `139${String(Date.now()).slice(-8)}`;
  const question = `怎么修改收货地址 ${testInfo.project.name}`;
  await signIn(page);
  await goTo(page, "log-inquiry");
  // The page's chunk may still be loading (src/lazy.rs): type once the cursor is in the box.
  await expect(page.getByTestId("customer-search")).toBeFocused();
  await page.keyboard.type(phone);
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("new-customer-phone")).toHaveValue(phone);
  await expect(page.getByTestId("new-customer-name")).toBeFocused();
  await page.keyboard.type("赵敏");
  await page.keyboard.press("Enter");
  await expect(page.getByTestId("inquiry-order-number")).toBeFocused();
  // Saving without a category is refused with the reason, and nothing is lost.
  await page.getByTestId("inquiry-question").fill(question);
  await page.getByTestId("save-inquiry").click();
  await expect(page.getByTestId("inquiry-error")).toHaveText("请选择问题分类");
  await expect(page.getByTestId("inquiry-question")).toHaveValue(question);
  await page.getByTestId("category-ordering").click();
  await page.getByTestId("outcome-handed_over").click();
  // An unusual problem goes to the problem record list for review.
  await page.getByTestId("inquiry-problem").check();
  await page.getByTestId("save-inquiry").click();
  await expect(page.getByTestId("inquiry-saved")).toBeVisible();
  await expect(page.getByTestId("inquiry-problem")).not.toBeChecked();
  await goTo(page, "problems");
  await expect(page.getByTestId("problem-row").filter({ hasText: question })).toHaveCount(1);
  await expectAccessible(page);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  const held = await serverRecords(request);
  const customer = held.find((r) => r.record_type === "customer" && r.fields.phone?.current.value === phone);
  expect(customer?.fields.name.current.value).toBe("赵敏");
  const logged = held.filter((r) => r.record_type === "case" && r.fields.question?.current.value === question);
  expect(logged).toHaveLength(1);
  expect(logged[0].fields.customer.current.value).toBe(customer?.id);
  expect(logged[0].fields.status.current.value).toBe("pending");
  expect(logged[0].fields.problem.current.value).toBe(true);
});
