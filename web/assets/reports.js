// The reports page: one GET /api/v1/reports for a date range, drawn as SVG
// charts whose numbers are the JSON's; CSV from the same endpoint.
import * as api from './api.js';
import { h, replace } from './dom.js';
import { t } from './i18n.js';
import { barChart, stackedColumns } from './chart.js';
import { channelOf, duration } from './format.js';

export class Reports {
  constructor(root) {
    this.root = root;
    this.from = '';  // first load: the server's default range (its time zone's last 7 days)
    this.to = '';
  }

  open() {
    const from = h('input', { type: 'date', id: 'report-from', value: this.from });
    const to = h('input', { type: 'date', id: 'report-to', value: this.to });
    this.csv = h('a', { id: 'report-csv', class: 'button', text: t('csv') });
    const form = h('form', { class: 'range', id: 'report-range' }, h('label', {}, t('from'), from), h('label', {}, t('to'), to),
      h('button', { type: 'submit', id: 'report-apply', text: t('apply') }), this.csv);
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.from = from.value;
      this.to = to.value;
      this.load();
    });
    this.fromInput = from;
    this.toInput = to;
    this.body = h('div', { class: 'report-grid', id: 'report-grid' });
    replace(this.root, form, this.body);
    return this.load();
  }

  close() {}

  async load() {
    const range = this.from && this.to ? `from=${encodeURIComponent(this.from)}&to=${encodeURIComponent(this.to)}` : '';
    let r;
    try {
      r = await api.get(`/reports?${range}`);
    } catch (e) {
      return replace(this.body, h('p', { class: 'error', text: e.status === 403 ? t('adminsOnly') : e.message }));
    }
    this.fromInput.value = this.from = r.from;
    this.toInput.value = this.to = r.to;
    this.csv.setAttribute('href', `/api/v1/reports?from=${r.from}&to=${r.to}&format=csv`);
    this.csv.setAttribute('download', `switchboard-report-${r.from}-${r.to}.csv`);
    // A lead's report covers their departments: the desk-wide sections are
    // left out by the server (r.scope.omitted) and so are their cards.
    const whole = !r.scope || r.scope.kind !== 'departments';
    const scope = whole ? null
      : h('p', { class: 'muted scope', id: 'report-scope', text: `${t('scopeDepartments')} ${r.scope.departments.join(', ')}` });
    replace(this.body, scope,
      whole ? card('per-day', t('perDay'), this.perDay(r)) : null,
      card('first-response', t('firstResponse'), h('div', { class: 'kpis' },
        kpi('frt-median', t('median'), duration(r.first_response.median_ms), r.first_response.median_ms),
        kpi('frt-p90', t('p90'), duration(r.first_response.p90_ms), r.first_response.p90_ms),
        h('p', { class: 'muted', text: `${r.first_response.answered} ${t('conversations')} · ${t('wallClock')}` }))),
      card('within-24h', t('within24h'), h('div', { class: 'kpis' },
        kpi('answered-share', t('within24h'), `${Math.round(r.answered_within_24h.share * 100)} %`, r.answered_within_24h.share),
        h('p', { class: 'muted', text: `${r.answered_within_24h.answered}/${r.answered_within_24h.total} · ${t('benchmark')} ${Math.round(r.answered_within_24h.benchmark * 100)} %` }))),
      whole ? card('bot-vs-human', t('botVsHuman'), barChart([
        { label: t('botResolved'), value: r.bot_vs_human.bot_resolved },
        { label: t('handedOff'), value: r.bot_vs_human.handed_off, series: 2 }], { id: 'bot-vs-human' })) : null,
      whole ? card('top-intents', t('topIntents'), list(r.top_intents, 'top-intents')) : null,
      whole ? card('faq-misses', t('faqMisses'), list(r.faq_misses, 'faq-misses')) : null,
      card('departments', t('departments'), barChart(r.departments.flatMap((d) => [
        { label: `${d.queue} · ${t('handedOffShort')}`, value: d.handed_off },
        { label: `${d.queue} · ${t('waitingShort')}`, value: d.waiting, series: 2 },
        { label: `${d.queue} · ${t('assignedShort')}`, value: d.assigned, series: 1 }]), { id: 'departments' })),
      card('agents', t('agents'), barChart(r.agents.map((a) => ({ label: `${a.agent} · ${t('replies')}`, value: a.replies })),
        { id: 'agents' })),
      card('csat', t('csatDistribution'), r.csat && r.csat.distribution
        ? barChart(Object.entries(r.csat.distribution).map(([rating, n]) => ({ label: `${rating} ★`, value: n })), { id: 'csat' })
        : h('p', { class: 'muted', text: t('noData') })),
      card('breaches', t('breaches'), list(r.sla_breaches.map((b) => ({ name: `${b.queue} · ${b.kind}`, count: b.count })), 'breaches')));
  }

  perDay(r) {
    const days = [...new Set(r.per_day.map((row) => row.day))].sort();
    const series = [...new Set(r.per_day.map((row) => `${channelOf(row.channel).name} · ${row.inbox}`))];
    const value = (day, s) => r.per_day.filter((row) => row.day === day && `${channelOf(row.channel).name} · ${row.inbox}` === s)
      .reduce((sum, row) => sum + row.count, 0);
    if (!days.length) return h('p', { class: 'muted', text: t('noData') });
    return stackedColumns(days, series, value, { id: 'per-day' });
  }
}

function card(id, title, content) {
  return h('section', { class: 'card', id: `report-${id}` }, h('h3', { text: title }), content);
}

function kpi(id, label, text, value) {
  return h('div', { class: 'kpi', id: `kpi-${id}`, 'data-value': value }, h('span', { class: 'kpi-value', text }), h('span', { class: 'muted', text: label }));
}

function list(items, id) {
  if (!items.length) return h('p', { class: 'muted', text: t('noData') });
  return barChart(items.map((i) => ({ label: i.name, value: i.count })), { id });
}
