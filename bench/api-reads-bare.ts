/**
 * The bare route of `npm run bench:api-reads`: a Fastify instance with one route,
 * `GET /bench/ping` → `{ ok: true }` (logger off, no plugins, no database), in a process of its
 * own like the API, so both are measured the same way. Listens on 127.0.0.1 and the port in
 * PORT, and writes `listening <port>` on stdout once it does.
 */
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.get('/bench/ping', async () => ({ ok: true }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT ?? 0) });
const address = app.server.address();
console.log(`listening ${typeof address === 'object' && address ? address.port : 0}`);
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
