// CloudWatch's input shapes for awsQuery (API version 2010-08-01), for the operations the emulator serves.

import { list, structure, type QueryProtocol } from '../aws-query/shapes.js';

const dimensions = list(structure({ Name: 'string', Value: 'string' }));
const metric = structure({ Namespace: 'string', MetricName: 'string', Dimensions: dimensions });

export const CLOUDWATCH_QUERY_PROTOCOL: QueryProtocol = {
  version: '2010-08-01',
  xmlNamespace: 'http://monitoring.amazonaws.com/doc/2010-08-01/',
  inputs: {
    PutMetricData: structure({
      Namespace: 'string',
      MetricData: list(
        structure({
          MetricName: 'string',
          Dimensions: dimensions,
          Timestamp: 'timestamp',
          Value: 'double',
          StatisticValues: structure({ SampleCount: 'double', Sum: 'double', Minimum: 'double', Maximum: 'double' }),
          Values: list('double'),
          Counts: list('double'),
          Unit: 'string',
          StorageResolution: 'integer',
        }),
      ),
      StrictEntityValidation: 'boolean',
    }),
    GetMetricData: structure({
      MetricDataQueries: list(
        structure({
          Id: 'string',
          MetricStat: structure({ Metric: metric, Period: 'integer', Stat: 'string', Unit: 'string' }),
          Expression: 'string',
          Label: 'string',
          ReturnData: 'boolean',
          Period: 'integer',
          AccountId: 'string',
        }),
      ),
      StartTime: 'timestamp',
      EndTime: 'timestamp',
      NextToken: 'string',
      ScanBy: 'string',
      MaxDatapoints: 'integer',
      LabelOptions: structure({ Timezone: 'string' }),
    }),
    GetMetricStatistics: structure({
      Namespace: 'string',
      MetricName: 'string',
      Dimensions: dimensions,
      StartTime: 'timestamp',
      EndTime: 'timestamp',
      Period: 'integer',
      Statistics: list('string'),
      ExtendedStatistics: list('string'),
      Unit: 'string',
    }),
    ListMetrics: structure({
      Namespace: 'string',
      MetricName: 'string',
      Dimensions: list(structure({ Name: 'string', Value: 'string' })),
      NextToken: 'string',
      RecentlyActive: 'string',
      IncludeLinkedAccounts: 'boolean',
      OwningAccount: 'string',
    }),
  },
};
