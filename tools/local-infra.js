// Finds NATS and PostgreSQL on their default local ports, for `npm start` and `npm test`.
const net = require('node:net');

function reachable(port, host = '127.0.0.1', timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok) => { socket.destroy(); resolve(ok); };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Sets NATS_URL / DATABASE_URL to the local servers when they are not set and the ports answer. */
async function useLocalInfrastructure(database) {
  if (!process.env.NATS_URL && (await reachable(4222))) process.env.NATS_URL = 'nats://127.0.0.1:4222';
  if (!process.env.DATABASE_URL && (await reachable(5432))) {
    process.env.DATABASE_URL = `postgres://postgres@127.0.0.1:5432/${database}`;
  }
}

module.exports = { reachable, useLocalInfrastructure };
