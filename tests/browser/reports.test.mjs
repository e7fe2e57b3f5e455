// The reports page draws the API's numbers: every chart value is checked
// against GET /api/v1/reports for the same range; a department lead sees
// their departments' report; agents get no reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { login, page, screenshot, until, withHostAndBrowser } from './harness.mjs';

let host;
let chromium;
withHostAndBrowser((h, b) => {
  host = h;
  chromium = b;
});

test('reports render charts whose numbers match the API, and export CSV', async () => {
  // Two bot-only conversations, two handed off; one of those answered by an agent.
  await host.send('r-1', 'Phòng khám mở cửa mấy giờ?', { name: 'Khách 1' });
  await host.send('r-2', 'Giá khám bao nhiêu?', { name: 'Khách 2' });
  await host.send('r-3', 'Cho gặp nhân viên', { name: 'Khách 3' });
  await host.send('r-4', 'Tư vấn tuyển sinh', { name: 'Khách 4' });
  const admin = await host.bearer('admin');
  const queued = await until(async () => {
    const list = await (await admin('GET', '/conversations?state=queued')).json();
    return list.conversations.length === 2 ? list.conversations : null;
  });
  const lan = await host.bearer('lan');
  const first = queued.find((c) => c.queue === 'le-tan');
  assert.equal((await lan('POST', `/conversations/${first.id}/reply`, { text: 'Dạ em chào anh' })).status, 200);
  await until(async () => (await (await admin('GET', '/reports')).json()).agents.length === 1);
  // Resolved, the customer is asked for a rating and answers 5 stars.
  assert.equal((await lan('POST', `/conversations/${first.id}/resolve`)).status, 200);
  await until(async () => (await (await admin('GET', '/reports')).json()).csat.asked === 1);
  await host.send('r-3', '5 sao, cảm ơn', { name: 'Khách 3' });
  await until(async () => (await (await admin('GET', '/reports')).json()).csat.answered === 1);

  const p = await page(chromium, host);
  await login(p, 'admin');
  await p.click('#nav-reports');
  await p.waitForSelector('#report-per-day svg');
  await p.waitForFunction(() => document.querySelector('#report-from').value !== '');
  const range = { from: await p.inputValue('#report-from'), to: await p.inputValue('#report-to') };
  const api = await p.evaluate(async ({ from, to }) => (await fetch(`/api/v1/reports?from=${from}&to=${to}`)).json(), range);
  await screenshot(p, 'reports');

  assert.equal(api.conversations, 4);
  assert.deepEqual(api.bot_vs_human, { bot_resolved: 2, handed_off: 2 });
  const bars = async (chart) => p.locator(`svg[data-chart="${chart}"] g.bar`).evaluateAll((gs) =>
    gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value')), g.querySelector('.chart-value').textContent]));
  const botVsHuman = await bars('bot-vs-human');
  assert.deepEqual(botVsHuman.map((b) => b[1]), [api.bot_vs_human.bot_resolved, api.bot_vs_human.handed_off]);
  assert.deepEqual(botVsHuman.map((b) => b[2]), ['2', '2']);

  const perDay = await p.locator('svg[data-chart="per-day"] rect[data-day]').evaluateAll((rs) =>
    rs.map((r) => [r.getAttribute('data-day'), Number(r.getAttribute('data-value'))]));
  assert.deepEqual(perDay.map(([day, n]) => `${day}:${n}`).sort(), api.per_day.map((row) => `${row.day}:${row.count}`).sort());
  assert.equal(perDay.reduce((sum, [, n]) => sum + n, 0), 4);

  assert.equal(Number(await p.getAttribute('#kpi-frt-median', 'data-value')), api.first_response.median_ms);
  assert.equal(Number(await p.getAttribute('#kpi-frt-p90', 'data-value')), api.first_response.p90_ms);
  assert.equal(api.first_response.answered, 1);
  assert.equal(Number(await p.getAttribute('#kpi-answered-share', 'data-value')), api.answered_within_24h.share);
  assert.deepEqual([api.answered_within_24h.answered, api.answered_within_24h.total], [1, 2]);

  const departments = await bars('departments');
  for (const d of api.departments) {
    assert.ok(departments.some(([label, n]) => label.startsWith(`${d.queue} ·`) && n === d.handed_off));
  }
  assert.deepEqual(api.departments.map((d) => [d.queue, d.handed_off, d.waiting, d.assigned]),
    [['le-tan', 1, 0, 0], ['tuyen-sinh', 1, 1, 0]]);
  const agents = await bars('agents');
  assert.deepEqual(agents.map(([, n]) => n), api.agents.map((a) => a.replies));
  assert.deepEqual(api.agents, [{ agent: 'lan', replies: 1, conversations: 1 }]);

  assert.deepEqual(api.csat, { asked: 1, answered: 1, average: 5, distribution: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 1 } });
  const csat = await bars('csat');
  assert.deepEqual(csat.map(([, n]) => n), Object.values(api.csat.distribution));

  const csv = await p.evaluate(async (href) => {
    const res = await fetch(href);
    return { type: res.headers.get('content-type'), text: await res.text() };
  }, await p.getAttribute('#report-csv', 'href'));
  assert.match(csv.type, /^text\/csv/);
  assert.ok(csv.text.startsWith('section,key,detail,value\r\n'));
  assert.ok(csv.text.includes('bot_vs_human,handed_off,,2\r\n'));
  assert.ok(csv.text.includes('agents,lan,replies,1\r\n'));
  assert.ok(csv.text.includes('csat,5,,1\r\n'));
  assert.deepEqual(p.dialogs, []);
  assert.deepEqual(p.errors, []);
  await p.context().close();
});

test('agents get neither the reports link nor the reports API', async () => {
  const p = await page(chromium, host);
  await login(p, 'lan');
  assert.equal(await p.locator('#nav-reports').count(), 0);
  assert.equal(await p.evaluate(async () => (await fetch('/api/v1/reports')).status), 403);
  await p.context().close();
});

test('a department lead gets the reports link and only their departments', async () => {
  const p = await page(chromium, host);
  await login(p, 'mai');
  await p.click('#nav-reports');
  await p.waitForSelector('#report-departments svg');
  const api = await p.evaluate(async () => (await fetch('/api/v1/reports')).json());
  assert.deepEqual(api.scope.departments, ['tuyen-sinh']);
  assert.deepEqual(api.departments.map((d) => d.queue), ['tuyen-sinh']);
  assert.equal(api.per_day, undefined);
  assert.equal(await p.locator('#report-per-day').count(), 0);
  assert.match(await p.textContent('#report-scope'), /tuyen-sinh/);
  const labels = await p.locator('svg[data-chart="departments"] g.bar').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-label')));
  assert.ok(labels.length > 0 && labels.every((label) => label.startsWith('tuyen-sinh ·')));
  assert.deepEqual(p.dialogs, []);
  assert.deepEqual(p.errors, []);
  await p.context().close();
});
