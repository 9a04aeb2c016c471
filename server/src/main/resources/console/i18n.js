// Interface text in English, Russian and Kazakh. Keys are shared; missing keys fall back to English.
window.KUZET_I18N = {
  en: {
    signIn: 'Sign in', username: 'Username', password: 'Password', logout: 'Sign out', alertQueue: 'Alert queue',
    live: 'live', offline: 'offline', subject: 'Subject', state: 'State', fixTime: 'Fix time', detectedAt: 'Detected',
    acknowledge: 'Acknowledge', resolve: 'Resolve', note: 'Note (required to resolve)', history: 'History',
    trackHours: 'Track, hours', presumedInnocent: 'Pre-trial: the subject is presumed innocent.',
    loginFailed: 'Wrong username or password', noteRequired: 'A note is required', late: 'late (out of order)', escalated: 'escalated',
    openedFixTime: 'Opened (fix time)', clearedFixTime: 'Cleared (fix time)', clearedAt: 'Cleared (decided)',
    OPEN: 'open', ACKNOWLEDGED: 'acknowledged', RESOLVED: 'resolved', CLEARED: 'cleared',
    CONFIRMED_VIOLATION: 'Confirmed violation', SUBJECT_CONTACTED: 'Subject contacted', POLICE_DISPATCHED: 'Police dispatched',
    EQUIPMENT_FAULT: 'Equipment fault', GPS_ERROR_FALSE_ALARM: 'GPS error / false alarm', DISPUTED_BY_SUBJECT: 'Disputed by subject',
    assurance_AUTHENTICATED: 'authenticated device', assurance_LOGIN_AUTHENTICATED: 'authenticated login, frames unsigned',
    assurance_IMEI_ONLY: 'IMEI only, spoofable'
  },
  ru: {
    signIn: 'Войти', username: 'Имя пользователя', password: 'Пароль', logout: 'Выйти', alertQueue: 'Очередь тревог',
    live: 'онлайн', offline: 'нет связи', subject: 'Подконтрольный', state: 'Состояние', fixTime: 'Время фиксации',
    detectedAt: 'Обнаружено', acknowledge: 'Принять', resolve: 'Закрыть', note: 'Примечание (обязательно для закрытия)',
    history: 'История', trackHours: 'Трек, часов', presumedInnocent: 'До суда: лицо считается невиновным.',
    loginFailed: 'Неверное имя пользователя или пароль', noteRequired: 'Нужно примечание', late: 'запоздалые (не по порядку)',
    openedFixTime: 'Начало (время фиксации)', clearedFixTime: 'Снята (время фиксации)', clearedAt: 'Снята (решение)',
    escalated: 'эскалировано', OPEN: 'открыта', ACKNOWLEDGED: 'принята', RESOLVED: 'закрыта', CLEARED: 'снята',
    CONFIRMED_VIOLATION: 'Нарушение подтверждено', SUBJECT_CONTACTED: 'Связались с подконтрольным',
    POLICE_DISPATCHED: 'Направлена полиция', EQUIPMENT_FAULT: 'Неисправность оборудования',
    GPS_ERROR_FALSE_ALARM: 'Ошибка GPS / ложная тревога', DISPUTED_BY_SUBJECT: 'Оспорено подконтрольным',
    assurance_AUTHENTICATED: 'устройство аутентифицировано', assurance_LOGIN_AUTHENTICATED: 'вход аутентифицирован, кадры без подписи',
    assurance_IMEI_ONLY: 'только IMEI, возможна подмена'
  },
  kk: {
    signIn: 'Кіру', username: 'Пайдаланушы аты', password: 'Құпия сөз', logout: 'Шығу', alertQueue: 'Дабылдар кезегі',
    live: 'желіде', offline: 'байланыс жоқ', subject: 'Бақылаудағы адам', state: 'Күйі', fixTime: 'Тіркелген уақыты',
    detectedAt: 'Анықталды', acknowledge: 'Қабылдау', resolve: 'Жабу', note: 'Ескертпе (жабу үшін міндетті)',
    history: 'Тарих', trackHours: 'Трек, сағат', presumedInnocent: 'Сотқа дейін: адам кінәсіз деп саналады.',
    loginFailed: 'Пайдаланушы аты немесе құпия сөз қате', noteRequired: 'Ескертпе қажет', late: 'кешіккен (ретсіз)',
    openedFixTime: 'Басталуы (тіркелген уақыты)', clearedFixTime: 'Алынуы (тіркелген уақыты)', clearedAt: 'Алынуы (шешім)',
    escalated: 'жоғарыға жіберілді', OPEN: 'ашық', ACKNOWLEDGED: 'қабылданды', RESOLVED: 'жабылды', CLEARED: 'алынып тасталды',
    CONFIRMED_VIOLATION: 'Бұзушылық расталды', SUBJECT_CONTACTED: 'Адаммен байланыс орнатылды',
    POLICE_DISPATCHED: 'Полиция жіберілді', EQUIPMENT_FAULT: 'Жабдық ақауы',
    GPS_ERROR_FALSE_ALARM: 'GPS қатесі / жалған дабыл', DISPUTED_BY_SUBJECT: 'Адам дауласты',
    assurance_AUTHENTICATED: 'құрылғы расталған', assurance_LOGIN_AUTHENTICATED: 'кіру расталған, кадрлар қолтаңбасыз',
    assurance_IMEI_ONLY: 'тек IMEI, жалғандауға болады'
  }
};
