// Feed locations as they may be shown: query strings and user info replaced, fragments dropped. Used for
// every message, so a token passed as ?token=... or https://user:pass@... never reaches a log.

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export function redactLocation(location: string): string {
  const scheme = SCHEME.exec(location)?.[0];
  if (scheme === undefined) return location;
  const beforeFragment = location.split('#', 1)[0] ?? '';
  const query = beforeFragment.includes('?') ? '?[redacted]' : '';
  let url: URL | undefined;
  try {
    url = new URL(location);
  } catch {
    url = undefined;
  }
  if (url !== undefined) {
    const userInfo = url.username !== '' || url.password !== '' ? '[redacted]@' : '';
    return `${url.protocol}//${userInfo}${url.host}${url.pathname}${query}`;
  }
  // Unparseable: cut by hand at the characters that could start a secret part.
  const rest = beforeFragment.slice(scheme.length).split('?', 1)[0] ?? '';
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash);
  const at = authority.lastIndexOf('@');
  return `${scheme}${at === -1 ? authority : `[redacted]@${authority.slice(at + 1)}`}${path}${query}`;
}
