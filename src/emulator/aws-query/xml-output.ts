// awsQuery responses and errors as XML, in the services' documented shapes:
// <OpResponse xmlns=...><OpResult>...</OpResult><ResponseMetadata><RequestId/></ResponseMetadata></OpResponse>,
// lists as <member> elements, maps as <entry><key/><value/></entry>, timestamps in ISO 8601.

import { XMLBuilder } from 'fast-xml-parser';

const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_', suppressEmptyNode: false });

export function queryResponseXml(operation: string, output: unknown, requestId: string, xmlNamespace: string): string {
  const result = xmlNodeOf(output);
  const hasResult = typeof result === 'object' && result !== null && Object.keys(result).length > 0;
  return document({
    [`${operation}Response`]: {
      '@_xmlns': xmlNamespace,
      ...(hasResult ? { [`${operation}Result`]: result } : {}),
      ResponseMetadata: { RequestId: requestId },
    },
  });
}

export interface QueryErrorFields {
  readonly type: 'Sender' | 'Receiver';
  readonly code: string;
  readonly message: string;
}

export function queryErrorXml(error: QueryErrorFields, requestId: string, xmlNamespace: string): string {
  return document({
    ErrorResponse: {
      '@_xmlns': xmlNamespace,
      Error: { Type: error.type, Code: error.code, Message: error.message },
      RequestId: requestId,
    },
  });
}

function document(root: Record<string, unknown>): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${builder.build(root) as string}`;
}

function xmlNodeOf(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Map) return value.size === 0 ? '' : { entry: [...value.entries()].map(([key, v]) => ({ key: String(key), value: xmlNodeOf(v) })) };
  if (Array.isArray(value)) return value.length === 0 ? '' : { member: value.map(xmlNodeOf) };
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === undefined ? [] : [[k, xmlNodeOf(v)]])));
  }
  return value;
}
