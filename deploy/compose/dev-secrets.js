#!/usr/bin/env node
// Prints a fresh .env for docker compose: the Ed25519 session key pair (accounts signs, every service
// verifies) and an operator key with its SHA-256. Usage: node deploy/compose/dev-secrets.js > .env
// .env is git-ignored and kept out of images (.dockerignore); never commit it, never reuse it in production.
const { createHash, generateKeyPairSync, randomBytes } = require('node:crypto');

const { publicKey, privateKey } = generateKeyPairSync('ed25519');
const operatorKey = randomBytes(32).toString('base64url');
process.stdout.write([
  `# generated ${new Date().toISOString()} by deploy/compose/dev-secrets.js`,
  `SESSION_PUBLIC_KEY=${publicKey.export({ format: 'der', type: 'spki' }).toString('base64')}`,
  `SESSION_PRIVATE_KEY=${privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64')}`,
  `# the operator key creates accounts: curl -H "Authorization: Bearer $OPERATOR_KEY" ...`,
  `OPERATOR_KEY=${operatorKey}`,
  `OPERATOR_KEY_SHA256=${createHash('sha256').update(operatorKey).digest('hex')}`,
  '',
].join('\n'));
