// Whose conventions the DNS decoder follows where a malformed message leaves room for choice.
// `rfc` (the default, used by the collectors) reads what RFC 1035 and RFC 2181 allow and reports the
// first thing they forbid. `ripe-ncc` reproduces RIPE NCC's abuf parser (ripe-atlas-bigquery), so a
// decoding can be compared field for field with the one RIPE publishes. The three places where the
// two differ are marked `ripe-ncc quirk` in dns-names.ts and dns-wire.ts.

export type DnsDialect = 'rfc' | 'ripe-ncc';

export interface DnsDecodeOptions {
  /** Defaults to `rfc`. */
  readonly dialect?: DnsDialect;
}
