// Adaptive supervision: warning alerts raised by the core and the SUBJECT_WARNED history entry (the bracelet vibrated).
window.KUZET_I18N_EXTEND({
  en: {
    ZONE_APPROACH_WARNING: 'Approaching exclusion zone', CURFEW_WARNING: 'Curfew soon, subject away',
    action_SUBJECT_WARNED: 'subject warned (bracelet)'
  },
  ru: {
    ZONE_APPROACH_WARNING: 'Приближение к запретной зоне', CURFEW_WARNING: 'Скоро комендантский час, подконтрольный не дома',
    action_SUBJECT_WARNED: 'подконтрольный предупреждён (браслет)'
  },
  kk: {
    ZONE_APPROACH_WARNING: 'Тыйым салынған аймаққа жақындау', CURFEW_WARNING: 'Коменданттық сағат жақын, адам үйде емес',
    action_SUBJECT_WARNED: 'адам ескертілді (білезік)'
  }
});
