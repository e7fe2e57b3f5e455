// Times, durations, channels and send windows as agents read them.
import { t, language } from './i18n.js';

const CHANNELS = {
  zalo_oa: { name: 'Zalo', icon: 'Z' },
  messenger: { name: 'Messenger', icon: 'M' },
  email: { name: 'Email', icon: '@' },
  api: { name: 'API', icon: 'A' },
};

export function channelOf(plugin) {
  return CHANNELS[plugin] || { name: plugin || '?', icon: '•' };
}

export function time(ms) {
  if (!ms) return '';
  return new Date(ms).toLocaleString(language() === 'vi' ? 'vi-VN' : 'en-GB', {
    day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit',
  });
}

export function duration(ms) {
  if (ms < 60000) return `${Math.max(0, Math.round(ms / 1000))}″`;
  const minutes = Math.round(ms / 60000);
  if (minutes < 60) return `${minutes}′`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours}h${String(minutes % 60).padStart(2, '0')}`;
  return `${Math.floor(hours / 24)}d`;
}

// "Zalo: còn 31 giờ để trả lời miễn phí" from the conversation's send_window.
export function sendWindowText(window, now = Date.now()) {
  if (!window) return '';
  const name = channelOf(window.channel).name;
  const hoursUntil = (end) => Math.max(0, Math.floor((end - now) / 3600000));
  if (!window.allowed) return t('windowClosed')(name);
  if (window.free_until && window.free_until > now) return t('windowFree')(name, hoursUntil(window.free_until));
  if (window.billable && window.closes_at) return t('windowBillable')(name, hoursUntil(window.closes_at));
  if (window.closes_at) return t('windowOpen')(name, hoursUntil(window.closes_at));
  return t('windowAlways')(name);
}

// SLA state of a waiting conversation from its queue's first-response SLA.
export function slaState(conversation, queue, now = Date.now()) {
  const minutes = queue && queue.sla ? queue.sla.first_response_minutes : 0;
  if (!minutes || conversation.state !== 'queued' || !conversation.queued_at) return null;
  const used = (now - conversation.queued_at) / (minutes * 60000);
  if (used >= 1) return 'breached';
  return used >= 0.75 ? 'soon' : 'ok';
}
