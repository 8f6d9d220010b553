// Budgets and spend histories count per UTC calendar day, so a test that runs a session for hours on the virtual
// clock must not start near midnight: started at 22:30 the spend lands in two days and "today" shows a fraction.
const DAY_MS = 86_400_000;

/** 01:00 UTC of the current wall-clock day: a sandbox `startAt` that leaves 23 virtual hours before the day turns. */
export function oneAmTodayUtc(now = Date.now()): number {
  return now - (now % DAY_MS) + 3_600_000;
}
