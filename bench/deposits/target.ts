/** What the parent tells a measuring process, and what it prints back. */
export type MeasureMode = 'csv-parse' | 'parse-validate' | 'dynamodb-bare' | 'ingest';

export const TARGET_ENV = 'BENCH_DEPOSITS_TARGET';

export interface BenchTarget {
  readonly file: string;
  readonly region: string;
  readonly dynamoEndpoint: string;
  readonly dynamoCredentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly tablePrefix: string;
  readonly databaseUrl: string;
  readonly s3Endpoint: string;
  readonly bucket: string;
  readonly key: string;
  readonly concurrency: number;
  readonly batchItems: number;
}

export interface Measurement {
  readonly mode: MeasureMode;
  readonly wallMs: number;
  /** CPU time of the measuring process alone (user + system): what other processes cannot inflate. */
  readonly cpuMs: number;
  readonly rows: number;
  readonly maxRssMb: number;
  readonly detail: string;
}
