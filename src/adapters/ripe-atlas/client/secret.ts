// Keeps the API key out of anything the client reports. Servers and proxies may echo the
// Authorization header back in an error body, so server text is scrubbed before it is stored.

const REDACTED = '[redacted]';

export function redactSecret(text: string, secret: string | undefined): string {
  if (secret === undefined || secret.length === 0) return text;
  return text.split(secret).join(REDACTED);
}

/** The first `max` characters of a server text, scrubbed of the secret and of control characters. */
export function excerptOf(text: string, secret: string | undefined, max = 300): string {
  // Scrub before cutting, so a key straddling the cut cannot leave a readable half.
  const clean = redactSecret(text, secret).replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}
