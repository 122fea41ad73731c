// The RIPE Atlas REST API client: what other parts of the project import.

export { AtlasClient, type LatestResultsOptions, type MeasurementRequest, type ProbeQuery, type StreamResultsOptions } from './atlas-client.js';
export { ATLAS_DEFAULTS, type AtlasClientConfig } from './config.js';
export * from './errors.js';
export type { AtlasMeasurement } from './measurement-meta.js';
export type { AtlasProbe } from './probe.js';
export * from './incremental-cursor.js';
