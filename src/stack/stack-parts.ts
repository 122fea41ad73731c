// The parts of serverless.yml a fleet decides (deploy/fleet.cjs hands them to osls): the function's
// schedules and environment, the role's statements (scoped to the fleet's accelerators, feeds and
// secrets), and the resources the stack owns: the state and lease table, the alarm topic, the queue of
// failed invocations and the alarms. Pure: a fleet in, plain CloudFormation out.

import { parseS3Url } from '../adapters/synthetic/read-s3-feed.js';
import { METRIC, METRICS_NAMESPACE } from '../app/lambda-telemetry.js';
import { RIPE_ATLAS_KEY_PARAMETER_ENV, SLACK_WEBHOOK_PARAMETER_ENV } from '../app/lambda-secrets.js';
import type { Fleet } from './load-fleet.js';

/** osls names the function's resource after the function key `controlCycle`. */
export const FUNCTION_LOGICAL_ID = 'ControlCycleLambdaFunction';
const HEARTBEAT_PERIOD_SECONDS = 300;

type Cfn = Record<string, unknown>;

export interface StackParts {
  /** POWERTOOLS_SERVICE_NAME, and the `service` dimension of every metric and alarm. */
  readonly serviceName: string;
  readonly environment: Record<string, string>;
  readonly events: Cfn[];
  /** One cycle per policy may run at once; each policy's lease keeps its accelerator to one writer. */
  readonly reservedConcurrency: number;
  readonly iamStatements: Cfn[];
  readonly resources: Record<string, Cfn>;
  readonly outputs: Record<string, Cfn>;
}

export function stackParts(fleet: Fleet, stage: string): StackParts {
  const serviceName = `ga-steer-${fleet.name}-${stage}`;
  return {
    serviceName,
    environment: environmentOf(fleet, serviceName),
    events: fleet.policies.map((p) => ({
      schedule: { rate: [p.schedule], method: 'scheduler', timezone: 'UTC', description: `ga-steer cycle of policy ${p.name}`, input: { policy: p.name, ...(p.mode === 'plan' ? { mode: 'plan' } : {}) } },
    })),
    reservedConcurrency: fleet.policies.length,
    iamStatements: iamStatementsOf(fleet),
    resources: resourcesOf(fleet, serviceName),
    outputs: {
      StateTableName: { Description: 'Leases and controller states, one item per accelerator', Value: { Ref: 'StateTable' } },
      AlarmTopicArn: { Description: 'Where the alarms go: subscribe on-call here', Value: { Ref: 'AlarmTopic' } },
      FailedCyclesQueueUrl: { Description: 'Invocations that failed, with their event and error', Value: { Ref: 'FailedCycles' } },
    },
  };
}

function environmentOf(fleet: Fleet, serviceName: string): Record<string, string> {
  const locations = Object.fromEntries(fleet.policies.flatMap((p) => (p.location !== undefined ? [[p.name, p.location]] : [])));
  return {
    GA_STEER_FLEET_POLICIES: fleet.policies.map((p) => p.name).join(','),
    GA_STEER_POLICY_DIR: 'policies',
    // Policies read from S3 on every invocation (lambda-cycle.ts): a change there needs no redeploy.
    ...(Object.keys(locations).length > 0 ? { GA_STEER_POLICY_LOCATIONS: JSON.stringify(locations) } : {}),
    POWERTOOLS_SERVICE_NAME: serviceName,
    POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
    // Parameter names only: the Lambda reads the values from SSM.
    ...(fleet.secrets.slackWebhookParameter !== undefined ? { [SLACK_WEBHOOK_PARAMETER_ENV]: fleet.secrets.slackWebhookParameter } : {}),
    ...(fleet.secrets.ripeAtlasKeyParameter !== undefined ? { [RIPE_ATLAS_KEY_PARAMETER_ENV]: fleet.secrets.ripeAtlasKeyParameter } : {}),
  };
}

function iamStatementsOf(fleet: Fleet): Cfn[] {
  const statements: Cfn[] = [
    {
      Effect: 'Allow',
      Action: ['globalaccelerator:DescribeAccelerator', 'globalaccelerator:ListListeners'],
      Resource: fleet.policies.map((p) => p.policy.accelerator.arn),
    },
    {
      Effect: 'Allow',
      Action: ['globalaccelerator:ListEndpointGroups'],
      Resource: fleet.policies.map((p) => `${p.policy.accelerator.arn}/listener/*`),
    },
    {
      Effect: 'Allow',
      Action: ['globalaccelerator:DescribeEndpointGroup', 'globalaccelerator:UpdateEndpointGroup'],
      Resource: fleet.policies.map((p) => `${p.policy.accelerator.arn}/listener/*/endpoint-group/*`),
    },
    // CloudWatch has no resource-level permissions for these.
    { Effect: 'Allow', Action: ['cloudwatch:GetMetricData', 'cloudwatch:ListMetrics'], Resource: '*' },
    {
      // The store reads its item and changes it only with conditional UpdateItem calls (no PutItem,
      // DeleteItem, Query or Scan), on this table and on the items of the fleet's accelerators only.
      Effect: 'Allow',
      Action: ['dynamodb:GetItem', 'dynamodb:UpdateItem'],
      Resource: { 'Fn::GetAtt': ['StateTable', 'Arn'] },
      Condition: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': fleet.policies.map((p) => p.policy.accelerator.arn) } },
    },
  ];

  // The objects the Lambda reads: S3 feeds, and policies kept in S3.
  const feeds = fleet.policies.flatMap((p) => p.policy.signals.synthetic.map((f) => parseS3Url(f.url)));
  const policyObjects = fleet.policies.map((p) => (p.location !== undefined ? parseS3Url(p.location) : undefined));
  const objects = [...feeds, ...policyObjects].filter((o) => o !== undefined);
  if (objects.length > 0) {
    statements.push({ Effect: 'Allow', Action: ['s3:GetObject'], Resource: unique(objects.map((o) => `arn:aws:s3:::${o.bucket}/${o.key}`)) });
    // Without ListBucket, S3 answers a missing object with 403 AccessDenied instead of 404: a missing
    // feed or policy would read as a permission problem rather than as missing.
    statements.push({ Effect: 'Allow', Action: ['s3:ListBucket'], Resource: unique(objects.map((o) => `arn:aws:s3:::${o.bucket}`)) });
  }

  const parameters = [fleet.secrets.slackWebhookParameter, fleet.secrets.ripeAtlasKeyParameter].filter((p) => p !== undefined);
  if (parameters.length > 0) {
    const arns = parameters.map((name) => join(['arn:', { Ref: 'AWS::Partition' }, ':ssm:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, `:parameter${name}`]));
    statements.push({ Effect: 'Allow', Action: ['ssm:GetParameter'], Resource: arns });
    // SecureStrings decrypt through SSM only, and only these parameters (SSM's encryption context).
    statements.push({
      Effect: 'Allow',
      Action: ['kms:Decrypt'],
      Resource: fleet.secrets.kmsKeyArn ?? '*',
      Condition: {
        StringEquals: { 'kms:ViaService': join(['ssm.', { Ref: 'AWS::Region' }, '.amazonaws.com']) },
        'ForAnyValue:StringEquals': { 'kms:EncryptionContext:PARAMETER_ARN': arns },
      },
    });
  }
  return statements;
}

function resourcesOf(fleet: Fleet, serviceName: string): Record<string, Cfn> {
  const alarmActions = { AlarmActions: [{ Ref: 'AlarmTopic' }], OKActions: [{ Ref: 'AlarmTopic' }] };
  const resources: Record<string, Cfn> = {
    // Lease and controller state, one item per accelerator (key `id`: the accelerator ARN). Kept when
    // the stack is removed: it holds what ga-steer last set, which a redeploy must not forget.
    StateTable: {
      Type: 'AWS::DynamoDB::Table',
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: {
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
      },
    },
    AlarmTopic: { Type: 'AWS::SNS::Topic', Properties: { DisplayName: `${serviceName} alarms` } },
    // Invocations that failed (the scheduler invokes asynchronously): their event and error, 14 days.
    FailedCycles: { Type: 'AWS::SQS::Queue', Properties: { MessageRetentionPeriod: 1_209_600, SqsManagedSseEnabled: true } },
    FailedCyclesAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${serviceName}: a control cycle failed; its event and error are in the FailedCycles queue`,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': ['FailedCycles', 'QueueName'] } }],
        Statistic: 'Maximum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...alarmActions,
      },
    },
    ErrorsAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${serviceName}: the control-cycle function failed in 2 of the last 3 five-minute periods`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: FUNCTION_LOGICAL_ID } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 3,
        DatapointsToAlarm: 2,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...alarmActions,
      },
    },
    ThrottlesAlarm: {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${serviceName}: a control cycle was throttled (reserved concurrency exhausted: a cycle ran past its next schedule)`,
        Namespace: 'AWS/Lambda',
        MetricName: 'Throttles',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: FUNCTION_LOGICAL_ID } }],
        Statistic: 'Sum',
        Period: 300,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        ...alarmActions,
      },
    },
  };
  if (fleet.alarms.email !== undefined) {
    resources.AlarmEmail = { Type: 'AWS::SNS::Subscription', Properties: { TopicArn: { Ref: 'AlarmTopic' }, Protocol: 'email', Endpoint: fleet.alarms.email } };
  }
  for (const p of fleet.policies) {
    const periods = Math.ceil((p.heartbeatMinutes * 60) / HEARTBEAT_PERIOD_SECONDS);
    resources[`Heartbeat${logicalName(p.name)}Alarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmDescription: `${serviceName}: no successful cycle of policy ${p.name} for ${periods * 5} minutes (it runs ${p.schedule})`,
        Namespace: METRICS_NAMESPACE,
        MetricName: METRIC.cycleSucceeded,
        // Exactly the dimensions the Lambda's EMF lines carry (lambda-telemetry.ts).
        Dimensions: [
          { Name: 'service', Value: serviceName },
          { Name: 'Policy', Value: p.name },
        ],
        Statistic: 'Sum',
        Period: HEARTBEAT_PERIOD_SECONDS,
        EvaluationPeriods: periods,
        DatapointsToAlarm: periods,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        // No data is the failure this alarm exists for: a function that never runs emits nothing.
        TreatMissingData: 'breaching',
        ...alarmActions,
      },
    };
  }
  return resources;
}

/** `crazycall-voip` -> `CrazycallVoip`: CloudFormation logical ids are alphanumeric. */
function logicalName(name: string): string {
  return name
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

/**
 * Fn::Join rather than Fn::Sub: osls would read Sub's `${AWS::Region}` in a value it got from a file as
 * one of its own variables.
 */
function join(parts: readonly (string | Cfn)[]): Cfn {
  return { 'Fn::Join': ['', parts] };
}

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}
