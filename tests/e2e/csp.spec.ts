// The Content-Security-Policy at work (issue 29): in the app's page, a script put in as markup
// (what a cross-site scripting hole would do with a customer's text), a script from another
// origin and a style attribute are all refused, while the app itself runs. In a browser of its
// own, as the fixture's guard fails any test in which the policy blocks something.
import { chromium } from "@playwright/test";
import { expect, test } from "./fixtures";
import { DEMO_PASSWORD } from "./helpers";

test("the page refuses scripts and styles it did not ship, and the app runs", async ({}, testInfo) => {
  const browser = await chromium.launch(testInfo.project.use.launchOptions ?? {});
  try {
    const context = await browser.newContext({ baseURL: testInfo.project.use.baseURL });
    const page = await context.newPage();
    await page.goto("/");
    await expect(page.getByTestId("login-username")).toBeVisible();
    const outcome = await page.evaluate(async () => {
      const refused: string[] = [];
      document.addEventListener("securitypolicyviolation", (event) => refused.push(event.violatedDirective));
      const inline = document.createElement("script");
      inline.textContent = "window.injected = true";
      document.head.append(inline);
      const foreign = document.createElement("script");
      foreign.src = "http://localhost:9/evil.js";
      document.head.append(foreign);
      const styled = document.createElement("div");
      styled.innerHTML = '<p style="color: red">x</p>';
      document.body.append(styled);
      // Violation events are queued: give them a moment to arrive.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return {
        injected: (window as unknown as { injected?: boolean }).injected ?? false,
        color: getComputedStyle(styled.querySelector("p")!).color,
        refused: [...new Set(refused)].sort(),
      };
    });
    expect(outcome.injected).toBe(false);
    expect(outcome.color).not.toBe("rgb(255, 0, 0)");
    expect(outcome.refused).toEqual(["script-src-elem", "style-src-attr"]);
    // The app's own scripts, wasm and styles ran: the form is styled and signs in.
    await page.getByTestId("login-username").fill("demo");
    await page.getByTestId("login-password").fill(DEMO_PASSWORD);
    await page.getByTestId("login-submit").click();
    await expect(page.getByTestId("case-list")).toBeVisible();
  } finally {
    await browser.close();
  }
});
