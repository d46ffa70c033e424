/**
 * Retries `attempt` until it resolves, within `ms`: for waiting on a service that is coming back
 * (a restarted redis-server, a reconnecting client), where no event says "ready". Each attempt is
 * a real operation with its own timeout; between attempts the loop yields to I/O, never sleeps.
 */
export async function eventually<T>(attempt: () => Promise<T>, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      return await attempt();
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`gave up on ${what}`, { cause: error });
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}
