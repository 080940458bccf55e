// Every request stamps its id, its key's last use and its log line with the time: each formatted once per
// millisecond. An invalid date (NaN) never matches, so it is formatted (or refused by toISOString) every time.
let isoAt = Number.NaN;
let isoText = "";
let base36At = Number.NaN;
let base36Text = "";

/** `now.toISOString()`. */
export function isoString(now: Date): string {
  const time = now.getTime();
  if (time !== isoAt) {
    isoText = now.toISOString();
    isoAt = time;
  }
  return isoText;
}

/** `now.getTime().toString(36)`. */
export function base36Time(now: Date): string {
  const time = now.getTime();
  if (time !== base36At) {
    base36Text = time.toString(36);
    base36At = time;
  }
  return base36Text;
}
