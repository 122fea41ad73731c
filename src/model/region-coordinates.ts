// Approximate metro coordinates of the commercial AWS Regions (city centres, not data-centre sites).
// Derived from the AWS geofeed and GeoNames (CC BY 4.0); see the README's data attribution.

import type { RegionCode } from '../domain/traffic.js';

export const REGION_COORDINATES: Readonly<Record<RegionCode, { readonly latitude: number; readonly longitude: number }>> = {
  'af-south-1': { latitude: -33.9258, longitude: 18.4232 },
  'ap-east-1': { latitude: 22.2783, longitude: 114.1747 },
  'ap-northeast-1': { latitude: 35.6895, longitude: 139.6917 },
  'ap-northeast-2': { latitude: 37.5660, longitude: 126.9784 },
  'ap-northeast-3': { latitude: 34.6938, longitude: 135.5011 },
  'ap-south-1': { latitude: 19.0728, longitude: 72.8826 },
  'ap-south-2': { latitude: 17.3840, longitude: 78.4564 },
  'ap-southeast-1': { latitude: 1.2897, longitude: 103.8501 },
  'ap-southeast-2': { latitude: -33.8678, longitude: 151.2073 },
  'ap-southeast-3': { latitude: -6.2146, longitude: 106.8451 },
  'ap-southeast-4': { latitude: -37.8140, longitude: 144.9633 },
  'ap-southeast-5': { latitude: 3.1412, longitude: 101.6865 },
  'ap-southeast-7': { latitude: 13.7540, longitude: 100.5014 },
  'ca-central-1': { latitude: 45.5088, longitude: -73.5878 },
  'ca-west-1': { latitude: 51.0501, longitude: -114.0853 },
  'eu-central-1': { latitude: 50.1155, longitude: 8.6842 },
  'eu-central-2': { latitude: 47.3667, longitude: 8.5500 },
  'eu-north-1': { latitude: 59.3294, longitude: 18.0687 },
  'eu-south-1': { latitude: 45.4643, longitude: 9.1895 },
  'eu-south-2': { latitude: 40.4165, longitude: -3.7026 },
  'eu-west-1': { latitude: 53.3331, longitude: -6.2489 },
  'eu-west-2': { latitude: 51.5085, longitude: -0.1257 },
  'eu-west-3': { latitude: 48.8534, longitude: 2.3488 },
  'il-central-1': { latitude: 32.0809, longitude: 34.7806 },
  'me-central-1': { latitude: 25.0772, longitude: 55.3093 },
  'me-south-1': { latitude: 26.2279, longitude: 50.5857 },
  'mx-central-1': { latitude: 20.5881, longitude: -100.3881 },
  'sa-east-1': { latitude: -23.5475, longitude: -46.6361 },
  'us-east-1': { latitude: 39.0437, longitude: -77.4875 },
  'us-east-2': { latitude: 39.9612, longitude: -82.9988 },
  'us-west-1': { latitude: 37.7749, longitude: -122.4194 },
  'us-west-2': { latitude: 45.8404, longitude: -119.2895 },
};
