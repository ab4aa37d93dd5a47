// Where to go after signing in. The `next` of a sign-in link is honoured only when it is a path on
// our own origin, so a crafted link cannot send a freshly signed-in person to another site.

const isControl = (char: string) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f;

/** `next` if it is a same-origin path ("/..."), otherwise `fallback`. */
export function safeNextPath(next: string | null | undefined, origin: string, fallback = "/"): string {
  if (!next || !next.startsWith("/") || next.startsWith("//")) return fallback;
  // Browsers read "\" as "/" and drop tabs and newlines, which turns "/\evil" into "//evil".
  if (next.includes("\\") || [...next].some(isControl)) return fallback;
  let url: URL;
  try {
    url = new URL(next, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== new URL(origin).origin) return fallback;
  return url.pathname + url.search + url.hash;
}
