// Texts of the console map (console-map.js) in English, Russian and Kazakh; same layout as i18n.js.
window.KUZET_I18N_EXTEND({
  en: {
    play: 'Play', pause: 'Pause', allSubjectsLayer: 'All subjects (last position)', breachedZone: 'breached zone',
    triggerFix: 'Fix that triggered the alert'
  },
  ru: {
    play: 'Воспроизвести', pause: 'Пауза', allSubjectsLayer: 'Все подконтрольные (последнее положение)',
    breachedZone: 'нарушенная зона', triggerFix: 'Координата, вызвавшая тревогу'
  },
  kk: {
    play: 'Ойнату', pause: 'Кідірту', allSubjectsLayer: 'Барлық бақылаудағылар (соңғы орны)',
    breachedZone: 'бұзылған аймақ', triggerFix: 'Дабылды тудырған координата'
  }
});
