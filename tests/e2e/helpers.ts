// Shared steps of the end-to-end tests: signing in, and asking the server what it holds.
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const DEMO_USER = "demo";
export const DEMO_PASSWORD = "kefu-demo-2026";

export type Pulled = {
  cases: { id: string; title: string; owner: string }[];
  notes: { case_id: string; body: string; author: string }[];
};

/** Signs in over the API (not through a page) and returns the session token. */
export async function apiToken(request: APIRequestContext, username = DEMO_USER): Promise<string> {
  const login = await request.post("/api/login", {
    data: { username, password: DEMO_PASSWORD },
  });
  expect(login.ok()).toBeTruthy();
  return (await login.json()).token;
}

export async function serverHolds(request: APIRequestContext): Promise<Pulled> {
  const token = await apiToken(request);
  const pulled: Pulled = { cases: [], notes: [] };
  let since = 0;
  for (;;) {
    const page = await request.get(`/api/sync/pull?since=${since}`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(page.ok()).toBeTruthy();
    const body = await page.json();
    pulled.cases.push(...body.cases);
    pulled.notes.push(...body.notes);
    since = body.cursor;
    if (!body.more) return pulled;
  }
}

export async function signIn(page: Page) {
  await page.goto("/");
  await page.getByTestId("login-username").fill(DEMO_USER);
  await page.getByTestId("login-password").fill(DEMO_PASSWORD);
  await page.getByTestId("login-submit").click();
  await expect(page.getByTestId("case-list")).toBeVisible();
  // The service worker must control the page before the network goes away.
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}
