// The banned-phrase check as the agent types (服务禁语): a phrase in a note is marked with its
// polite alternative, one tap puts the alternative in, saving stays possible, and the server
// records the incident, which the case's timeline shows and QA can read.
import { expect, test } from "./fixtures";
import { caseOfOwn, goTo, openCase, serverRecords, signIn, waiting, expectAccessible } from "./helpers";

test("a banned phrase is shown with its alternative as it is typed, and its incident reaches QA", async ({
  page,
  request,
  browser,
}, testInfo) => {
  const title = `禁语提示 ${testInfo.project.name}-${Date.now()}`;
  await caseOfOwn(request, title);
  await signIn(page);
  await openCase(page, title);
  const input = page.getByTestId("note-input");

  await input.fill("这个我不知道，你去问快递吧");
  const hint = page.getByTestId("banned-phrases");
  await expect(hint).toBeVisible();
  await expect(hint.locator("mark")).toHaveText("我不知道");
  const alternative = (await page.getByTestId("banned-phrase-alternative").first().textContent()) ?? "";
  expect(alternative.length).toBeGreaterThan(0);
  await expectAccessible(page);

  // One tap puts the alternative in, and the warning goes.
  await page.getByTestId("use-alternative").first().click();
  await expect(input).toHaveValue(`这个${alternative}，你去问快递吧`);
  await expect(hint).toBeHidden();

  // Typed anyway (full-width, spaced), it is still caught, and saving is still possible.
  const body = `客户追问：我 不 知 道！${Date.now()}`;
  await input.fill(body);
  await expect(hint).toBeVisible();
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline")).toContainText(body);
  // The incident is on the case's timeline, with the phrase, as QA will see it.
  await expect(page.getByTestId("timeline-incident").filter({ hasText: body })).toContainText("我不知道");
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });

  // The server recorded the incident by the note's author, and QA reads it.
  const seenByQa = await serverRecords(request, "qa");
  const incidents = seenByQa
    .flatMap((record) => record.events)
    .filter((event) => event.kind === "banned_phrase" && (event.data as { text?: string }).text === body);
  expect(incidents).toHaveLength(1);
  expect(incidents[0].by).toBe("demo");
  // The agent has no incident list; QA, on another device, has.
  await expect(page.getByTestId("nav-incidents")).toBeHidden();
  const qaContext = await browser.newContext();
  const qa = await qaContext.newPage();
  await signIn(qa, "qa");
  await goTo(qa, "incidents");
  const row = qa.getByTestId("incident-row").filter({ hasText: body });
  await expect(row).toHaveCount(1);
  await expect(row.getByTestId("incident-author")).toHaveText("demo");
  await expect(row.getByTestId("incident-phrases")).toContainText("我不知道");
  await expectAccessible(qa);
  await qaContext.close();
});
