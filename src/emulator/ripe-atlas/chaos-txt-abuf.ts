// The DNS wire answer (`abuf`, base64) of a CHAOS TXT `id.server` query, as a probe records it.

import dnsPacket from 'dns-packet';

export function chaosTxtAbuf(id: number, answer: string): { abuf: string; size: number } {
  const wire = dnsPacket.encode({
    type: 'response',
    id,
    flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE,
    questions: [{ type: 'TXT', class: 'CH', name: 'id.server' }],
    answers: [{ type: 'TXT', class: 'CH', name: 'id.server', ttl: 0, data: answer }],
  });
  return { abuf: wire.toString('base64'), size: wire.length };
}
