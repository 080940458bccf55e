/**
 * An absolute URL's path as the request log shows it: the scheme and host dropped, then everything from the
 * first `?`. It reads as `url.replace(/^[a-z]+:\/\/[^/]+/i, "").split("?")[0]` did, without a regexp or an array:
 * every request is logged.
 */
export function urlPath(url: string): string {
  let start = 0;
  let scheme = 0;
  while (scheme < url.length && isAsciiLetter(url.charCodeAt(scheme))) scheme++;
  if (scheme > 0 && url.startsWith("://", scheme)) {
    const host = scheme + 3;
    const slash = url.indexOf("/", host);
    const end = slash === -1 ? url.length : slash;
    // a host of at least one character: `http:///x` keeps its scheme, as the regexp did
    if (end > host) start = end;
  }
  const query = url.indexOf("?", start);
  return query === -1 ? url.slice(start) : url.slice(start, query);
}

function isAsciiLetter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a);
}
