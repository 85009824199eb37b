import { createServer } from 'node:net';
import { MongoReadStore } from './mongo-read-store';

/** A port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('MongoReadStore.connect when MongoDB is not there', () => {
  it('fails within seconds, naming the hosts but not the password', async () => {
    const port = await closedPort();
    const started = Date.now();
    const error = await MongoReadStore.connect(`mongodb://kundportal:s3cret@127.0.0.1:${port}/?replicaSet=rs0`, 'kundportal').then(
      () => null,
      (e: Error) => e,
    );
    const took = Date.now() - started;
    expect(error?.message).toContain(`MONGODB_URI mongodb://127.0.0.1:${port}/`);
    expect(error?.message).not.toContain('s3cret');
    expect(took).toBeLessThan(8_000);
  }, 15_000);
});
