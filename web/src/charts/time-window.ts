/**
 * The chart windows the console offers. Each keeps at most 300 points: the step grows with the
 * window (1 s points for 5 minutes, 12 s points for an hour).
 */
export const WINDOW_MINUTES = [5, 15, 60] as const;
export type WindowMinutes = (typeof WINDOW_MINUTES)[number];

export const CHART_POINTS = 300;

export function windowMs(minutes: WindowMinutes): number {
  return minutes * 60_000;
}

export function stepMs(minutes: WindowMinutes): number {
  return Math.max(1000, Math.ceil(windowMs(minutes) / CHART_POINTS / 1000) * 1000);
}
