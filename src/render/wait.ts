/** What `dbkit wait` prints once the database answers (pure). */
export function renderWait(display: string, seconds: number, attempts: number): string {
  return `${display}: accepting connections (after ${seconds.toFixed(1)} s, ${attempts} attempt${attempts === 1 ? '' : 's'})`;
}
