#!/usr/bin/env node
// `npm start`: installs if needed, builds, starts all six services against NATS and PostgreSQL on their
// default local ports (creating the database; each service creates its schema and streams), then plays a
// demo conversation and prints the lead and the notification it produced. Ctrl-C stops everything.
const { execSync, spawn } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { createHash, generateKeyPairSync, randomBytes, randomUUID } = require('node:crypto');

const root = path.resolve(__dirname, '..');
const SERVICES = [
  ['accounts', 3001], ['ingestion', 3002], ['extraction', 3003], ['identity', 3004], ['leads', 3005], ['notifications', 3006],
];
const children = [];

function say(text) {
  process.stdout.write(`\x1b[36m[leadline]\x1b[0m ${text}\n`);
}

// Credentials for this run (libs/platform/README.md): the Ed25519 key pair accounts signs session tokens with
// (kept in tmp/ so tokens survive a restart; SESSION_PUBLIC_KEY / SESSION_PRIVATE_KEY in the environment win),
// and a fresh operator key, the one credential that may create accounts.
function credentials() {
  const file = path.join(root, 'tmp', 'session-keys.json');
  let keys;
  if (process.env.SESSION_PUBLIC_KEY && process.env.SESSION_PRIVATE_KEY) {
    keys = { publicKey: process.env.SESSION_PUBLIC_KEY, privateKey: process.env.SESSION_PRIVATE_KEY };
  } else if (fs.existsSync(file)) {
    keys = JSON.parse(fs.readFileSync(file, 'utf8'));
  } else {
    const pair = generateKeyPairSync('ed25519');
    keys = {
      publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
      privateKey: pair.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    };
    fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  }
  const operatorKey = process.env.OPERATOR_KEY ?? `op_${randomBytes(24).toString('base64url')}`;
  return { ...keys, operatorKey, operatorKeySha256: createHash('sha256').update(operatorKey).digest('hex') };
}
let creds;

async function http(method, url, body, bearer) {
  const response = await fetch(url, {
    method,
    headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

async function until(what, check, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch { /* not up yet */ }
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function prepare() {
  if (!fs.existsSync(path.join(root, 'node_modules', '.package-lock.json'))) {
    say('installing dependencies (npm ci)');
    execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  }
  const { useLocalInfrastructure } = require('./local-infra');
  await useLocalInfrastructure('leadline');
  if (!process.env.NATS_URL || !process.env.DATABASE_URL) {
    throw new Error('NATS (127.0.0.1:4222, JetStream on) and PostgreSQL (127.0.0.1:5432) must run, or set NATS_URL and DATABASE_URL; `docker compose up -d nats postgres` starts both');
  }
  say('building');
  execSync(`${process.execPath} tools/build.js services libs`, { cwd: root, stdio: 'inherit' });
  require('reflect-metadata');
  const { ensureDatabaseExists } = require(path.join(root, 'dist/libs/persistence/src'));
  await ensureDatabaseExists(process.env.DATABASE_URL);
}

function startServices() {
  for (const [name, port] of SERVICES) {
    const child = spawn(process.execPath, [path.join(root, `dist/services/${name}/src/main.js`)], {
      cwd: root,
      env: {
        ...process.env, PORT: String(port), IDLE_SCAN_INTERVAL_MS: process.env.IDLE_SCAN_INTERVAL_MS ?? '500',
        SESSION_PUBLIC_KEY: creds.publicKey, ...(name === 'accounts' ? { SESSION_PRIVATE_KEY: creds.privateKey, OPERATOR_KEY_SHA256: creds.operatorKeySha256 } : {}),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const log = fs.createWriteStream(path.join(root, `tmp/${name}.log`), { flags: 'a' });
    child.stdout.pipe(log);
    child.stderr.pipe(log);
    child.stderr.on('data', (chunk) => { if (/Invalid configuration|Error/.test(chunk)) process.stderr.write(`${name}: ${chunk}`); });
    child.on('exit', (code) => { if (!stopping) say(`${name} exited with code ${code}; see tmp/${name}.log`); });
    children.push(child);
  }
}

async function demo() {
  const base = (name) => `http://127.0.0.1:${SERVICES.find(([n]) => n === name)[1]}`;
  const widgetKey = `demo-${Date.now().toString(36)}`;
  say('creating the demo account "Green Gardens" with a web chat widget and Ann (admin)');
  const account = await http('POST', `${base('accounts')}/v1/accounts`, {
    name: 'Green Gardens', domain: 'greengardens.example', idleWindowSeconds: 3,
    channels: [{ kind: 'webchat', address: widgetKey }],
    members: [{ email: 'ann@greengardens.example', name: 'Ann', role: 'admin', salesperson: true }],
  }, creds.operatorKey);
  if (account.status !== 201) throw new Error(`account not created: ${JSON.stringify(account.body)}`);
  // The account's first API key, shown this once; the other services learn its hash from accounts' events.
  const apiKey = account.body.apiKey.key;
  const deviceId = randomUUID();
  const visitor = async (clientMessageId, text) => {
    say(`visitor: ${text}`);
    return until('ingestion to know the widget', async () => {
      const r = await http('POST', `${base('ingestion')}/v1/webchat/messages`, { widgetKey, deviceId, clientMessageId, text });
      return r.status === 202 ? r.body : undefined;
    });
  };
  const { conversationId } = await visitor('m1', "Hi, I'm John Smith. I'd like a quote for landscaping my backyard, about 500 sq ft.");
  const aiText = 'Happy to help! What is the best way to reach you?';
  say(`ai: ${aiText}`);
  await until('ingestion to know the API key', async () => {
    const r = await http('POST', `${base('ingestion')}/v1/conversations/${conversationId}/replies`, { author: 'ai', clientMessageId: 'm2', text: aiText }, apiKey);
    return r.status === 401 ? undefined : r;
  });
  await visitor('m3', 'My email is john@email.com, please call me in the afternoon at 555-123-4567.');
  say('the visitor goes quiet; after the 3 s idle window the pipeline runs...');
  const notification = await until('the New Lead notification', async () => {
    const r = await http('GET', `${base('notifications')}/v1/notifications`, undefined, apiKey);
    return Array.isArray(r.body) ? r.body.find((n) => n.kind === 'new_lead') : undefined;
  });
  const lead = await until('the lead', async () => {
    const r = await http('GET', `${base('leads')}/v1/leads`, undefined, apiKey);
    if (r.status !== 200) say(`leads answered ${r.status}: ${JSON.stringify(r.body)}`);
    return r.status === 200 && r.body.length > 0 ? r.body[0] : undefined;
  }, 15_000);
  say('lead:');
  process.stdout.write(`${JSON.stringify({
    id: lead.id, status: lead.status, score: lead.score, contact: lead.displayName, emails: lead.contact.emails,
    phones: lead.contact.phones, summary: lead.summary, conversation: lead.conversationUrl,
  }, null, 2)}\n`);
  say('notification:');
  process.stdout.write(`${JSON.stringify({ to: 'Ann', title: notification.title, summary: notification.body.summary, link: notification.body.conversationUrl }, null, 2)}\n`);
  const ann = account.body.members[0];
  const session = await http('POST', `${base('accounts')}/v1/sessions`, { memberId: ann.id }, apiKey);
  say(`Ann's session token (8 h): ${session.body.token}`);
  say(`all services keep running (ports 3001-3006, logs in tmp/); try: curl -H 'authorization: Bearer ${apiKey}' http://127.0.0.1:3005/v1/leads`);
  say(`operator key for this run (creates accounts): ${creds.operatorKey}`);
  say('press Ctrl-C to stop');
}

let stopping = false;
function stop() {
  if (stopping) return;
  stopping = true;
  say('stopping services');
  for (const child of children) child.kill('SIGTERM');
  setTimeout(() => process.exit(0), 10_000).unref();
  Promise.all(children.map((c) => new Promise((resolve) => (c.exitCode !== null ? resolve() : c.on('exit', resolve))))).then(() => process.exit(0));
}

async function main() {
  fs.mkdirSync(path.join(root, 'tmp'), { recursive: true });
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  await prepare();
  creds = credentials();
  say('starting accounts, ingestion, extraction, identity, leads, notifications');
  startServices();
  for (const [name, port] of SERVICES) {
    await until(`${name} to be ready`, async () => ((await fetch(`http://127.0.0.1:${port}/health/ready`)).ok ? true : undefined));
  }
  say('all services ready');
  if (process.env.LEADLINE_DEMO !== 'off') await demo();
}

main().catch((error) => {
  process.stderr.write(`npm start failed: ${error.message}\n`);
  stop();
  process.exitCode = 1;
});
