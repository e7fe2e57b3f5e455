// What customers write stays text: HTML, scripts, event handlers and
// javascript: links in messages, names and attachments are shown literally
// and nothing runs; the page carries a CSP that forbids inline scripts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, page, screenshot, withHostAndBrowser } from './harness.mjs';

let host;
let chromium;
withHostAndBrowser((h, b) => {
  host = h;
  chromium = b;
});

const NAME = '<img src=x onerror=alert(1)>';
const TEXT = 'gặp nhân viên <script>window.__pwned = 1; alert(2)</script> <b onmouseover=alert(3)>hi</b> javascript:alert(4)';

test('the inbox page is served with the CSP, nosniff and no-referrer headers, and revalidates with its ETag', async () => {
  const res = await fetch(`${host.base}/`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-security-policy'),
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; object-src 'none'; " +
    "base-uri 'none'; frame-ancestors 'none'");
  assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
  const etag = res.headers.get('etag');
  assert.ok(etag);
  const again = await fetch(`${host.base}/`, { headers: { 'If-None-Match': etag } });
  assert.equal(again.status, 304);
  const script = await fetch(`${host.base}/assets/app.js`);
  assert.match(script.headers.get('content-type'), /^text\/javascript/);
  assert.equal((await fetch(`${host.base}/assets/nope.js`)).status, 404);
});

test('a message, name and attachments full of markup are shown literally and nothing executes', async () => {
  await host.send('u-x', TEXT, {
    name: NAME,
    attachments: [
      { type: 'image', url: 'https://example.invalid/photo.png', name: '<svg onload=alert(5)>.png' },
      { type: 'file', url: 'javascript:alert(6)', name: 'click <i>me</i>' },
    ],
  });
  const p = await page(chromium, host);
  await login(p, 'lan');
  const item = p.locator('[data-conversation]', { hasText: NAME });
  await item.waitFor();
  await item.click();
  await p.waitForSelector('#messages [data-author="customer"]');

  const customer = p.locator('#messages [data-author="customer"] .text');
  assert.equal(await customer.textContent(), TEXT);
  assert.equal(await p.locator('#conversation-contact').textContent(), NAME);
  assert.equal(await p.locator('#contact-name').textContent(), NAME);
  // Nothing was turned into elements: no script, no b, no img from the name,
  // no javascript: link; the one image is the http(s) attachment.
  assert.equal(await p.locator('#messages script, #messages b, .summary img, #conversation-title img').count(), 0);
  assert.equal(await p.locator('a[href^="javascript:"]').count(), 0);
  const images = await p.locator('#messages img').evaluateAll((els) => els.map((e) => e.getAttribute('src')));
  assert.deepEqual(images, ['https://example.invalid/photo.png']);
  assert.equal(await p.locator('#messages .attachment', { hasText: 'click <i>me</i>' }).count(), 1);
  await p.hover('#messages [data-author="customer"] .text');
  assert.equal(await p.evaluate(() => window.__pwned), undefined);
  assert.deepEqual(p.dialogs, [], 'no alert ran');
  assert.deepEqual(p.errors, []);
  await screenshot(p, 'safety');
  await p.context().close();
});
