/**
 * Test HTTP clients that behave like good clients: when a server answers 429 they wait as long as its
 * `Retry-After` header says and try again, instead of failing a test because the machine was busy.
 */

/** How long a 429 answer asks to wait, in ms (`Retry-After` seconds; 1 s when missing or unreadable). */
export function retryAfterMs(response: Response): number {
  const seconds = Number(response.headers.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : 1000;
}

/**
 * `fetch` that honours `Retry-After` on 429 (up to `attempts` tries, then returns the last 429).
 * The body must be replayable (a string or undefined), which is what the test clients send.
 */
export async function fetchHonouringRetryAfter(
  url: string,
  init: RequestInit & { body?: string | undefined } = {},
  attempts = 30,
): Promise<Response> {
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, init);
    if (response.status !== 429 || attempt >= attempts) return response;
    const waitMs = retryAfterMs(response);
    await response.arrayBuffer();
    await new Promise((resolve) => setTimeout(resolve, waitMs));
  }
}
