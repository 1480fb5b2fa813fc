// Service and end-to-end tests wait on real NATS and PostgreSQL: give them room.
jest.setTimeout(60_000);
