#!/usr/bin/env python3
"""Builds examples/snapshots/atlas-experiment-hot.json from public data: the RIPE Atlas probes of the GA
dial experiment (grouped by the country of the nearest GeoNames city), WonderNetwork client->Region RTTs
per country (median over the country's servers), and probe counts as relative demand. Load numbers are
illustrative: eu-central-1 running hot. Reads the repository's data/ (sources in data/*/SOURCES.md); runs from
any directory."""
import csv, json, math, os, statistics, collections, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, 'data')
REGIONS = ['us-east-1', 'us-west-2', 'eu-central-1', 'ap-southeast-1']

def hav(a, b):
    la1, lo1, la2, lo2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371 * math.asin(math.sqrt(h))

cities = [(float(r['latitude']), float(r['longitude']), r['country_code'])
          for r in csv.DictReader(open(f'{DATA}/world/demand/geonames_cities15000_slim.csv')) if int(r['population'] or 0) > 100000]
rtt = collections.defaultdict(list)
for r in csv.DictReader(open(f'{DATA}/world/latency/derived_wondernetwork_client_to_aws_region_rtt.csv')):
    if r['region'] in REGIONS and r['rtt_avg_ms']:
        rtt[(r['client_country_code'], r['region'])].append(float(r['rtt_avg_ms']))

probes = list(csv.DictReader(open(f'{DATA}/ga-dial-experiment/ripe-atlas-22698168-before.csv')))
groups = collections.defaultdict(lambda: {'n': 0, 'landed': collections.Counter()})
for p in probes:
    loc = (float(p['lat']), float(p['lon']))
    cc = min(cities, key=lambda c: hav(loc, (c[0], c[1])))[2]
    groups[cc]['n'] += 1
    groups[cc]['landed'][p['region']] += 1

acc = 'arn:aws:globalaccelerator::123456789012:accelerator/9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d'
lst = acc + '/listener/0d53f1a2'
lbs = {'us-east-1': 'dns-use1/0a1b2c3d4e5f6a7b', 'us-west-2': 'dns-usw2/1b2c3d4e5f6a7b8c', 'eu-central-1': 'dns-euc1/2c3d4e5f6a7b8c9d', 'ap-southeast-1': 'dns-apse1/3d4e5f6a7b8c9d0e'}
gids = {'us-east-1': '6f1d2e3c4b5a', 'us-west-2': '7a2e3f4d5c6b', 'eu-central-1': '8b3f4a5e6d7c', 'ap-southeast-1': '9c4a5b6f7e8d'}
def group(r):
    return {'arn': f'{lst}/endpoint-group/{gids[r]}', 'region': r, 'trafficDialPercent': 100,
            'healthCheck': {'protocol': 'TCP', 'port': 53, 'intervalSeconds': 10, 'thresholdCount': 3},
            'endpoints': [{'endpointId': f'arn:aws:elasticloadbalancing:{r}:123456789012:loadbalancer/net/{lbs[r]}', 'weight': 128, 'healthState': 'HEALTHY', 'clientIpPreservation': False}]}
load = {'us-east-1': 21000, 'us-west-2': 9000, 'eu-central-1': 44000, 'ap-southeast-1': 6000}
snap = {'snapshotVersion': 1, 'takenAt': '2026-11-22T12:00:00Z',
        'accelerators': [{'arn': acc, 'name': 'atlas-experiment', 'status': 'DEPLOYED', 'enabled': True, 'observedAt': '2026-11-22T11:59:40Z',
                          'listeners': [{'arn': lst, 'protocol': 'UDP', 'portRanges': [{'fromPort': 53, 'toPort': 53}], 'clientAffinity': 'NONE',
                                         'endpointGroups': [group(r) for r in REGIONS]}]}],
        'load': [{'region': r, 'signal': 'new-flows', 'value': v, 'periodSeconds': 60, 'observedAt': '2026-11-22T11:58:00Z', 'source': 'cloudwatch'} for r, v in load.items()],
        'latency': [], 'landing': [], 'demand': [], 'clientGroups': []}
for cc, g in sorted(groups.items()):
    if not all((cc, r) in rtt for r in REGIONS):
        continue
    for r in REGIONS:
        v = sorted(rtt[(cc, r)])
        p50 = statistics.median(v)
        snap['latency'].append({'clientGroup': cc, 'region': r, 'p50Ms': round(p50, 1), 'p90Ms': round(v[int(0.9 * (len(v) - 1))], 1),
                                'p95Ms': round(v[-1], 1), 'lossPercent': 0, 'sampleCount': len(v), 'vantageCount': len(v),
                                'observedAt': '2026-11-22T11:30:00Z', 'source': 'recorded'})
    total = sum(g['landed'].values())
    snap['landing'].append({'clientGroup': cc, 'shares': {r: round(n / total, 4) for r, n in g['landed'].items()}, 'sampleCount': total,
                            'unmatchedCount': 0, 'observedAt': '2026-11-22T11:30:00Z', 'source': 'ripe-atlas'})
    snap['demand'].append({'clientGroup': cc, 'value': g['n'], 'unit': 'probes', 'observedAt': '2026-11-22T11:58:00Z', 'source': 'recorded'})
    snap['clientGroups'].append({'id': cc, 'countryCode': cc})
json.dump(snap, open(os.path.join(ROOT, 'examples/snapshots/atlas-experiment-hot.json'), 'w'), indent=1)
print(len(snap['clientGroups']), 'client groups', file=sys.stderr)
