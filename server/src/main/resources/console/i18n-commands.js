// Texts of console-commands.js (device commands) in English, Russian and Kazakh.
window.KUZET_I18N_EXTEND({
  en: {
    commands: 'Device commands', cmdSend: 'Send to bracelet', cmdReason: 'Reason (required)',
    cmdReasonRequired: 'A reason is required', cmdSeconds: 'seconds', cmdMilliseconds: 'milliseconds',
    cmdResult: 'answer', cmdAttempts: 'sends:', cmdBySupervision: 'automatic supervision',
    cmd_LOCATE_NOW: 'Locate now', cmd_REQUEST_STATUS: 'Request status', cmd_VIBRATE: 'Vibrate (warn the wearer)',
    cmd_SET_REPORTING_INTERVAL: 'Set reporting interval',
    cmdState_QUEUED: 'waiting for the device', cmdState_SENT: 'sent', cmdState_DONE: 'done', cmdState_FAILED: 'failed',
    cmdState_UNSUPPORTED: 'not supported by the device', cmdState_EXPIRED: 'expired'
  },
  ru: {
    commands: 'Команды устройству', cmdSend: 'Отправить на браслет', cmdReason: 'Причина (обязательно)',
    cmdReasonRequired: 'Укажите причину', cmdSeconds: 'секунды', cmdMilliseconds: 'миллисекунды',
    cmdResult: 'ответ', cmdAttempts: 'отправок:', cmdBySupervision: 'автоматический контроль',
    cmd_LOCATE_NOW: 'Определить местоположение', cmd_REQUEST_STATUS: 'Запросить состояние',
    cmd_VIBRATE: 'Вибрация (предупредить носителя)', cmd_SET_REPORTING_INTERVAL: 'Интервал передачи',
    cmdState_QUEUED: 'ожидает устройство', cmdState_SENT: 'отправлена', cmdState_DONE: 'выполнена',
    cmdState_FAILED: 'ошибка', cmdState_UNSUPPORTED: 'не поддерживается устройством', cmdState_EXPIRED: 'просрочена'
  },
  kk: {
    commands: 'Құрылғыға командалар', cmdSend: 'Білезікке жіберу', cmdReason: 'Себебі (міндетті)',
    cmdReasonRequired: 'Себебін көрсетіңіз', cmdSeconds: 'секунд', cmdMilliseconds: 'миллисекунд',
    cmdResult: 'жауап', cmdAttempts: 'жіберілді:', cmdBySupervision: 'автоматты бақылау',
    cmd_LOCATE_NOW: 'Орнын қазір анықтау', cmd_REQUEST_STATUS: 'Күйін сұрау',
    cmd_VIBRATE: 'Діріл (тағушыны ескерту)', cmd_SET_REPORTING_INTERVAL: 'Жіберу аралығы',
    cmdState_QUEUED: 'құрылғыны күтуде', cmdState_SENT: 'жіберілді', cmdState_DONE: 'орындалды',
    cmdState_FAILED: 'қате', cmdState_UNSUPPORTED: 'құрылғы қолдамайды', cmdState_EXPIRED: 'мерзімі өтті'
  }
});
