// Vietnamese first, English switchable; the choice is kept in localStorage.
const strings = {
  vi: {
    appName: 'Switchboard', login: 'Đăng nhập', logout: 'Đăng xuất', agentId: 'Tên đăng nhập', password: 'Mật khẩu',
    loginFailed: 'Sai tên đăng nhập hoặc mật khẩu', inbox: 'Hộp thư', reports: 'Báo cáo',
    mine: 'Của tôi', unassigned: 'Chưa phân công', all: 'Tất cả phòng ban', resolved: 'Đã xử lý', queues: 'Hàng đợi',
    filters: 'Bộ lọc', channel: 'Kênh', anyChannel: 'Mọi kênh', tag: 'Nhãn', priority: 'Mức ưu tiên', anyPriority: 'Mọi mức',
    priorities: ['Thấp', 'Bình thường', 'Cao', 'Khẩn cấp'], noConversations: 'Không có hội thoại nào',
    pick: 'Chọn một hội thoại', waiting: 'chờ', slaOk: 'Trong SLA', slaSoon: 'Sắp quá SLA', slaBreached: 'Quá SLA',
    customer: 'Khách hàng', bot: 'Bot', agent: 'Nhân viên', note: 'Ghi chú nội bộ',
    reply: 'Gửi', addNote: 'Lưu ghi chú', replyPlaceholder: 'Nhập trả lời… (gõ / để chọn câu trả lời mẫu)',
    notePlaceholder: 'Ghi chú nội bộ, khách không thấy', modeReply: 'Trả lời', modeNote: 'Ghi chú',
    claim: 'Nhận xử lý', assign: 'Giao', transfer: 'Chuyển phòng ban', resolve: 'Đã xử lý xong', reopen: 'Mở lại',
    snooze: 'Tạm hoãn 1 giờ', returnToBot: 'Trả về bot', assignee: 'Người xử lý', nobody: 'Chưa có', state: 'Trạng thái',
    states: { bot: 'Bot', queued: 'Đang chờ', assigned: 'Đã giao', resolved: 'Đã xử lý', snoozed: 'Tạm hoãn' },
    addTag: 'Thêm nhãn', contact: 'Liên hệ', phone: 'Điện thoại', email: 'Email', channels: 'Kênh liên hệ',
    history: 'Lịch sử trên mọi kênh', noHistory: 'Chưa có hội thoại khác', csat: 'Đánh giá (CSAT)', noCsat: 'Chưa có đánh giá',
    mergeSuggestions: 'Gợi ý gộp liên hệ', merge: 'Gộp', export: 'Xuất dữ liệu', erase: 'Xoá liên hệ',
    eraseConfirm: 'Xoá vĩnh viễn liên hệ này và mọi tin nhắn?', attachment: 'Tệp đính kèm',
    windowFree: (ch, hours) => `${ch}: còn ${hours} giờ để trả lời miễn phí`,
    windowBillable: (ch, hours) => `${ch}: hết thời gian miễn phí, còn ${hours} giờ để trả lời (tính phí)`,
    windowOpen: (ch, hours) => `${ch}: còn ${hours} giờ để trả lời`,
    windowClosed: (ch) => `${ch}: đã hết thời gian trả lời`, windowAlways: (ch) => `${ch}: có thể trả lời bất cứ lúc nào`,
    online: 'Trực tuyến', away: 'Vắng mặt', offline: 'Ngoại tuyến', notifications: 'Âm báo & thông báo',
    unread: 'chưa đọc', canned: 'Câu trả lời mẫu', noCanned: 'Chưa có câu trả lời mẫu', language: 'English',
    forbidden: 'Bạn không có quyền xem hội thoại này', from: 'Từ ngày', to: 'Đến ngày', apply: 'Xem', csv: 'Tải CSV',
    perDay: 'Hội thoại mỗi ngày theo kênh', firstResponse: 'Thời gian phản hồi đầu tiên', median: 'Trung vị', p90: 'P90',
    wallClock: 'tính theo giờ thực (24/7)', within24h: 'Trả lời trong 24 giờ', benchmark: 'Chuẩn ngành y tế',
    botVsHuman: 'Bot tự xử lý / chuyển nhân viên', botResolved: 'Bot tự xử lý', handedOff: 'Chuyển nhân viên',
    topIntents: 'Ý định phổ biến', faqMisses: 'Câu hỏi FAQ chưa trả lời được', departments: 'Tải theo phòng ban',
    agents: 'Tải theo nhân viên', breaches: 'Vi phạm SLA', csatDistribution: 'Phân bố CSAT', noData: 'Chưa có dữ liệu',
    handedOffShort: 'đã chuyển', waitingShort: 'đang chờ', assignedShort: 'đang xử lý', replies: 'trả lời',
    conversations: 'hội thoại', adminsOnly: 'Chỉ quản trị viên và trưởng phòng xem được báo cáo', error: 'Lỗi',
    scopeDepartments: 'Chỉ số liệu của phòng ban:',
  },
  en: {
    appName: 'Switchboard', login: 'Log in', logout: 'Log out', agentId: 'Agent id', password: 'Password',
    loginFailed: 'Wrong agent id or password', inbox: 'Inbox', reports: 'Reports',
    mine: 'Mine', unassigned: 'Unassigned', all: 'All my departments', resolved: 'Resolved', queues: 'Queues',
    filters: 'Filters', channel: 'Channel', anyChannel: 'Any channel', tag: 'Tag', priority: 'Priority', anyPriority: 'Any',
    priorities: ['Low', 'Normal', 'High', 'Urgent'], noConversations: 'No conversations',
    pick: 'Pick a conversation', waiting: 'waiting', slaOk: 'Within SLA', slaSoon: 'SLA soon', slaBreached: 'SLA breached',
    customer: 'Customer', bot: 'Bot', agent: 'Agent', note: 'Internal note',
    reply: 'Send', addNote: 'Save note', replyPlaceholder: 'Type a reply… (/ for canned responses)',
    notePlaceholder: 'Internal note, never sent', modeReply: 'Reply', modeNote: 'Note',
    claim: 'Claim', assign: 'Assign', transfer: 'Transfer', resolve: 'Resolve', reopen: 'Reopen',
    snooze: 'Snooze 1 hour', returnToBot: 'Back to bot', assignee: 'Assignee', nobody: 'Nobody', state: 'State',
    states: { bot: 'Bot', queued: 'Queued', assigned: 'Assigned', resolved: 'Resolved', snoozed: 'Snoozed' },
    addTag: 'Add tag', contact: 'Contact', phone: 'Phone', email: 'Email', channels: 'Channels',
    history: 'History on every channel', noHistory: 'No other conversations', csat: 'Rating (CSAT)', noCsat: 'No rating yet',
    mergeSuggestions: 'Merge suggestions', merge: 'Merge', export: 'Export data', erase: 'Delete contact',
    eraseConfirm: 'Delete this contact and every message for good?', attachment: 'Attachment',
    windowFree: (ch, hours) => `${ch}: ${hours} h left to reply for free`,
    windowBillable: (ch, hours) => `${ch}: free window over, ${hours} h left to reply (billed)`,
    windowOpen: (ch, hours) => `${ch}: ${hours} h left to reply`,
    windowClosed: (ch) => `${ch}: the reply window has closed`, windowAlways: (ch) => `${ch}: replies possible any time`,
    online: 'Online', away: 'Away', offline: 'Offline', notifications: 'Sound & notifications',
    unread: 'unread', canned: 'Canned responses', noCanned: 'No canned responses yet', language: 'Tiếng Việt',
    forbidden: 'You may not see this conversation', from: 'From', to: 'To', apply: 'Show', csv: 'Download CSV',
    perDay: 'Conversations per day by channel', firstResponse: 'First response time', median: 'Median', p90: 'P90',
    wallClock: 'wall-clock time (24/7)', within24h: 'Answered within 24 h', benchmark: 'Health-care benchmark',
    botVsHuman: 'Bot-resolved vs handed off', botResolved: 'Bot-resolved', handedOff: 'Handed off',
    topIntents: 'Top intents', faqMisses: 'FAQ misses', departments: 'Load per department',
    agents: 'Load per agent', breaches: 'SLA breaches', csatDistribution: 'CSAT distribution', noData: 'No data yet',
    handedOffShort: 'handed off', waitingShort: 'waiting', assignedShort: 'assigned', replies: 'replies',
    conversations: 'conversations', adminsOnly: 'Reports are for admins and department leads', error: 'Error',
    scopeDepartments: 'Only the figures of your departments:',
  },
};

let lang = localStorage.getItem('sb.lang') === 'en' ? 'en' : 'vi';

export function t(key) {
  return strings[lang][key] ?? strings.vi[key] ?? key;
}
export function language() {
  return lang;
}
export function toggleLanguage() {
  lang = lang === 'vi' ? 'en' : 'vi';
  localStorage.setItem('sb.lang', lang);
  document.documentElement.lang = lang;
}
