/**
 * Where audit records go: Firehose's PutRecordBatch in AWS, gzip files under `.data/` locally.
 * Records are whole lines (newline-delimited JSON); the result has one outcome per record, in
 * order, so a caller can fail exactly the records that did not land.
 */
export type PutRecordOutcome =
  | { readonly ok: true }
  | { readonly ok: false; readonly errorCode: string; readonly errorMessage: string };

export interface RecordBatchWriter {
  putRecords(records: readonly string[]): Promise<PutRecordOutcome[]>;
}
