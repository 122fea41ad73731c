// What RIPE Atlas charges for the results of a measurement, by its published cost model: every
// delivered result costs a unit cost that depends on the type and options; one-off results cost double.
//   ping:  packets x (floor(size / 1500) + 1)   (3 packets of 48 bytes: 3 credits)
//   DNS:   10 over UDP, 20 over TCP
// A recurring measurement delivers one result per probe per interval, so per day:
//   credits/day = unit cost x probes x floor(86,400 / interval)
// This is an upper bound: probes that are down deliver nothing and cost nothing.

export const SECONDS_PER_DAY = 86_400;

export function pingUnitCost(packets: number, sizeBytes: number): number {
  return packets * (Math.floor(sizeBytes / 1500) + 1);
}

export function dnsUnitCost(protocol: 'UDP' | 'TCP'): number {
  return protocol === 'TCP' ? 20 : 10;
}

export function resultsPerProbePerDay(intervalSeconds: number): number {
  return Math.floor(SECONDS_PER_DAY / intervalSeconds);
}

export function dailyCredits(unitCost: number, probes: number, intervalSeconds: number, oneOff = false): number {
  return unitCost * (oneOff ? 2 : 1) * probes * (oneOff ? 1 : resultsPerProbePerDay(intervalSeconds));
}
