// The inbox: queues and filters (left), conversations (middle), the open
// conversation with its reply box (right) and the contact panel. Live through
// the SSE stream; every customer-written string is rendered as text.
import * as api from './api.js';
import { h, replace, safeUrl } from './dom.js';
import { t } from './i18n.js';
import { channelOf, duration, sendWindowText, slaState, time } from './format.js';
import { contactPanel, csatView } from './contact.js';

export class Inbox {
  constructor(root, me, onUnread) {
    this.root = root;
    this.me = me;
    this.onUnread = onUnread;
    this.filter = { view: 'all', queue: '', inbox: '', tag: '', priority: '' };
    this.queues = [];
    this.agents = [];
    this.inboxChannels = {};
    this.canned = [];
    this.openId = null;
    this.seen = new Map();  // conversation id -> updated_at last looked at
    this.unread = new Set();
    this.notify = localStorage.getItem('sb.notify') === '1';
  }

  async open() {
    this.left = h('section', { class: 'filters', id: 'filters' });
    this.middle = h('section', { class: 'list', id: 'conversation-list' });
    this.right = h('section', { class: 'conversation', id: 'conversation' }, h('p', { class: 'muted', text: t('pick') }));
    this.contact = h('section', { class: 'contact-column', id: 'contact-column' });
    replace(this.root, this.left, this.middle, this.right, this.contact);
    const [queues, agents, inboxes, canned] = await Promise.all([
      api.get('/queues'), api.get('/agents'), api.optional('/inboxes'), api.optional('/canned_responses')]);
    this.queues = queues.queues;
    this.agents = agents.agents;
    for (const inbox of inboxes ? inboxes.inboxes : []) this.inboxChannels[inbox.id] = inbox.channel;
    this.canned = Array.isArray(canned) ? canned : (canned && canned.canned_responses) || [];
    this.renderFilters();
    await this.refreshList();
    this.source = api.events((type, event) => this.onEvent(type, event));
    this.clock = setInterval(() => this.renderList(), 30000);  // waiting times and SLA states age
  }

  close() {
    this.source?.close();
    clearInterval(this.clock);
  }

  renderFilters() {
    const view = (id, label) => h('button', { type: 'button', class: this.filter.view === id && !this.filter.queue ? 'active' : '',
      'data-view': id, id: `view-${id}`, text: label, onclick: () => this.setFilter({ view: id, queue: '' }) });
    const inboxSelect = h('select', { id: 'filter-inbox', 'aria-label': t('channel') },
      h('option', { value: '', text: t('anyChannel') }),
      ...Object.entries(this.inboxChannels).map(([id, ch]) => h('option', { value: id, selected: this.filter.inbox === id,
        text: `${channelOf(ch).name} · ${id}` })));
    inboxSelect.addEventListener('change', () => this.setFilter({ inbox: inboxSelect.value }));
    const prioritySelect = h('select', { id: 'filter-priority', 'aria-label': t('priority') },
      h('option', { value: '', text: t('anyPriority') }),
      ...t('priorities').map((name, i) => h('option', { value: String(i), selected: this.filter.priority === String(i), text: name })));
    prioritySelect.addEventListener('change', () => this.setFilter({ priority: prioritySelect.value }));
    const tagInput = h('input', { id: 'filter-tag', placeholder: t('tag'), value: this.filter.tag });
    tagInput.addEventListener('change', () => this.setFilter({ tag: tagInput.value.trim() }));
    const notify = h('input', { type: 'checkbox', id: 'notify-toggle', checked: this.notify });
    notify.addEventListener('change', () => {
      this.notify = notify.checked;
      localStorage.setItem('sb.notify', this.notify ? '1' : '0');
      if (this.notify && 'Notification' in window && Notification.permission === 'default') Notification.requestPermission();
    });
    replace(this.left,
      h('nav', { class: 'views' }, view('mine', t('mine')), view('unassigned', t('unassigned')), view('all', t('all')),
        view('resolved', t('resolved'))),
      h('h4', { text: t('queues') }),
      h('ul', { class: 'queues', id: 'queue-list' }, ...this.queues.map((q) => h('li', {},
        h('button', { type: 'button', class: this.filter.queue === q.id ? 'active' : '', 'data-queue': q.id,
          onclick: () => this.setFilter({ queue: q.id }) }, q.name, h('span', { class: 'count', text: q.waiting })))) ),
      h('h4', { text: t('filters') }), inboxSelect, tagInput, prioritySelect,
      h('label', { class: 'notify' }, notify, t('notifications')));
  }

  setFilter(change) {
    Object.assign(this.filter, change);
    this.renderFilters();
    this.refreshList();
  }

  query() {
    const p = new URLSearchParams();
    const f = this.filter;
    if (f.queue) p.set('queue', f.queue);
    else if (f.view === 'mine') p.set('assignee', 'me');
    else if (f.view === 'unassigned') p.set('state', 'queued');
    else if (f.view === 'resolved') p.set('state', 'resolved');
    if (f.inbox) p.set('inbox', f.inbox);
    if (f.tag) p.set('tag', f.tag);
    p.set('limit', '100');
    return p.toString();
  }

  // Only live events make conversations unread; what a filter change or an
  // own action brings into view counts as seen.
  async refreshList(fromEvent = false) {
    const [data, queues] = await Promise.all([api.get(`/conversations?${this.query()}`), api.get('/queues')]);
    this.queues = queues.queues;
    for (const q of this.queues) {
      const count = this.left.querySelector(`button[data-queue="${CSS.escape(q.id)}"] .count`);
      if (count) count.textContent = String(q.waiting);
    }
    let list = data.conversations;
    if (this.filter.view !== 'resolved' && !this.filter.queue && this.filter.view !== 'unassigned') {
      list = list.filter((c) => this.filter.view === 'mine' || c.state !== 'resolved');
    }
    if (this.filter.priority !== '') list = list.filter((c) => String(c.priority) === this.filter.priority);
    for (const c of list) {
      const before = this.seen.get(c.id);
      const changed = before === undefined || c.updated_at > before;
      if (fromEvent && changed && c.id !== this.openId) this.unread.add(c.id);
      else if (!fromEvent && before === undefined) this.seen.set(c.id, c.updated_at);
    }
    this.conversations = list;
    this.onUnread(this.unread.size);
    this.renderList();
  }

  renderList() {
    if (!this.conversations) return;
    if (!this.conversations.length) return replace(this.middle, h('p', { class: 'muted', id: 'empty-list', text: t('noConversations') }));
    const now = Date.now();
    replace(this.middle, h('ul', {}, ...this.conversations.map((c) => {
      const queue = this.queues.find((q) => q.id === c.queue);
      const sla = slaState(c, queue, now);
      const ch = channelOf(this.inboxChannels[c.inbox]);
      return h('li', { class: `item${c.id === this.openId ? ' open' : ''}${this.unread.has(c.id) ? ' unread' : ''}`,
        'data-conversation': c.id, 'data-queue': c.queue || '', 'data-state': c.state,
        onclick: () => this.openConversation(c.id) },
        h('span', { class: 'channel-icon', title: ch.name, text: ch.icon }),
        h('div', { class: 'summary' },
          h('div', { class: 'line' },
            h('strong', { class: 'name', text: c.contact.name || `#${c.contact.id}` }),
            h('span', { class: `state state-${c.state}`, text: t('states')[c.state] || c.state })),
          h('div', { class: 'last', text: c.last_message || '' }),
          h('div', { class: 'meta' },
            c.queue ? h('span', { text: queue ? queue.name : c.queue }) : null,
            c.assignee ? h('span', { text: `→ ${c.assignee}` }) : null,
            h('span', { class: 'wait', text: `${t('waiting')} ${duration(now - (c.queued_at || c.last_inbound_at || c.updated_at))}` }),
            sla ? h('span', { class: `sla sla-${sla}`, 'data-sla': sla,
              text: t(sla === 'ok' ? 'slaOk' : sla === 'soon' ? 'slaSoon' : 'slaBreached') }) : null,
            c.priority >= 2 ? h('span', { class: 'priority', text: t('priorities')[c.priority] }) : null)));
    })));
  }

  async openConversation(id, keepDraft = false) {
    if (this.openId !== id) this.replyMode = 'reply';  // reply or note; kept across live re-renders
    this.openId = id;
    this.unread.delete(id);
    this.onUnread(this.unread.size);
    this.renderList();
    let detail;
    try {
      detail = await api.get(`/conversations/${id}`);
    } catch (e) {
      replace(this.contact);
      return replace(this.right, h('p', { class: 'error', id: 'conversation-error', text: e.status === 403 ? t('forbidden') : `${t('error')}: ${e.message}` }));
    }
    if (this.openId !== id) return;
    this.seen.set(id, detail.conversation.updated_at);
    if (detail.conversation.send_window) this.inboxChannels[detail.conversation.inbox] ??= detail.conversation.send_window.channel;
    // A live update must not eat what the agent is typing.
    const inputs = ['reply-text', 'tag-input'];
    const drafts = keepDraft ? inputs.map((id) => document.getElementById(id)?.value || '') : [];
    const focused = keepDraft ? document.activeElement?.id : '';
    this.renderConversation(detail);
    drafts.forEach((value, i) => { if (value) document.getElementById(inputs[i]).value = value; });
    if (inputs.includes(focused)) document.getElementById(focused).focus();
    replace(this.contact, contactPanel(detail, this.me, this.inboxChannels, (erased) => {
      if (erased) this.openId = null;
      this.refreshList();
      if (!erased) this.openConversation(id);
      else { replace(this.right, h('p', { class: 'muted', text: t('pick') })); replace(this.contact); }
    }));
  }

  renderConversation(detail) {
    const c = detail.conversation;
    const ch = channelOf(this.inboxChannels[c.inbox]);
    const messages = h('ol', { class: 'messages', id: 'messages' }, ...detail.messages.map((m) => this.messageView(m, ch)));
    replace(this.right,
      h('header', { class: 'conversation-head' },
        h('h2', { id: 'conversation-title' }, h('span', { class: 'channel-icon', text: ch.icon }), ' ',
          h('span', { id: 'conversation-contact', text: c.contact.name || `#${c.contact.id}` })),
        h('div', { class: 'facts' },
          h('span', { id: 'conversation-state', 'data-state': c.state, text: `${t('state')}: ${t('states')[c.state] || c.state}` }),
          h('span', { id: 'conversation-assignee', text: `${t('assignee')}: ${c.assignee || t('nobody')}` }),
          this.prioritySelect(c),
          this.tagEditor(c)),
        this.actions(c),
        c.csat ? h('div', { class: 'conversation-csat', id: 'conversation-csat' }, h('span', { text: `${t('csat')}: ` }), csatView(c.csat)) : null),
      messages,
      this.replyBox(c));
    messages.scrollTop = messages.scrollHeight;
  }

  messageView(m, ch) {
    const kind = m.direction === 'note' ? 'note' : m.author;
    const label = kind === 'note' ? `${t('note')} · ${m.author}` : t(kind) || kind;
    return h('li', { class: `message ${kind}`, 'data-author': kind, 'data-message': m.id },
      h('div', { class: 'who' }, h('span', { text: label }), h('span', { class: 'muted', text: ` · ${ch.name} · ${time(m.created_at)}` }),
        m.status && m.direction === 'out' ? h('span', { class: `status status-${m.status}`, text: ` · ${m.status}` }) : null),
      h('div', { class: 'text', text: m.text || '' }),
      ...(m.attachments || []).map((a) => this.attachmentView(a)));
  }

  attachmentView(a) {
    const url = safeUrl(a.url || a.payload?.url || '');
    const name = a.name || a.filename || a.title || t('attachment');
    const isImage = (a.type || '').startsWith('image') || /\.(png|jpe?g|gif|webp)(\?|$)/i.test(url || '');
    if (url && isImage) return h('figure', { class: 'attachment' }, h('img', { src: url, alt: name, loading: 'lazy' }), h('figcaption', { text: name }));
    if (url) return h('a', { class: 'attachment', href: url, target: '_blank', rel: 'noopener noreferrer', text: name });
    return h('span', { class: 'attachment', text: `${name} ${a.url || ''}` });
  }

  prioritySelect(c) {
    const select = h('select', { id: 'conversation-priority', 'aria-label': t('priority') },
      ...t('priorities').map((name, i) => h('option', { value: String(i), selected: c.priority === i, text: name })));
    select.addEventListener('change', () => this.act(c.id, 'priority', { priority: Number(select.value) }));
    return select;
  }

  tagEditor(c) {
    const input = h('input', { id: 'tag-input', placeholder: t('addTag'), size: 10 });
    input.addEventListener('keydown', (e) => {
      if (e.key !== 'Enter' || !input.value.trim()) return;
      this.act(c.id, 'tags', { tag: input.value.trim() });
    });
    return h('span', { class: 'tags', id: 'conversation-tags' },
      ...(c.tags || []).map((tag) => h('span', { class: 'tag', 'data-tag': tag }, tag,
        h('button', { type: 'button', class: 'link', 'aria-label': `remove ${tag}`, text: '×',
          onclick: () => this.run(api.call('DELETE', `/conversations/${c.id}/tags/${encodeURIComponent(tag)}`), c.id) }))),
      input);
  }

  actions(c) {
    const queue = c.queue || '';
    const agentSelect = h('select', { id: 'assign-agent', 'aria-label': t('assign') },
      h('option', { value: '', text: `${t('assign')}…` }),
      ...this.agents.filter((a) => !queue || a.departments.includes(queue))
        .map((a) => h('option', { value: a.id, text: `${a.name} (${a.load}/${a.capacity})` })));
    agentSelect.addEventListener('change', () => agentSelect.value && this.act(c.id, 'assign', { agent: agentSelect.value }));
    const queueSelect = h('select', { id: 'transfer-queue', 'aria-label': t('transfer') },
      h('option', { value: '', text: `${t('transfer')}…` }),
      ...this.queues.filter((q) => q.id !== queue).map((q) => h('option', { value: q.id, text: q.name })));
    queueSelect.addEventListener('change', () => queueSelect.value && this.act(c.id, 'assign', { queue: queueSelect.value }));
    const button = (id, label, path, body = {}) => h('button', { type: 'button', id, text: label, onclick: () => this.act(c.id, path, body) });
    const open = c.state !== 'resolved';
    return h('div', { class: 'actions' },
      open && c.assignee !== this.me.id ? button('action-claim', t('claim'), 'claim') : null,
      open ? agentSelect : null, open ? queueSelect : null,
      open ? button('action-resolve', t('resolve'), 'resolve') : button('action-reopen', t('reopen'), 'reopen'),
      open ? button('action-snooze', t('snooze'), 'snooze', { until: Date.now() + 3600000 }) : null,
      c.controller === 'human' ? button('action-bot', t('returnToBot'), 'return-to-bot') : null);
  }

  replyBox(c) {
    const text = h('textarea', { id: 'reply-text', rows: 3 });
    const windowLine = h('p', { class: `send-window${c.send_window && !c.send_window.allowed ? ' closed' : ''}`,
      id: 'send-window', text: sendWindowText(c.send_window) });
    const picker = h('ul', { class: 'canned', id: 'canned-picker', hidden: true });
    let cannedId = null;
    const send = h('button', { type: 'submit', id: 'reply-send' });
    const modes = h('div', { class: 'modes' });
    const setMode = (value) => {
      this.replyMode = value;
      for (const b of modes.children) b.classList.toggle('active', b.dataset.mode === value);
      text.placeholder = t(value === 'reply' ? 'replyPlaceholder' : 'notePlaceholder');
      send.textContent = t(value === 'reply' ? 'reply' : 'addNote');
      form.classList.toggle('note-mode', value === 'note');
    };
    modes.append(
      h('button', { type: 'button', id: 'mode-reply', 'data-mode': 'reply', text: t('modeReply'), onclick: () => setMode('reply') }),
      h('button', { type: 'button', id: 'mode-note', 'data-mode': 'note', text: t('modeNote'), onclick: () => setMode('note') }));
    const showCanned = () => {
      const query = text.value.slice(1).toLowerCase();
      const matches = this.canned.filter((r) => `${r.title} ${r.text}`.toLowerCase().includes(query));
      replace(picker, ...(matches.length ? matches.slice(0, 8).map((r) => h('li', {},
        h('button', { type: 'button', 'data-canned': r.id, onclick: () => {
          text.value = r.text;
          cannedId = r.id;
          picker.hidden = true;
          text.focus();
        } }, h('strong', { text: r.title }), h('span', { text: ` ${r.text}` })))) : [h('li', { class: 'muted', text: t('noCanned') })]));
      picker.hidden = false;
    };
    text.addEventListener('input', () => {
      if (this.replyMode === 'reply' && text.value.startsWith('/')) showCanned();
      else picker.hidden = true;
      if (!text.value) cannedId = null;
    });
    const form = h('form', { class: 'reply', id: 'reply-form' },
      windowLine, picker,
      modes, text, send);
    setMode(this.replyMode || 'reply');
    form.addEventListener('submit', async (e) => {
      e.preventDefault();
      const value = text.value.trim();
      if (!value) return;
      const body = { text: value };
      const mode = this.replyMode;
      if (cannedId !== null && mode === 'reply') body.canned_id = cannedId;
      await this.act(c.id, mode === 'reply' ? 'reply' : 'notes', body);
    });
    return form;
  }

  act(id, path, body) {
    return this.run(api.post(`/conversations/${id}/${path}`, body), id);
  }

  async run(promise, id) {
    try {
      await promise;
    } catch (e) {
      window.alert(`${t('error')}: ${e.message}`);
    }
    await Promise.all([this.refreshList(), this.openId === id ? this.openConversation(id) : null]);
  }

  onEvent(type, event) {
    if (type === 'agent.presence') return;
    clearTimeout(this.pending);
    // Several events in a burst (a message, then its assignment) load once.
    this.pending = setTimeout(async () => {
      await this.refreshList(true);
      if (event.conversation_id === this.openId) this.openConversation(this.openId, true);
    }, 150);
    if (event.conversation_id !== this.openId && this.notify && type !== 'conversation.updated') this.ping();
  }

  ping() {
    try {
      const audio = new AudioContext();
      const tone = audio.createOscillator();
      tone.connect(audio.destination);
      tone.frequency.value = 880;
      tone.start();
      tone.stop(audio.currentTime + 0.15);
    } catch { /* no audio device */ }
    if ('Notification' in window && Notification.permission === 'granted' && document.hidden) {
      new Notification('Switchboard', { body: t('unread') });
    }
  }
}
