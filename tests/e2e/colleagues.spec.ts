// Work done by colleagues on other devices reaches this one by itself, without disturbing
// what the agent is typing.
import { expect, test } from "./fixtures";
import { caseOfOwn, noteChange, openCase, pushAs, signIn } from "./helpers";

test("a colleague's note appears while the agent keeps typing", async ({ page, request }, testInfo) => {
  const title = `同事补充 ${testInfo.project.name}-${Date.now()}`;
  const caseId = await caseOfOwn(request, title);
  await signIn(page);
  await openCase(page, title);
  expect(new URL(page.url()).pathname.split("/").pop()).toBe(caseId);
  const input = page.getByTestId("note-input");
  await input.click();
  await input.pressSequentially("正在输入");

  const body = `组长补充的备注 ${Date.now()}`;
  const outcomes = await pushAs(request, "lead", [noteChange(caseId, body)]);
  expect(outcomes[0].status).toBe("applied");

  // The device pulls it on its next round (every 5 s while idle).
  await expect(page.getByTestId("timeline")).toContainText(body, { timeout: 15_000 });
  await expect(page.getByTestId("timeline")).toContainText("lead");
  await expect(input).toBeFocused();
  await input.pressSequentially("，继续");
  await expect(input).toHaveValue("正在输入，继续");
});
