/**
 * The CloudWatch dashboard body, a pure function of resource names, so the plan shows it and
 * a test can check that every alarmed metric is also on the dashboard.
 */
export interface DashboardInput {
  readonly region: string;
  readonly functionNames: readonly { readonly service: string; readonly physicalName: string }[];
  readonly queueNames: readonly string[];
  readonly dlqNames: readonly string[];
  readonly auditStreamName: string;
  readonly auditSuccessMetric: string;
  readonly apiId?: string;
  readonly namespace: string;
}

type Metric = readonly (string | Readonly<Record<string, unknown>>)[];

interface Widget {
  readonly type: 'metric';
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly properties: Readonly<Record<string, unknown>>;
}

const widget = (
  index: number,
  title: string,
  metrics: readonly Metric[],
  region: string,
  extra: Record<string, unknown> = {},
): Widget => ({
  type: 'metric',
  x: (index % 2) * 12,
  y: Math.floor(index / 2) * 6,
  width: 12,
  height: 6,
  properties: { title, region, view: 'timeSeries', stacked: false, period: 300, metrics, ...extra },
});

export const dashboardBody = (input: DashboardInput): string => {
  const widgets: Widget[] = [];
  const add = (
    title: string,
    metrics: readonly Metric[],
    extra?: Record<string, unknown>,
  ): void => {
    if (metrics.length > 0)
      widgets.push(widget(widgets.length, title, metrics, input.region, extra));
  };
  add('Decision latency (ms)', [
    [
      input.namespace,
      'DecisionLatency',
      'service',
      'transaction-validator',
      { stat: 'p50', label: 'p50' },
    ],
    [
      input.namespace,
      'DecisionLatency',
      'service',
      'transaction-validator',
      { stat: 'p99', label: 'p99' },
    ],
  ]);
  if (input.apiId) {
    add('API requests and errors', [
      ['AWS/ApiGateway', 'Count', 'ApiId', input.apiId, 'Stage', '$default', { stat: 'Sum' }],
      ['AWS/ApiGateway', '4xx', 'ApiId', input.apiId, 'Stage', '$default', { stat: 'Sum' }],
      ['AWS/ApiGateway', '5xx', 'ApiId', input.apiId, 'Stage', '$default', { stat: 'Sum' }],
    ]);
  }
  add(
    'Function errors',
    input.functionNames.map((fn) => [
      'AWS/Lambda',
      'Errors',
      'FunctionName',
      fn.physicalName,
      { stat: 'Sum', label: fn.service },
    ]),
  );
  add(
    'Function duration p99 (ms)',
    input.functionNames.map((fn) => [
      'AWS/Lambda',
      'Duration',
      'FunctionName',
      fn.physicalName,
      { stat: 'p99', label: fn.service },
    ]),
  );
  add(
    'Queue depth',
    input.queueNames.map((name) => [
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      name,
      { stat: 'Maximum' },
    ]),
  );
  add(
    'Dead-letter queues (should be 0)',
    input.dlqNames.map((name) => [
      'AWS/SQS',
      'ApproximateNumberOfMessagesVisible',
      'QueueName',
      name,
      { stat: 'Maximum' },
    ]),
  );
  add('Audit delivery', [
    [
      'AWS/Firehose',
      'IncomingRecords',
      'DeliveryStreamName',
      input.auditStreamName,
      { stat: 'Sum' },
    ],
    [
      'AWS/Firehose',
      input.auditSuccessMetric,
      'DeliveryStreamName',
      input.auditStreamName,
      { stat: 'Average' },
    ],
  ]);
  add(
    'Reconciliation drift',
    [[input.namespace, 'DriftAmount', 'service', 'reconciliation', { stat: 'Maximum' }]],
    { period: 3600 },
  );
  return JSON.stringify({ widgets });
};

export const dashboardUrl = (region: string, name: string): string =>
  `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${name}`;
