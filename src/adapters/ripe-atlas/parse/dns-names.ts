// Domain names on the wire (RFC 1035 4.1.4): labels and compression pointers. Every loop here is
// bounded: a name holds at most 255 octets and a decoder follows at most MAX_POINTER_JUMPS pointers,
// so a pointer cycle in a hostile buffer ends in an error, never in a hang.

import type { DnsDialect } from './dns-dialect.js';
import { DnsDecodeError, type DnsSection } from './errors.js';

const MAX_NAME_OCTETS = 255;
// More jumps than labels a valid name can hold (127) means a cycle.
const MAX_POINTER_JUMPS = 128;

export interface DecodedName {
  /** Presentation form, absolute (`hostname.bind.`, root is `.`); see `formatLabel` for escapes. */
  readonly name: string;
  /** Offset just past the name where it was written (after the first pointer, if any). */
  readonly end: number;
}

export function readName(bytes: Uint8Array, start: number, part: DnsSection, dialect: DnsDialect = 'rfc'): DecodedName {
  const labels: string[] = [];
  let pos = start;
  let end = -1;
  let jumps = 0;
  let octets = 1; // the final root label
  for (;;) {
    const len = bytes[pos];
    if (len === undefined) throw new DnsDecodeError('truncated', part, pos, 'name runs past the end of the message');
    if (len === 0) {
      if (end < 0) end = pos + 1;
      break;
    }
    const kind = len & 0xc0;
    if (kind === 0xc0) {
      const low = bytes[pos + 1];
      if (low === undefined) throw new DnsDecodeError('truncated', part, pos, 'compression pointer cut short');
      const target = ((len & 0x3f) << 8) | low;
      if (end < 0) end = pos + 2;
      if (target >= bytes.length) {
        throw new DnsDecodeError('pointer-out-of-range', part, pos, `compression pointer to ${target} beyond the message`);
      }
      if (++jumps > MAX_POINTER_JUMPS) {
        throw new DnsDecodeError('pointer-loop', part, pos, 'compression pointers form a loop');
      }
      // ripe-ncc quirk: RIPE's parser takes the byte a pointer leads to as a label length without
      // checking for another pointer, so a pointer to a pointer reads as a 192+ octet label and fails.
      // RFC 1035 4.1.4 lets a pointer lead to any name, pointers included, so by default we follow it.
      if (dialect === 'ripe-ncc' && ((bytes[target] ?? 0) & 0xc0) === 0xc0) {
        throw new DnsDecodeError('pointer-to-pointer', part, pos, `compression pointer to ${target}, which holds another pointer`);
      }
      pos = target;
      continue;
    }
    if (kind !== 0) {
      throw new DnsDecodeError('bad-label-type', part, pos, `label type 0x${kind.toString(16)} is not supported`);
    }
    if (pos + 1 + len > bytes.length) throw new DnsDecodeError('truncated', part, pos, 'label runs past the end of the message');
    octets += len + 1;
    if (octets > MAX_NAME_OCTETS) throw new DnsDecodeError('name-too-long', part, start, 'name longer than 255 octets');
    const label = bytes.subarray(pos + 1, pos + 1 + len);
    // ripe-ncc quirk: RIPE's parser takes a zero octet inside a label for a wrong length and gives up.
    // RFC 2181 section 11 allows any octet in a label, so by default we keep it (shown as `\000`).
    if (dialect === 'ripe-ncc' && label.includes(0)) {
      throw new DnsDecodeError('zero-octet-in-label', part, pos, 'label holds a zero octet');
    }
    labels.push(formatLabel(label));
    pos += 1 + len;
  }
  return { name: labels.length === 0 ? '.' : `${labels.join('.')}.`, end };
}

/**
 * One label in presentation form: `.` and `\` are backslash-escaped and bytes outside printable
 * ASCII become `\DDD` (RFC 4343), so a name string maps back to exactly one wire name.
 */
export function formatLabel(label: Uint8Array): string {
  let out = '';
  for (const b of label) {
    if (b === 0x2e || b === 0x5c) out += `\\${String.fromCharCode(b)}`;
    else if (b < 0x21 || b > 0x7e) out += `\\${b.toString().padStart(3, '0')}`;
    else out += String.fromCharCode(b);
  }
  return out;
}
