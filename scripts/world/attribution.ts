// Sources and licences of the inputs, as stated in data/world/SOURCES.md.

import type { Attribution } from '../../src/sim/world/world-schema.js';
import { WORLD_SOURCE_FILES as F } from './read-sources.js';

const WONDERNETWORK =
  'WonderProxy/WonderNetwork "A day in the life of the Internet" (https://wonderproxy.com/blog/a-day-in-the-life-of-the-internet/), ' +
  'pings 2020-07-19 to 2020-07-20, republished by GitHub sm86/geo-latency-data @ 0ab28d0ede3ecef2c528a88c4a43eae5614ef840';
const WONDERNETWORK_LICENSE = 'None stated; WonderProxy published it "to share". Attribute WonderProxy.';

export const WORLD_ATTRIBUTION: readonly Attribution[] = [
  {
    file: `world/${F.wnServers}`,
    source: `${WONDERNETWORK} (servers-2020-07-19.csv; country_code added from GeoNames names)`,
    license: WONDERNETWORK_LICENSE,
    usedFor: 'measured client metros: name, country, coordinates',
  },
  {
    file: `world/${F.clientRegionRtts}`,
    source: `Derived for this project from ${WONDERNETWORK}: median RTT per server pair, client server to each Region's nearest server`,
    license: WONDERNETWORK_LICENSE,
    usedFor: 'metro to Region RTT (public internet, 2020)',
  },
  {
    file: `world/${F.regionProxies}`,
    source: 'Derived for this project: the WonderNetwork servers nearest each AWS Region city (haversine)',
    license: WONDERNETWORK_LICENSE,
    usedFor: 'which server stands in for each Region',
  },
  {
    file: `world/${F.interRegion}`,
    source:
      'cloudping.co API /api/latencies?percentile=p_50&timeframe=1Y, captured 2025-05-29, saved by GitHub oaustegard/oaustegard.github.io @ fc319dc885ff80f59be93d69c23346d657a7c538',
    license: 'None stated by cloudping.co or its repository (the snapshot repository is Apache-2.0). Attribute cloudping.co.',
    usedFor: 'inter-Region RTT over the AWS backbone',
  },
  {
    file: `world/${F.awsRegions}`,
    source:
      'Derived for this project: region list from aws/aws-sdk-js-v3 partitions.json @ 685ff5d03588f81121c6fa9466771cd444492209 (Apache-2.0), ' +
      'city from ipregistry/aws-regions-location @ 9f0d7311cb392e07ed838dfc72d065166bd7cb92 (MIT, AWS geofeed), coordinates and time zone from GeoNames cities15000 (CC BY 4.0)',
    license: 'Apache-2.0 (AWS SDK), MIT (ipregistry), CC BY 4.0 (GeoNames)',
    usedFor: 'Region list, names, city coordinates, time zones',
  },
  {
    file: `world/${F.edges}`,
    source: 'GitHub tobilg/aws-edge-locations @ 401febff3b8c0104057433ae9b122d09aab44cb1 (CloudFront PoP list, airport coordinates)',
    license: 'MIT',
    usedFor: 'edge locations (CloudFront PoPs; Global Accelerator uses a subset)',
  },
  {
    file: `world/${F.cities}`,
    source: 'GeoNames cities15000 via GitHub ali-hv/geobank-data @ 9917a9229aaa03a170bdd27e808d033dbf5998db (column subset)',
    license: 'CC BY 4.0 (GeoNames)',
    usedFor: 'placing metros, splitting a country’s demand across its metros by population, time zones',
  },
  {
    file: `world/${F.countryInfo}`,
    source: 'GeoNames countryInfo.txt via GitHub ali-hv/geobank-data @ ce5dd05b5585471ff55b1545dfdb872c4be70e13',
    license: 'CC BY 4.0 (GeoNames)',
    usedFor: 'country names, ISO codes, continents, fallback population',
  },
  {
    file: `world/${F.population}`,
    source: 'World Bank WDI SP.POP.TOTL via GitHub datasets/population @ 425fc447a53a26c767a15a7de60c4cc2478a0595',
    license: 'ODC-PDDL-1.0 (data package); World Bank data CC BY 4.0',
    usedFor: 'population per country (latest year)',
  },
  {
    file: `world/${F.internetShare}`,
    source:
      'Our World in Data, share of individuals using the internet (ITU via World Bank WDI IT.NET.USER.ZS), exported in GitHub Youssif-Alashry/Individuals-using-the-internet-dashboard @ 9db16e18430bbec2a606b2cc51e0c07a30ddbe07',
    license: 'CC BY 4.0 (OWID; underlying ITU/World Bank data CC BY 4.0)',
    usedFor: 'internet users per country (latest year)',
  },
];
