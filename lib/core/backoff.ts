/** Exponential back-off with jitter: base, 2×base, 4×base … plus up to 25 %. */
export function backoffDelay(attempt: number, baseMs: number): number {
  const delay = baseMs * 2 ** Math.max(0, attempt - 1);
  return Math.round(delay + Math.random() * delay * 0.25);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));
}
