// What every browser test needs: the real switchboard binary on loopback
// port 0 with a temporary SQLite file and config, a callback stand-in for the
// api channel's partner app, agents seeded with `switchboard agent add`,
// signed webhooks, and headless Debian Chromium through playwright-core.
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const BINARY = process.env.SWITCHBOARD_BINARY;
export const ARTIFACTS = process.env.SWITCHBOARD_WEB_ARTIFACTS || join(tmpdir(), 'switchboard-web-artifacts');
const SECRET = 'browser-test-secret';

// The partner app: records every signed reply the api channel POSTs.
export async function startCallbackStandIn() {
  const received = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => { body += chunk; });
    req.on('end', () => {
      const signature = createHmac('sha256', SECRET).update(body).digest('hex');
      received.push({ path: req.url, body: JSON.parse(body), signed: req.headers['x-switchboard-signature'] === `sha256=${signature}` });
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end('{"ok":true}');
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { received, url: `http://127.0.0.1:${server.address().port}/replies`, close: () => server.close() };
}

export function config(callbackUrl, dataDir) {
  return {
    service: { listen: '127.0.0.1:0', data_dir: dataDir, timezone: 'Asia/Ho_Chi_Minh' },
    inboxes: [{ id: 'web', channel: { plugin: 'api', config: { secret: '${TEST_API_SECRET}', callback_url: callbackUrl } }, pipeline: 'main' }],
    pipelines: {
      main: {
        steps: [
          { plugin: 'handoff', config: { rules: [
            { keywords: ['nhân viên'], department: 'le-tan' },
            { keywords: ['tuyển sinh'], department: 'tuyen-sinh' }] } },
          { plugin: 'reply', config: { text: 'Chào bạn, chúng tôi đã nhận tin nhắn.', once_per_conversation: true } },
        ],
        handoff_queue: 'le-tan',
      },
    },
    departments: [
      { id: 'le-tan', name: 'Lễ tân', assignment: 'manual', sla: { first_response_minutes: 10 }, csat: { enabled: true } },
      { id: 'tuyen-sinh', name: 'Tuyển sinh', assignment: 'manual' },
    ],
    agents: [
      { id: 'lan', name: 'Lan', departments: ['le-tan'], capacity: 5 },
      { id: 'minh', name: 'Minh', departments: ['tuyen-sinh'], capacity: 5 },
      { id: 'admin', name: 'Quản trị', role: 'admin' },
      { id: 'mai', name: 'Mai', departments: ['tuyen-sinh'], role: 'lead' },
    ],
  };
}

export const PASSWORDS = { lan: 'lan-password-1', minh: 'minh-password-1', admin: 'admin-password-1', mai: 'mai-password-1' };

export class Host {
  static async start() {
    const host = new Host();
    host.dir = mkdtempSync(join(tmpdir(), 'switchboard-web-'));
    host.standIn = await startCallbackStandIn();
    host.configFile = join(host.dir, 'switchboard.json');
    writeFileSync(host.configFile, JSON.stringify(config(host.standIn.url, join(host.dir, 'data')), null, 2));
    host.env = { ...process.env, TEST_API_SECRET: SECRET };
    for (const [agent, password] of Object.entries(PASSWORDS)) {
      const added = spawnSync(BINARY, ['agent', 'add', agent, '--config', host.configFile], { input: `${password}\n`, env: host.env });
      if (added.status !== 0) throw new Error(`agent add ${agent}: ${added.stderr}`);
    }
    host.process = spawn(BINARY, ['run', '--config', host.configFile], { env: host.env, stdio: ['ignore', 'ignore', 'pipe'] });
    host.log = '';
    host.port = await new Promise((resolve, reject) => {
      host.process.stderr.on('data', (chunk) => {
        host.log += chunk;
        const port = /listening on 127\.0\.0\.1:(\d+)/.exec(host.log);
        if (port && /ready:/.test(host.log)) resolve(Number(port[1]));
      });
      host.process.on('exit', (code) => reject(new Error(`switchboard run exited with ${code}:\n${host.log}`)));
    });
    host.base = `http://127.0.0.1:${host.port}`;
    return host;
  }

  // A signed message to the api inbox, as the partner app sends it.
  async send(user, text, { name, attachments } = {}) {
    const body = JSON.stringify({ message_id: `m-${Date.now()}-${Math.random()}`, user: { id: user, name }, text, attachments });
    const signature = createHmac('sha256', SECRET).update(body).digest('hex');
    const res = await fetch(`${this.base}/webhooks/web`, {
      method: 'POST', body, headers: { 'Content-Type': 'application/json', 'X-Switchboard-Signature': `sha256=${signature}` },
    });
    if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
  }

  // The agent API as an integration uses it: bearer token in a header.
  async bearer(agent) {
    const res = await fetch(`${this.base}/api/v1/login`, { method: 'POST', body: JSON.stringify({ agent, password: PASSWORDS[agent] }) });
    const { token } = await res.json();
    return (method, path, body) => fetch(`${this.base}/api/v1${path}`, {
      method, headers: { Authorization: `Bearer ${token}` }, body: body === undefined ? undefined : JSON.stringify(body),
    });
  }

  async stop() {
    this.standIn.close();
    if (this.process.exitCode === null) {
      const exited = new Promise((resolve) => this.process.on('exit', resolve));
      this.process.kill('SIGTERM');
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
    // The host's log beside the screenshots, one file per test file.
    writeFileSync(join(ARTIFACTS, `${basename(process.argv[1] || 'browser', '.mjs')}.host.log`), this.log);
  }
}

export async function browser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  // Root in CI containers: Chromium's sandbox needs user namespaces it may not have.
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

// A page that fails its test on any dialog (alert/confirm from injected
// script) unless the test expects one, and on any uncaught page error.
export async function page(b, host) {
  const context = await b.newContext({ baseURL: host.base, viewport: { width: 1440, height: 900 }, locale: 'vi-VN' });
  // A safety net for a loaded machine, not a time limit the tests assert.
  context.setDefaultTimeout(120000);
  const p = await context.newPage();
  p.dialogs = [];
  p.errors = [];
  p.on('dialog', (dialog) => {
    p.dialogs.push(dialog.message());
    dialog.dismiss();
  });
  p.on('pageerror', (error) => p.errors.push(String(error)));
  return p;
}

export async function login(p, agent) {
  await p.goto('/');
  await p.fill('#login-agent', agent);
  await p.fill('#login-password', PASSWORDS[agent]);
  await p.click('#login-submit');
  await p.waitForSelector('#conversation-list');
}

export function screenshot(p, name) {
  return p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

// Waits for a condition the system reaches by itself (a message processed,
// a reply delivered); the test's own timeout is the only limit.
// Polls check() until it returns something truthy; fails the test with
// `what` (a text, or a function giving one) after `ms` instead of hanging
// until ctest's timeout.
export async function until(check, what = 'condition', ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(`gave up after ${ms} ms waiting for: ${typeof what === 'function' ? what() : what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

// One host and one browser for a test file: started before its first test,
// stopped after its last; `use` receives both.
export function withHostAndBrowser(use) {
  let host;
  let chromiumBrowser;
  before(async () => {
    host = await Host.start();
    chromiumBrowser = await browser();
    use(host, chromiumBrowser);
  });
  after(async () => {
    await chromiumBrowser?.close();
    await host?.stop();
  });
}
