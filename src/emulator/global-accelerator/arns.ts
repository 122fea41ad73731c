// ARN shapes of Global Accelerator resources. The region field is empty: GA is a global service.

export const ACCELERATOR_ARN = /^arn:aws:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+$/;
export const LISTENER_ARN = /^arn:aws:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+\/listener\/[A-Za-z0-9-]+$/;
export const ENDPOINT_GROUP_ARN =
  /^arn:aws:globalaccelerator::\d{12}:accelerator\/[A-Za-z0-9-]+\/listener\/[A-Za-z0-9-]+\/endpoint-group\/[A-Za-z0-9-]+$/;

/** The accelerator ARN an listener or endpoint-group ARN belongs to. */
export function acceleratorArnOf(arn: string): string {
  const i = arn.indexOf('/listener/');
  return i < 0 ? arn : arn.slice(0, i);
}

export function listenerArnOf(endpointGroupArn: string): string {
  const i = endpointGroupArn.indexOf('/endpoint-group/');
  return i < 0 ? endpointGroupArn : endpointGroupArn.slice(0, i);
}

/** The Region an endpoint id names, when the id is a Region-scoped ARN (ALB/NLB). */
export function regionOfEndpointId(endpointId: string): string | undefined {
  const m = /^arn:aws:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\//.exec(endpointId);
  return m?.[1];
}

export type EndpointKind = 'alb' | 'nlb' | 'ec2' | 'eip' | 'unknown';

export function endpointKindOf(endpointId: string): EndpointKind {
  if (/:loadbalancer\/app\//.test(endpointId)) return 'alb';
  if (/:loadbalancer\/net\//.test(endpointId)) return 'nlb';
  if (/^i-[0-9a-f]{8,17}$/.test(endpointId)) return 'ec2';
  if (/^eipalloc-[0-9a-f]{8,17}$/.test(endpointId)) return 'eip';
  return 'unknown';
}
