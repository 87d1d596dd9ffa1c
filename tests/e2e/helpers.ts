// Shared steps of the end-to-end tests: signing in, making changes as another device would,
// and asking the server what it holds.
import AxeBuilder from "@axe-core/playwright";
import { expect, type APIRequestContext, type Page } from "./fixtures";
import { randomUUID } from "node:crypto";

export const DEMO_USER = "demo";
export const DEMO_PASSWORD = "kefu-demo-2026";
const PROTOCOL = { "kefu-protocol": "4" };

type Origin = { by: string; at: string; change: string };
export type Version = Origin & { value: unknown };
export type Field = { current: Version; conflicts?: Version[] };
export type Record = {
  id: string;
  record_type: string;
  team: string;
  created: Origin | null;
  deleted: Origin | null;
  fields: { [name: string]: Field };
  events: (Origin & { id: string; kind: string; data: { body?: string } })[];
};

/** Signs in over the API (not through a page) and returns the session token. */
export async function apiToken(request: APIRequestContext, username = DEMO_USER): Promise<string> {
  const login = await request.post("/api/login", {
    data: { username, password: DEMO_PASSWORD },
  });
  expect(login.ok()).toBeTruthy();
  return (await login.json()).token;
}

/** Every record `username` may see on the server (an admin sees all). */
export async function serverRecords(request: APIRequestContext, username = "admin"): Promise<Record[]> {
  const token = await apiToken(request, username);
  const records: Record[] = [];
  let cursor: string | undefined;
  for (;;) {
    const query = cursor ? `?cursor=${encodeURIComponent(cursor)}` : "";
    const page = await request.get(`/api/sync/pull${query}`, {
      headers: { Authorization: `Bearer ${token}`, ...PROTOCOL },
    });
    expect(page.ok()).toBeTruthy();
    const body = await page.json();
    records.push(...body.records);
    cursor = body.cursor;
    if (!body.more) return records;
  }
}

export function casesTitled(records: Record[], title: string): Record[] {
  return records.filter((r) => r.record_type === "case" && r.fields.title?.current.value === title);
}

export function notes(record: Record) {
  return record.events.filter((e) => e.kind === "note").map((e) => ({ body: e.data.body, author: e.by }));
}

export function allNotes(records: Record[]) {
  return records.flatMap(notes);
}

/** Pushes changes as another device would, with the current protocol; returns the outcomes. */
export async function pushAs(
  request: APIRequestContext,
  username: string,
  changes: object[],
): Promise<{ status: string; reason?: { zh: string } }[]> {
  const token = await apiToken(request, username);
  const pushed = await request.post("/api/sync/push", {
    headers: { Authorization: `Bearer ${token}`, ...PROTOCOL },
    data: { changes },
  });
  expect(pushed.ok()).toBeTruthy();
  return (await pushed.json()).outcomes;
}

/** A change envelope as a device makes it. */
export function change(recordId: string, op: object, recordType = "case"): object {
  return {
    change_id: randomUUID(),
    device: randomUUID(),
    stamp: { wall_ms: Date.now(), counter: 0 },
    record_type: recordType,
    record_id: recordId,
    ...op,
  };
}

export function noteChange(recordId: string, body: string): object {
  return change(recordId, { op: "append", event: randomUUID(), kind: "note", data: { body } });
}

/**
 * A case of the test's own on the server, created as `username`'s other device would; returns
 * its id. Tests on other workers share the server: a test that writes on a case works on one of
 * its own, never on "the first case in the list" (another test's, which it would change).
 */
export async function caseOfOwn(request: APIRequestContext, title: string, username = DEMO_USER): Promise<string> {
  const id = randomUUID();
  const outcomes = await pushAs(request, username, [
    change(id, {
      op: "create",
      fields: {
        kind: "inquiry",
        title,
        customer_name: "测试客户",
        customer_phone: "13800002222",
        order_number: null,
        status: "open",
      },
    }),
  ]);
  expect(outcomes[0].status).toBe("applied");
  return id;
}

/** Opens the case titled `title` (unique) from the list, found by search once the device has it. */
export async function openCase(page: Page, title: string) {
  await page.getByTestId("nav-cases").click();
  await page.getByTestId("case-search").fill(title);
  const row = page.getByTestId("case-row").filter({ hasText: title });
  await expect(row).toHaveCount(1, { timeout: 15_000 });
  await row.click();
  await expect(page.getByTestId("case-title")).toHaveText(title);
}

export async function signIn(page: Page, username = DEMO_USER, startsOn?: string) {
  await page.goto("/");
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  // Each role starts on its own page: a packer at the station, the desk on the cases (or, when a
  // case is pinned or a handover waits, the shift page, which the caller names).
  const start = startsOn ?? (username === "packer" ? "station" : "case-list");
  await expect(page.getByTestId(start)).toBeVisible({ timeout: 20_000 });
  // The service worker must control the page before the network goes away.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/**
 * Opens one of the header's pages: in line, or under "More" (each role's menu is its own,
 * `src/nav.rs`).
 */
export async function goTo(page: Page, name: string) {
  const link = page.getByTestId(`nav-${name}`);
  if (!(await link.isVisible())) await page.getByTestId("nav-more").click();
  await link.click();
}

/** The page passes an accessibility scan (WCAG 2 A and AA rules). */
export async function expectAccessible(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(results.violations.map((v) => `${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
}

export function waiting(page: Page) {
  return page.getByTestId("waiting-count");
}

/**
 * An image file as a phone camera would give one: `width`×`height` PNG, drawn in the page with
 * many coloured blocks so its JPEG is a few hundred KB (several upload chunks).
 */
export async function cameraShot(page: Page, name: string, width = 2000, height = 1500) {
  const base64 = await page.evaluate(
    ({ width, height }) => {
      const canvas = document.createElement("canvas");
      canvas.width = width;
      canvas.height = height;
      const context = canvas.getContext("2d")!;
      for (let i = 0; i < 6000; i++) {
        context.fillStyle = `hsl(${Math.random() * 360} 70% ${30 + Math.random() * 40}%)`;
        context.fillRect(Math.random() * width, Math.random() * height, 8 + Math.random() * 40, 8 + Math.random() * 40);
      }
      return canvas.toDataURL("image/png").split(",")[1];
    },
    { width, height },
  );
  return { name, mimeType: "image/png", buffer: Buffer.from(base64, "base64") };
}

/** A photo's bytes as `username` is served them through `recordId`, and the status. */
export async function servedPhoto(request: APIRequestContext, username: string, hash: string, recordId: string) {
  const token = await apiToken(request, username);
  const response = await request.get(`/api/photos/${hash}?record=${recordId}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  return { status: response.status(), bytes: response.ok() ? (await response.body()).length : 0 };
}
