// Every visible string, per language. Sites override any key with the `labels` attribute (JSON), so
// "BOT", "SYSTEM", "Agent" and "You" can be renamed without a new build.

import { ServiceError } from './protocol.js';

const en = {
  open: 'Chat with us',
  close: 'Minimize chat',
  title: 'Chat',
  name: 'Your name',
  start: 'Start chat',
  continue: 'Continue previous conversation',
  forget: 'Forget this conversation',
  required: 'Please fill in this field.',
  message: 'Type a message',
  send: 'Send',
  end: 'End chat',
  newChat: 'Start new chat',
  ended: 'The chat has ended.',
  connecting: 'Connecting…',
  reconnecting: 'Connection lost. Reconnecting…',
  typing: '{name} is typing…',
  delivered: 'Delivered',
  read: 'Read',
  sending: 'Sending…',
  failed: 'Not sent.',
  retry: 'Retry',
  older: 'Load earlier messages',
  attach: 'Attach a file',
  downloading: 'Opening…',
  bold: 'Bold',
  italic: 'Italic',
  bullets: 'Bulleted list',
  numbers: 'Numbered list',
  preview: 'Preview',
  connected: 'Connected',
  sinceLast: 'Since last message',
  joined: '{name} joined the chat',
  left: '{name} left the chat',
  unread: '{count} unread',
  newMessage: 'New message',
  BOT: 'Bot',
  SYSTEM: 'System',
  AGENT: 'Agent',
  CUSTOMER: 'You',
  err400: 'That could not be sent: {detail}',
  err403: 'This chat is no longer available.',
  err403start: 'Chat cannot be started from this website.',
  err401start: 'Please sign in to start a chat.',
  errContinue: 'That conversation can no longer be continued. Please start a new chat.',
  err429: 'Too many requests right now. Please wait a moment and try again.',
  err5xx: 'The chat service is having trouble. Please try again.',
  err0: 'No connection. Check your network and try again.',
  fileType: 'This file type cannot be sent.',
  fileSize: 'Files must be at most 20 MB.',
};

const es = {
  open: 'Chatea con nosotros',
  close: 'Minimizar chat',
  title: 'Chat',
  name: 'Tu nombre',
  start: 'Iniciar chat',
  continue: 'Continuar la conversación anterior',
  forget: 'Olvidar esta conversación',
  required: 'Rellena este campo.',
  message: 'Escribe un mensaje',
  send: 'Enviar',
  end: 'Finalizar chat',
  newChat: 'Nuevo chat',
  ended: 'El chat ha finalizado.',
  connecting: 'Conectando…',
  reconnecting: 'Se perdió la conexión. Reconectando…',
  typing: '{name} está escribiendo…',
  delivered: 'Entregado',
  read: 'Leído',
  sending: 'Enviando…',
  failed: 'No enviado.',
  retry: 'Reintentar',
  older: 'Cargar mensajes anteriores',
  attach: 'Adjuntar un archivo',
  downloading: 'Abriendo…',
  bold: 'Negrita',
  italic: 'Cursiva',
  bullets: 'Lista con viñetas',
  numbers: 'Lista numerada',
  preview: 'Vista previa',
  connected: 'Conectado',
  sinceLast: 'Desde el último mensaje',
  joined: '{name} se unió al chat',
  left: '{name} salió del chat',
  unread: '{count} sin leer',
  newMessage: 'Nuevo mensaje',
  BOT: 'Bot',
  SYSTEM: 'Sistema',
  AGENT: 'Agente',
  CUSTOMER: 'Tú',
  err400: 'No se pudo enviar: {detail}',
  err403: 'Este chat ya no está disponible.',
  err403start: 'No se puede iniciar un chat desde este sitio web.',
  err401start: 'Inicia sesión para comenzar un chat.',
  errContinue: 'Esa conversación ya no se puede continuar. Inicia un chat nuevo.',
  err429: 'Demasiadas solicitudes. Espera un momento e inténtalo de nuevo.',
  err5xx: 'El servicio de chat tiene problemas. Inténtalo de nuevo.',
  err0: 'Sin conexión. Revisa tu red e inténtalo de nuevo.',
  fileType: 'Este tipo de archivo no se puede enviar.',
  fileSize: 'Los archivos deben tener 20 MB como máximo.',
};

const ar = {
  open: 'تحدث معنا',
  close: 'تصغير المحادثة',
  title: 'محادثة',
  name: 'اسمك',
  start: 'بدء المحادثة',
  continue: 'متابعة المحادثة السابقة',
  forget: 'انسَ هذه المحادثة',
  required: 'يرجى ملء هذا الحقل.',
  message: 'اكتب رسالة',
  send: 'إرسال',
  end: 'إنهاء المحادثة',
  newChat: 'بدء محادثة جديدة',
  ended: 'انتهت المحادثة.',
  connecting: 'جارٍ الاتصال…',
  reconnecting: 'انقطع الاتصال. جارٍ إعادة الاتصال…',
  typing: '{name} يكتب…',
  delivered: 'تم التسليم',
  read: 'تمت القراءة',
  sending: 'جارٍ الإرسال…',
  failed: 'لم يتم الإرسال.',
  retry: 'إعادة المحاولة',
  older: 'تحميل الرسائل السابقة',
  attach: 'إرفاق ملف',
  downloading: 'جارٍ الفتح…',
  bold: 'غامق',
  italic: 'مائل',
  bullets: 'قائمة نقطية',
  numbers: 'قائمة مرقمة',
  preview: 'معاينة',
  connected: 'متصل',
  sinceLast: 'منذ آخر رسالة',
  joined: 'انضم {name} إلى المحادثة',
  left: 'غادر {name} المحادثة',
  unread: '{count} غير مقروءة',
  newMessage: 'رسالة جديدة',
  BOT: 'روبوت',
  SYSTEM: 'النظام',
  AGENT: 'الموظف',
  CUSTOMER: 'أنت',
  err400: 'تعذر الإرسال: {detail}',
  err403: 'هذه المحادثة لم تعد متاحة.',
  err403start: 'لا يمكن بدء محادثة من هذا الموقع.',
  err401start: 'يرجى تسجيل الدخول لبدء محادثة.',
  errContinue: 'لم يعد من الممكن متابعة تلك المحادثة. يرجى بدء محادثة جديدة.',
  err429: 'طلبات كثيرة الآن. يرجى الانتظار قليلاً ثم المحاولة مرة أخرى.',
  err5xx: 'تواجه خدمة المحادثة مشكلة. يرجى المحاولة مرة أخرى.',
  err0: 'لا يوجد اتصال. تحقق من الشبكة وحاول مرة أخرى.',
  fileType: 'لا يمكن إرسال هذا النوع من الملفات.',
  fileSize: 'يجب ألا يتجاوز حجم الملف 20 ميغابايت.',
};

export const TABLES = { en, es, ar };
const RTL = new Set(['ar', 'he', 'fa', 'ur']);

/** A translate function for a locale ("ar-EG" falls back to "ar", then English) plus overrides. */
export function translator(locale = 'en', overrides = {}) {
  const lang = String(locale).toLowerCase().split(/[-_]/)[0];
  const table = { ...en, ...TABLES[lang] };
  // Only string labels: a number or object from a site's JSON is ignored rather than breaking the widget.
  for (const [key, value] of Object.entries(overrides || {})) if (typeof value === 'string') table[key] = value;
  const t = (key, vars = {}) => (table[key] ?? key).replace(/\{(\w+)\}/g, (_, name) => vars[name] ?? '');
  t.dir = RTL.has(lang) ? 'rtl' : 'ltr';
  t.lang = TABLES[lang] ? lang : 'en';
  return t;
}

/** A failure (a ServiceError, or anything else: a network failure) in plain words. */
export function describeError(t, error) {
  const status = error instanceof ServiceError ? error.status : 0;
  if (status === 400) return t('err400', { detail: error.message });
  if (status === 403 || status === 429 || status === 0) return t(`err${status}`);
  return t('err5xx');
}
