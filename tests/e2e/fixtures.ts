// The `test` every spec uses: Playwright's, with a guard that fails a test when the app's
// Content-Security-Policy blocked anything in it (issue 29: the policy must block nothing the
// app needs). Every context of the test is watched, the default one and those a spec makes
// with `browser.newContext`: a blocked script, style, image or connection is reported by the
// page as a `securitypolicyviolation` event and by Chromium as a console error.
import { test as base, expect, type BrowserContext } from "@playwright/test";

export { expect };
export type { APIRequestContext, Browser, BrowserContext, Page, TestInfo } from "@playwright/test";

/** Collects into `found` what the CSP blocks in `context`'s pages from now on. */
export async function watchForCspViolations(context: BrowserContext, found: string[]): Promise<void> {
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`),
    );
  });
  context.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" && /CSP violation|Content Security Policy/.test(text)) {
      found.push(`${message.location().url}: ${text}`);
    }
  });
}

export const test = base.extend<{ cspGuard: void }>({
  cspGuard: [
    async ({ browser, context }, use) => {
      const found: string[] = [];
      await watchForCspViolations(context, found);
      const newContext = browser.newContext.bind(browser);
      browser.newContext = async (...args) => {
        const made = await newContext(...args);
        await watchForCspViolations(made, found);
        return made;
      };
      try {
        await use();
      } finally {
        browser.newContext = newContext;
      }
      expect(found, "blocked by the Content-Security-Policy").toEqual([]);
    },
    { auto: true },
  ],
});
