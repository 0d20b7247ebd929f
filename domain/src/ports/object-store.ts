/** Where an object lives in the object store (S3 in AWS, s3rver locally). */
export interface ObjectLocation {
  readonly bucket: string;
  readonly key: string;
}

/** An object opened for reading: its bytes arrive as a stream, never as one buffer. */
export interface OpenedObject {
  readonly body: AsyncIterable<Uint8Array>;
  /** Size in bytes, when the store says. */
  readonly size?: number;
  /** The entity tag of the version read, without quotes, when the store says. */
  readonly etag?: string;
}

export interface ObjectSource {
  /** Opens the object for streaming, or resolves `null` when it does not exist (deleted since its event). */
  open(location: ObjectLocation): Promise<OpenedObject | null>;
}

/**
 * An object written piece by piece, so a large report is never held whole. Nothing is visible
 * until `complete` resolves; `abort` discards what was written.
 */
export interface ObjectUpload {
  /** Resolves when the piece is accepted; waiting on it is the backpressure. */
  write(text: string): Promise<void>;
  complete(): Promise<void>;
  abort(): Promise<void>;
}

export interface ObjectWriter {
  put(location: ObjectLocation, body: string, contentType: string): Promise<void>;
  open(location: ObjectLocation, contentType: string): ObjectUpload;
  /** Removes the object; removing one that does not exist is not an error. */
  remove(location: ObjectLocation): Promise<void>;
}
