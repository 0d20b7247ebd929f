import { mkdirSync } from 'node:fs';
import S3rver from 's3rver';

export interface LocalS3 {
  readonly endpoint: string;
  readonly server: S3rver;
  stop(): Promise<void>;
}

/** s3rver on 127.0.0.1:`port`, objects stored under `directory`, buckets created up front. */
export const startS3 = async (options: { port: number; directory: string; buckets?: readonly string[] }): Promise<LocalS3> => {
  mkdirSync(options.directory, { recursive: true });
  const server = new S3rver({
    port: options.port,
    address: '127.0.0.1',
    silent: true,
    directory: options.directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  await server.run();
  return {
    endpoint: `http://127.0.0.1:${options.port}`,
    server,
    stop: () => server.close(),
  };
};
