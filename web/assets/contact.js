// The contact panel: profile, channels, 360° history, tags, CSAT, merge
// suggestions; export and delete for admins.
import * as api from './api.js';
import { h } from './dom.js';
import { t, language } from './i18n.js';
import { channelOf, time } from './format.js';

export function csatView(csat) {
  if (!csat || csat.rating === undefined || csat.rating === null) return h('p', { class: 'muted', text: t('noCsat') });
  return h('div', { class: 'csat', 'data-rating': csat.rating },
    h('span', { class: 'stars', text: '★'.repeat(csat.rating) + '☆'.repeat(Math.max(0, 5 - csat.rating)) }),
    h('span', { text: ` ${csat.rating}/5` }),
    csat.comment ? h('q', { text: csat.comment }) : null,
    csat.answered_at ? h('small', { text: ` ${time(csat.answered_at)}` }) : null);
}

export function contactPanel(detail, me, inboxChannels, onChanged) {
  const c = detail.conversation;
  const contact = c.contact || {};
  const panel = h('aside', { class: 'contact', id: 'contact-panel' },
    h('h3', { text: t('contact') }),
    h('p', { class: 'contact-name', id: 'contact-name', text: contact.name || c.contact?.name || '' }),
    h('dl', {},
      h('dt', { text: t('phone') }), h('dd', { id: 'contact-phone', text: contact.phone || '—' }),
      h('dt', { text: t('email') }), h('dd', { id: 'contact-email', text: contact.email || '—' })),
    h('h4', { text: t('channels') }),
    h('ul', { class: 'identities' }, ...(contact.identities || []).map((id) => {
      const inbox = id.split(':')[0];
      return h('li', { text: `${channelOf(inboxChannels[inbox]).name} · ${id}` });
    })),
    h('h4', { text: t('tag') }),
    h('p', { text: (c.tags || []).join(', ') || '—' }),
    h('h4', { text: t('csat') }),
    csatView(c.csat),
    h('h4', { text: t('history') }),
    detail.history.length === 0 ? h('p', { class: 'muted', text: t('noHistory') }) : h('ul', { class: 'history', id: 'contact-history' },
      ...detail.history.map((other) => h('li', {},
        h('span', { class: 'channel-icon', text: channelOf(inboxChannels[other.inbox]).icon }),
        h('span', { text: ` ${other.inbox} · ${t('states')[other.state] || other.state} · ${time(other.updated_at)}` }),
        other.csat ? csatView(other.csat) : null,
        h('ul', {}, ...(other.messages || []).slice(-3).map((m) => h('li', { class: `mini ${m.author}`, text: m.text || '' })))))));
  const suggestions = h('div', { id: 'merge-suggestions' });
  panel.append(h('h4', { text: t('mergeSuggestions') }), suggestions);
  api.get(`/contacts/${contact.id || c.contact.id}/merge-suggestions`).then((data) => {
    if (!data.suggestions.length) return suggestions.append(h('p', { class: 'muted', text: '—' }));
    for (const other of data.suggestions) {
      suggestions.append(h('p', {}, `${other.name} ${other.phone} ${other.email} `,
        me.role === 'admin' ? h('button', { type: 'button', text: t('merge'), onclick: async () => {
          await api.post(`/contacts/${c.contact.id}/merge`, { other: other.id });
          onChanged();
        } }) : null));
    }
  }, () => {});
  if (me.role === 'admin') {
    panel.append(h('div', { class: 'admin-actions' },
      h('button', { type: 'button', id: 'contact-export', text: t('export'), onclick: () => exportContact(c.contact.id) }),
      h('button', { type: 'button', class: 'danger', id: 'contact-erase', text: t('erase'), onclick: async () => {
        if (!window.confirm(t('eraseConfirm'))) return;
        await api.call('DELETE', `/contacts/${c.contact.id}`);
        onChanged(true);
      } })));
  }
  panel.lang = language();
  return panel;
}

async function exportContact(id) {
  const data = await api.get(`/contacts/${id}/export`);
  const url = URL.createObjectURL(new Blob([JSON.stringify(data, null, 2)], { type: 'application/json' }));
  const link = h('a', { href: url, download: `contact-${id}.json` });
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}
