// What the benchmarks' own API calls do when the server asks them to slow down.

/** Sends a request again while the server answers 429 (each session's sync rate, issue 29),
 * after the wait it names, as the app does. `send` makes one Playwright API request. */
export async function whileRateLimited(send) {
  for (;;) {
    const response = await send();
    if (response.status() !== 429) return response;
    const seconds = Number(response.headers()["retry-after"] ?? 1);
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  }
}
