// Quick phrases (快捷短语): the shop's standard phrases, the team's and the user's own, searched
// and inserted into a note with one tap, offline as well; another user's personal phrases are
// not offered.
import { expect, test } from "./fixtures";
import { randomUUID } from "node:crypto";
import { caseOfOwn, change, expectAccessible, openCase, pushAs, serverRecords, signIn, waiting } from "./helpers";

function phrase(title: string, body: string, personal: boolean) {
  return change(
    randomUUID(),
    { op: "create", fields: { kind: "phrase", title, body, group: "other", personal } },
    "knowledge",
  );
}

test("a quick phrase is found and inserted with one tap, offline too", async ({ page, context, request }, testInfo) => {
  // Searched for below and counted: unique to this run (other workers add phrases meanwhile).
  const stamp = `${testInfo.project.name}-${randomUUID()}`;
  const title = `快捷短语 ${stamp}`;
  const teamBody = `组长给小组的短语 ${stamp}`;
  const privateBody = `组长自己的短语 ${stamp}`;
  const outcomes = await pushAs(request, "lead", [
    phrase("小组短语", teamBody, false),
    phrase("私人短语", privateBody, true),
  ]);
  expect(outcomes.map((o) => o.status)).toEqual(["applied", "applied"]);

  await caseOfOwn(request, title);
  await signIn(page);
  await openCase(page, title);
  await context.setOffline(true);
  await page.getByTestId("phrase-picker-toggle").click();
  const options = page.getByTestId("phrase-option");
  await page.getByTestId("phrase-search").fill(`${stamp}`);
  await expect(options).toHaveCount(1);
  await expect(options.first()).toContainText(teamBody);
  await page.getByTestId("phrase-search").fill("耐心");
  await expect(options).toHaveCount(1);
  await expectAccessible(page);
  await options.first().click();
  const input = page.getByTestId("note-input");
  await expect(input).toHaveValue("谢谢您的耐心等待。");
  await expect(page.getByTestId("phrase-search")).toBeHidden();

  const body = `谢谢您的耐心等待。已查到包裹在派送中 ${stamp}`;
  await input.fill(body);
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline")).toContainText(body);
  await context.setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 15_000 });
  const notes = (await serverRecords(request)).flatMap((record) => record.events).filter((e) => e.data.body === body);
  expect(notes).toHaveLength(1);
});
