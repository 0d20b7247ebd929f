import { createServer } from 'node:net';

/** A port free on 127.0.0.1 right now (the OS picks it). */
export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });

/** Fails with a clear message when `port` is taken (the local runtime's configurable ports). */
export const assertPortFree = (port: number, what: string): Promise<void> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', () => {
      reject(new Error(`port ${port} (${what}) is already in use: stop what holds it or choose another port`));
    });
    server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
  });
