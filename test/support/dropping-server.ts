// A local TCP server that drops every connection it accepts: an API that is down, on a port the test
// holds. A closed port would do too, but while a test's cycles run, another test's server can be given
// that port and answer them; holding it also keeps it free for the real server to come back on.

import { createServer, type AddressInfo } from 'node:net';

export interface DroppingServer {
  readonly port: number;
  close(): Promise<void>;
}

/** On `port` (it must be free), or on a port of the system's choice. */
export async function startDroppingServer(port = 0): Promise<DroppingServer> {
  const server = createServer((socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err === undefined ? resolve() : reject(err)))),
  };
}
