import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type { ServiceApp } from '../../src/shared/http/service-app';

/** Listens on 127.0.0.1:0 and returns the base URL. */
export async function listen(app: ServiceApp | Server): Promise<string> {
  if ('express' in app) {
    await app.listen({ port: 0, host: '127.0.0.1' });
    return `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  }
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
}
