// Pinned cases and the shift handover (issue 27, must-show 2, its first half): offline, an agent
// pins two cases (one already overdue, put on the problem list too) and writes a handover for
// the next shift; after an offline reload both wait in the outbox, and online they reach the
// server. The next shift's agent signs in on another device: the shift page opens first, the
// overdue pin red and first, and they acknowledge the handover and unpin a case saying how it
// was solved. The lead sees who acknowledged. What concerns one agent's conduct stays theirs: the
// colleague does not see the agent's banned-phrase incident; the lead does.
// On a server of its own: a pin makes every desk user's sign-in open the shift page.
import { expect, type Browser, type Page } from "./fixtures";
import { caseOfOwn, expectAccessible, goTo, openCase, serverRecords, signIn, waiting } from "./helpers";
import { testOnOwnServer } from "./server-process";

const test = testOnOwnServer("shift");

// The shop's time zone, as the policy's shifts are written in.
test.use({ timezoneId: "Asia/Shanghai" });

const OVERDUE_BY = "2026-01-05T10:00";
const LATER_BY = "2030-01-05T10:00";

/** Pins the open case, agreed to be solved by `resolveBy` (datetime-local) with `method`. */
async function pin(page: Page, resolveBy: string, method: string, problemList: boolean) {
  const panel = page.getByTestId("pin-panel");
  await panel.getByTestId("pin-resolve-by").fill(resolveBy);
  await panel.getByTestId("pin-method-input").fill(method);
  if (problemList) await panel.getByTestId("pin-problem").check();
  await panel.getByTestId("pin").click();
  await expect(panel.getByTestId("pin-method")).toHaveText(method);
}

/** A new device of `username`'s, signed in: the shift page opens first. */
async function device(browser: Browser, username: string): Promise<Page> {
  const page = await (await browser.newContext({ timezoneId: "Asia/Shanghai" })).newPage();
  await signIn(page, username, "shift-page");
  return page;
}

test("pins and a handover written offline open the next shift's page first; acknowledged, unpinned, seen by the lead", async ({
  page,
  browser,
  request,
}, testInfo) => {
  test.setTimeout(150_000);
  const run = `${testInfo.project.name}-${Date.now()}`;
  const late = `赠品未到 ${run}`;
  const later = `换货进度 ${run}`;
  const rude = `物流咨询 ${run}`;
  for (const title of [late, later, rude]) await caseOfOwn(request, title);

  await signIn(page);
  await openCase(page, rude);
  await page.getByTestId("note-input").fill("这个我不知道，你去问快递吧");
  await page.getByTestId("add-note").click();
  await expect(page.getByTestId("timeline-incident")).toBeVisible();
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 30_000 });

  await page.context().setOffline(true);
  await openCase(page, late);
  await pin(page, OVERDUE_BY, "补发赠品，客户同意等仓库回复", true);
  await expectAccessible(page);
  await openCase(page, later);
  await pin(page, LATER_BY, "等换货寄回后回电", false);
  // A pinned case offers no second pin (the shared rule would refuse it).
  await expect(page.getByTestId("pin-form")).toHaveCount(0);

  await goTo(page, "shift");
  await expect(page.getByTestId("pinned-case")).toHaveCount(2);
  await expect(page.getByTestId("pinned-case").first()).toContainText(late);
  await expect(page.getByTestId("pinned-case").first()).toHaveAttribute("data-overdue", "true");
  const note = `晚班请先跟进赠品 ${run}`;
  await page.getByTestId("handover-note-input").fill(note);
  await expect(page.getByTestId("handover-lists")).toContainText("2");
  await page.getByTestId("write-handover").click();
  await expect(page.getByTestId("handover-saved")).toBeVisible();
  await expectAccessible(page);

  // Everything waits on the device through an offline reload, then reaches the server.
  await page.reload();
  // Two pins, the problem-list flag and the handover.
  await expect(waiting(page)).toHaveAttribute("data-count", "4");
  await page.context().setOffline(false);
  await expect(waiting(page)).toHaveAttribute("data-count", "0", { timeout: 30_000 });
  const records = await serverRecords(request);
  const handover = records.find((r) => r.record_type === "handover" && r.fields.note?.current.value === note);
  expect(handover, "the handover reached the server").toBeTruthy();
  const handed = handover!.fields.pins.current.value as { title: string }[];
  expect(handed.map((c) => c.title)).toEqual([late, later]);
  const lateCase = records.find((r) => r.fields.title?.current.value === late)!;
  expect(lateCase.events.filter((e) => e.kind === "pinned").map((e) => e.by)).toEqual(["demo"]);
  expect(lateCase.fields.problem?.current.value).toBe(true);

  // The next shift's agent, on another device: the shift page opens first.
  const next = await device(browser, "agent2");
  await expect(next.getByTestId("pinned-case").first()).toHaveAttribute("data-overdue", "true");
  await expect(next.getByTestId("pinned-case").first()).toContainText(late);
  const waitingHandover = next.getByTestId("handovers-waiting").getByTestId("handover");
  await expect(waitingHandover).toContainText(note);
  await expect(waitingHandover.getByTestId("handover-pins")).toContainText(late);
  await expectAccessible(next);
  await waitingHandover.getByTestId("acknowledge-handover").click();
  await expect(next.getByTestId("handovers-waiting").getByTestId("handover")).toHaveCount(0);
  await expect(next.getByTestId("handovers-recent").getByTestId("handover-acknowledged").first()).toContainText(
    "agent2",
  );

  // They solve the later one and unpin it, saying how.
  await openCase(next, later);
  await next.getByTestId("pin-how").fill("换货已寄出，客户确认");
  await next.getByTestId("unpin").click();
  await expect(next.getByTestId("pin-form")).toBeVisible();
  // The colleague sees the rude note, not the incident it caused.
  await openCase(next, rude);
  await expect(next.getByTestId("note")).toHaveCount(1);
  await expect(next.getByTestId("timeline-incident")).toHaveCount(0);
  await expect(waiting(next)).toHaveAttribute("data-count", "0", { timeout: 30_000 });

  // The lead sees who acknowledged the handover, and the incident.
  const lead = await device(browser, "lead");
  await expect(lead.getByTestId("pinned-case")).toHaveCount(1);
  const forLead = lead.getByTestId("handovers-waiting").getByTestId("handover");
  await expect(forLead.getByTestId("handover-acknowledged")).toContainText("agent2");
  await openCase(lead, rude);
  await expect(lead.getByTestId("timeline-incident")).toBeVisible();

  const after = await serverRecords(request);
  const laterCase = after.find((r) => r.fields.title?.current.value === later)!;
  const unpinned = laterCase.events.filter((e) => e.kind === "unpinned");
  expect(unpinned.map((e) => [e.by, (e.data as { how?: string }).how])).toEqual([["agent2", "换货已寄出，客户确认"]]);
  const acks = after.find((r) => r.id === handover!.id)!.events.filter((e) => e.kind === "acknowledged");
  expect(acks.map((e) => e.by)).toEqual(["agent2"]);
});
