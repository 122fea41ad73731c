// The emulated Global Accelerator API (awsJson1_1, target prefix GlobalAccelerator_V20180706): the
// operations ga-steer uses and those a human at the console would, validated as the service does.

import { decodeNextToken, encodeNextToken, MemberChecker, type Input } from '../input-guards.js';
import type { EmulatedService } from '../service.js';
import { ACCELERATOR_ARN, endpointKindOf, ENDPOINT_GROUP_ARN, LISTENER_ARN, regionOfEndpointId } from './arns.js';
import {
  acceleratorNotFound,
  endpointGroupNotFound,
  invalidArgument,
  invalidNextToken,
  limitExceeded,
  listenerNotFound,
  missingMember,
} from './errors.js';
import { defaultClientIpPreservation, type GaEndpoint, type GaEndpointGroup, type GaStore } from './store.js';
import { acceleratorShape, endpointGroupShape, listenerShape } from './wire-shapes.js';

const MAX_ENDPOINTS_PER_GROUP = 10;
const DEFAULT_WEIGHT = 128;
const HEALTH_CHECK_PATH = /^\/[-a-zA-Z0-9@:%_\\+.~#?&/=]*$/;

export class GlobalAcceleratorService implements EmulatedService {
  readonly targetPrefix = 'GlobalAccelerator_V20180706';
  readonly errorNamespace = 'com.amazonaws.globalaccelerator';
  readonly protocol = 'awsJson1_1' as const;
  readonly messageMember = 'Message' as const;
  readonly operations: ReadonlySet<string> = new Set([
    'ListAccelerators',
    'DescribeAccelerator',
    'ListListeners',
    'ListEndpointGroups',
    'DescribeEndpointGroup',
    'UpdateEndpointGroup',
    'AddEndpoints',
    'RemoveEndpoints',
    'ListTagsForResource',
  ]);
  private readonly check = new MemberChecker(invalidArgument, missingMember);

  constructor(readonly store: GaStore) {}

  handle(operation: string, input: Input): unknown {
    this.store.settle();
    switch (operation) {
      case 'ListAccelerators':
        return this.listAccelerators(input);
      case 'DescribeAccelerator':
        return this.describeAccelerator(input);
      case 'ListListeners':
        return this.listListeners(input);
      case 'ListEndpointGroups':
        return this.listEndpointGroups(input);
      case 'DescribeEndpointGroup':
        return { EndpointGroup: endpointGroupShape(this.endpointGroup(input).group) };
      case 'UpdateEndpointGroup':
        return this.updateEndpointGroup(input);
      case 'AddEndpoints':
        return this.addEndpoints(input);
      case 'RemoveEndpoints':
        return this.removeEndpoints(input);
      case 'ListTagsForResource':
        return this.listTags(input);
      default:
        throw invalidArgument(`unsupported operation ${operation}`);
    }
  }

  private page<T>(items: readonly T[], input: Input, scope: string): { items: readonly T[]; nextToken?: string } {
    const max = this.check.integer(input, 'MaxResults', { min: 1, max: 100 }) ?? 10;
    const token = this.check.string(input, 'NextToken', { max: 255 });
    const offset = decodeNextToken(token, scope) ?? 0;
    if (offset < 0 || offset > items.length) throw invalidNextToken();
    const slice = items.slice(offset, offset + max);
    const next = offset + max < items.length ? encodeNextToken(scope, offset + max) : undefined;
    return next !== undefined ? { items: slice, nextToken: next } : { items: slice };
  }

  private listAccelerators(input: Input): unknown {
    const { items, nextToken } = this.page(this.store.accelerators, input, 'accelerators');
    return { Accelerators: items.map((a) => acceleratorShape(this.store, a)), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
  }

  private accelerator(input: Input) {
    const arn = this.check.string(input, 'AcceleratorArn', { required: true, max: 255 });
    if (!ACCELERATOR_ARN.test(arn)) throw invalidArgument(`AcceleratorArn is not a valid accelerator ARN: ${arn}`);
    const accelerator = this.store.findAccelerator(arn);
    if (accelerator === undefined) throw acceleratorNotFound(arn);
    return accelerator;
  }

  private describeAccelerator(input: Input): unknown {
    return { Accelerator: acceleratorShape(this.store, this.accelerator(input)) };
  }

  private listListeners(input: Input): unknown {
    const accelerator = this.accelerator(input);
    const { items, nextToken } = this.page(accelerator.listeners, input, `listeners:${accelerator.arn}`);
    return { Listeners: items.map(listenerShape), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
  }

  private listEndpointGroups(input: Input): unknown {
    const arn = this.check.string(input, 'ListenerArn', { required: true, max: 255 });
    if (!LISTENER_ARN.test(arn)) throw invalidArgument(`ListenerArn is not a valid listener ARN: ${arn}`);
    const found = this.store.findListener(arn);
    if (found === undefined) throw listenerNotFound(arn);
    const { items, nextToken } = this.page(found.listener.endpointGroups, input, `groups:${arn}`);
    return { EndpointGroups: items.map(endpointGroupShape), ...(nextToken !== undefined ? { NextToken: nextToken } : {}) };
  }

  private endpointGroup(input: Input) {
    const arn = this.check.string(input, 'EndpointGroupArn', { required: true, max: 255 });
    if (!ENDPOINT_GROUP_ARN.test(arn)) throw invalidArgument(`EndpointGroupArn is not a valid endpoint group ARN: ${arn}`);
    const found = this.store.findEndpointGroup(arn);
    if (found === undefined) throw endpointGroupNotFound(arn);
    return found;
  }

  /** Parses endpoint configurations; omitted Weight and ClientIPPreservationEnabled take GA's defaults. */
  private endpointConfigurations(group: GaEndpointGroup, configs: readonly Input[], member: string): GaEndpoint[] {
    const seen = new Set<string>();
    return configs.map((c, i) => {
      const at = `${member}[${i}]`;
      const endpointId = this.check.string(c, 'EndpointId', { max: 255 });
      if (endpointId === undefined || endpointId === '') throw invalidArgument(`${at}.EndpointId is required`);
      if (seen.has(endpointId)) throw invalidArgument(`${at}: duplicate endpoint ${endpointId}`);
      seen.add(endpointId);
      const kind = endpointKindOf(endpointId);
      if (kind === 'unknown') throw invalidArgument(`${at}.EndpointId is not an ALB, NLB, EC2 instance or Elastic IP allocation: ${endpointId}`);
      const endpointRegion = regionOfEndpointId(endpointId);
      if (endpointRegion !== undefined && endpointRegion !== group.region) {
        throw invalidArgument(`${at}: endpoint ${endpointId} is in ${endpointRegion}, not in the endpoint group's Region ${group.region}`);
      }
      const weight = this.check.integer(c, 'Weight', { min: 0, max: 255 }) ?? DEFAULT_WEIGHT;
      const requested = this.check.boolean(c, 'ClientIPPreservationEnabled');
      if (requested === false && kind === 'ec2') throw invalidArgument(`${at}: client IP address preservation cannot be disabled for EC2 instance endpoints`);
      if (requested === true && kind === 'eip') throw invalidArgument(`${at}: client IP address preservation is not supported for Elastic IP endpoints`);
      this.check.string(c, 'AttachmentArn', { max: 255 });
      const existing = group.endpoints.find((e) => e.endpointId === endpointId);
      return {
        endpointId,
        weight,
        clientIpPreservation: requested ?? defaultClientIpPreservation(endpointId),
        healthState: existing?.healthState ?? 'INITIAL',
        ...(existing?.healthReason !== undefined ? { healthReason: existing.healthReason } : {}),
      };
    });
  }

  private updateEndpointGroup(input: Input): unknown {
    const { accelerator, group } = this.endpointGroup(input);
    // Validate everything before changing anything: a rejected request changes nothing.
    const configs = this.check.list(input, 'EndpointConfigurations', { max: MAX_ENDPOINTS_PER_GROUP });
    const endpoints = configs !== undefined ? this.endpointConfigurations(group, configs, 'EndpointConfigurations') : undefined;
    const dial = this.check.number(input, 'TrafficDialPercentage', { min: 0, max: 100 });
    const port = this.check.integer(input, 'HealthCheckPort', { min: 1, max: 65535 });
    const protocol = this.check.enumeration(input, 'HealthCheckProtocol', ['TCP', 'HTTP', 'HTTPS'] as const);
    const path = this.check.string(input, 'HealthCheckPath', { max: 255, pattern: HEALTH_CHECK_PATH });
    const interval = this.check.integer(input, 'HealthCheckIntervalSeconds', { min: 10, max: 30 });
    const threshold = this.check.integer(input, 'ThresholdCount', { min: 1, max: 10 });
    const overrides = this.check.list(input, 'PortOverrides', { max: 10 })?.map((p, i) => ({
      listenerPort: this.required(this.check.integer(p, 'ListenerPort', { min: 1, max: 65535 }), `PortOverrides[${i}].ListenerPort`),
      endpointPort: this.required(this.check.integer(p, 'EndpointPort', { min: 1, max: 65535 }), `PortOverrides[${i}].EndpointPort`),
    }));

    // The list replaces the whole set; an omitted list leaves it unchanged.
    if (endpoints !== undefined) group.endpoints = endpoints;
    if (dial !== undefined) group.trafficDialPercent = Math.fround(dial);
    if (port !== undefined) group.healthCheck.port = port;
    if (protocol !== undefined) group.healthCheck.protocol = protocol;
    if (path !== undefined) group.healthCheck.path = path;
    if (interval !== undefined) group.healthCheck.intervalSeconds = interval;
    if (threshold !== undefined) group.healthCheck.thresholdCount = threshold;
    if (overrides !== undefined) group.portOverrides = overrides;
    this.store.touch(accelerator, 'UpdateEndpointGroup', group.arn);
    return { EndpointGroup: endpointGroupShape(group) };
  }

  private required<T>(value: T | undefined, member: string): T {
    if (value === undefined) throw missingMember(member);
    return value;
  }

  private addEndpoints(input: Input): unknown {
    const { accelerator, group } = this.endpointGroup(input);
    const configs = this.check.list(input, 'EndpointConfigurations', { required: true, max: MAX_ENDPOINTS_PER_GROUP }) ?? [];
    const added = this.endpointConfigurations(group, configs, 'EndpointConfigurations');
    for (const e of added) {
      if (group.endpoints.some((x) => x.endpointId === e.endpointId)) throw invalidArgument(`endpoint ${e.endpointId} is already in the endpoint group`);
    }
    if (group.endpoints.length + added.length > MAX_ENDPOINTS_PER_GROUP) {
      throw limitExceeded(`an endpoint group can have at most ${MAX_ENDPOINTS_PER_GROUP} endpoints`);
    }
    group.endpoints.push(...added);
    this.store.touch(accelerator, 'AddEndpoints', group.arn);
    const shape = endpointGroupShape(group);
    return { EndpointGroupArn: group.arn, EndpointDescriptions: (shape.EndpointDescriptions as unknown[]).slice(-added.length) };
  }

  private removeEndpoints(input: Input): unknown {
    const { accelerator, group } = this.endpointGroup(input);
    const ids = this.check.list(input, 'EndpointIdentifiers', { required: true, min: 1, max: 10 }) ?? [];
    const remove = ids.map((x, i) => this.required(this.check.string(x, 'EndpointId', { max: 255 }), `EndpointIdentifiers[${i}].EndpointId`));
    for (const id of remove) {
      if (!group.endpoints.some((e) => e.endpointId === id)) throw invalidArgument(`endpoint ${id} is not in the endpoint group`);
    }
    group.endpoints = group.endpoints.filter((e) => !remove.includes(e.endpointId));
    this.store.touch(accelerator, 'RemoveEndpoints', group.arn);
    return {};
  }

  private listTags(input: Input): unknown {
    const arn = this.check.string(input, 'ResourceArn', { required: true, min: 1, max: 1011 });
    if (ACCELERATOR_ARN.test(arn)) {
      const a = this.store.findAccelerator(arn);
      if (a === undefined) throw acceleratorNotFound(arn);
      return { Tags: a.tags.map((t) => ({ Key: t.key, Value: t.value })) };
    }
    if (LISTENER_ARN.test(arn)) {
      if (this.store.findListener(arn) === undefined) throw listenerNotFound(arn);
      return { Tags: [] };
    }
    if (ENDPOINT_GROUP_ARN.test(arn)) {
      if (this.store.findEndpointGroup(arn) === undefined) throw endpointGroupNotFound(arn);
      return { Tags: [] };
    }
    throw invalidArgument(`ResourceArn is not a Global Accelerator resource ARN: ${arn}`);
  }
}
