/**
 * Where a run is, for a progress bar. While gathering, `done` counts the records read from
 * every store and `total` is an estimate (Aurora's row counts, assumed the same in DynamoDB), so
 * `done` may pass it when the stores disagree.
 */
export type ReconcileProgress =
  | { readonly phase: 'gathering'; readonly done: number; readonly total: number }
  | { readonly phase: 'comparing' }
  | { readonly phase: 'reporting' }
  | { readonly phase: 'repairing'; readonly done: number; readonly total: number }
  | { readonly phase: 'done' };

export type ProgressListener = (progress: ReconcileProgress) => void;
