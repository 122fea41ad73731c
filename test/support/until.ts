// Polling for an observable condition, for tests of things that happen on their own schedule.

/** Resolves once `ok` holds (checked every 20 ms); rejects after `ms`. */
export async function until(ok: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
