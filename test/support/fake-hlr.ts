// A stand-in HLR provisioning gateway, run as its own process:
//   node test/support/fake-hlr.ts RECORD.jsonl
// prints `listening PORT` once ready. Every POST /barrings is appended to the
// record as {key, msisdn, acted}: `acted` is true the first time a key is seen
// (the barring is done), false for a repeat (answered as the first time, not
// done again). Now and then it fails as real gateways do: a 503 before acting,
// or acting and then dropping the connection before the answer (the caller
// cannot tell the two apart and must repeat with the same key).
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const record = process.argv[2];
if (!record) throw new Error('usage: fake-hlr.ts RECORD.jsonl');
const acted = new Set<string>();
if (existsSync(record)) {
  for (const line of readFileSync(record, 'utf8').split('\n')) if (line) acted.add((JSON.parse(line) as { key: string }).key);
}
const failRate = Number(process.env.FAKE_HLR_FAIL_RATE ?? 0.05);

const server = createServer((request, response) => {
  let body = '';
  request.on('data', (chunk: Buffer) => (body += chunk.toString()));
  request.on('end', () => {
    const key = request.headers['idempotency-key'];
    if (request.method !== 'POST' || request.url !== '/barrings' || typeof key !== 'string') {
      response.writeHead(400).end('a POST /barrings with an Idempotency-Key');
      return;
    }
    const { msisdn } = JSON.parse(body) as { msisdn: string };
    if (Math.random() < failRate) {
      response.writeHead(503).end('busy');
      return;
    }
    const first = !acted.has(key);
    acted.add(key);
    appendFileSync(record, `${JSON.stringify({ key, msisdn, acted: first })}\n`);
    if (Math.random() < failRate) {
      request.socket.destroy(); // done, but the answer is lost
      return;
    }
    setTimeout(() => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ barred: true, repeat: !first })), Math.random() * 5);
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`listening ${typeof address === 'object' && address ? address.port : 0}\n`);
});
