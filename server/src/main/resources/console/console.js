// Kuzet monitoring console: login, live review queue (alerts stay until a person resolves them, also after they
// ended by themselves), SLA countdowns, page title, sound and desktop notification for HIGH and CRITICAL, alert
// detail with acknowledge, comment, contact log and resolve; times in the agency's time zone (the map is
// console-map.js). Talks only to /api/v1 and /api/v1/live.
(function () {
  'use strict';
  var SEVERITY_ORDER = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
  var ROLE_ORDER = { operator: 0, supervisor: 1, admin: 2 };
  var state = { token: sessionStorage.getItem('kuzet.token'), lang: localStorage.getItem('kuzet.lang') || 'en',
    alerts: {}, selected: null, socket: null, map: null, user: null,
    muted: sessionStorage.getItem('kuzet.muted') === 'true',
    policy: { reviewSeverity: 'MEDIUM', resolveSlaFactor: 4, timeZone: 'Asia/Almaty',
      ackSlaSeconds: { CRITICAL: 120, HIGH: 300, MEDIUM: 900, LOW: 3600 } } };
  // what the console announced, observable by tests and by support staff in the browser's developer tools
  window.KUZET_ANNOUNCED = { notifications: 0, beeps: 0, lastAlertId: null };
  // how often the queue was rebuilt and which live kinds arrived: a position must never rebuild it (issue 13)
  window.KUZET_QUEUE = { rebuilds: 0, live: {} };
  var positionLayers = 0;   // map layers that asked for live positions (KuzetConsole.livePositions)
  var $ = function (id) { return document.getElementById(id); };

  // Feature files (console-*.js, loaded after this one) plug in through window.KuzetConsole: they get the API helper,
  // the translator and the time format, and are told when an operator signs in or out, an alert is shown, a live
  // message arrives or the language changes. One file per feature keeps this one about the queue and the detail.
  var listeners = {};
  function emit(event, arg) {
    (listeners[event] || []).forEach(function (fn) {
      try { fn(arg); } catch (e) { if (window.console) { window.console.error(e); } }
    });
  }
  window.KuzetConsole = {
    api: function (method, path, body) { return api(method, path, body); },
    t: function (key) { return t(key); },
    fmtTime: function (iso) { return fmtTime(iso); },
    serverNow: function () { return serverNow(); },
    state: state,
    selectAlert: function (id) { selectAlert(id); },
    // a feature that draws live positions asks for them (true) and gives them back (false); the stream carries
    // positions only while some layer wants them, otherwise alerts, actions and escalations only
    livePositions: function (wanted) { livePositions(wanted); },
    // set by console-explain.js: the alert's explanation in the operator's language, from its structured details
    explain: null,
    start: function (user) { start(user); },
    on: function (event, fn) { (listeners[event] = listeners[event] || []).push(fn); }
  };

  function t(key) {
    var dict = window.KUZET_I18N[state.lang] || window.KUZET_I18N.en;
    return dict[key] || window.KUZET_I18N.en[key] || key;
  }

  function renderWho() {
    $('who').textContent = state.user ? state.user.username + ' (' + t('role_' + String(state.user.role).toLowerCase()) + ')' : '';
  }

  function translate() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) { el.placeholder = t(el.dataset.i18nPlaceholder); });
    $('live-status').textContent = t(state.socket && state.socket.readyState === 1 ? 'live' : 'offline');
    renderMute();
    if (state.user && state.token) { renderWho(); }
    renderQueue();
    if (state.selected) { renderDetail(state.alerts[state.selected]); }
    emit('translate', state.lang);
  }

  function api(method, path, body) {
    var init = { method: method, headers: { 'Accept': 'application/json' } };
    if (state.token) { init.headers.Authorization = 'Bearer ' + state.token; }
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      if (r.status === 401 && path !== '/api/v1/auth/login') { logout(); }
      if (r.status === 204) { return null; }
      return r.json().catch(function () { return {}; }).then(function (json) {
        if (!r.ok) { var e = new Error(errorText(json.error)); e.status = r.status; e.code = json.error; throw e; }
        return json;
      });
    }, function () { throw new Error(t('error_network')); });
  }

  // the server's stable error code in the operator's language; its English message is for logs and scripts
  function errorText(code) {
    return window.KUZET_I18N.en['error_' + code] ? t('error_' + code) : t('error_unknown');
  }

  function explanation(a) {
    var explain = window.KuzetConsole.explain;
    return typeof explain === 'function' ? explain(a) : a.explanation;
  }

  function login(ev) {
    ev.preventDefault();
    $('login-error').textContent = '';
    api('POST', '/api/v1/auth/login', { username: $('username').value, password: $('password').value })
      .then(function (res) {
        state.token = res.token;
        sessionStorage.setItem('kuzet.token', res.token);
        start(res.user);
      })
      .catch(function () { $('login-error').textContent = t('loginFailed'); });
  }

  function logout() {
    if (state.token) { fetch('/api/v1/auth/logout', { method: 'POST', headers: { Authorization: 'Bearer ' + state.token } }); }
    state.token = null;
    sessionStorage.removeItem('kuzet.token');
    if (state.socket) { state.socket.onclose = null; state.socket.close(); state.socket = null; }
    $('main-view').hidden = true; $('login-view').hidden = false; $('logout-btn').hidden = true; $('who').textContent = '';
    emit('logout');
  }

  function start(user) {
    state.user = user;
    if (user.mustChangePassword) {
      // the API answers nothing but the password change until then: console-password.js takes over
      $('login-view').hidden = true; $('logout-btn').hidden = false; $('who').textContent = user.username;
      emit('password-required', user);
      return;
    }
    renderWho();
    $('resolve-controls').hidden = !mayResolve();
    if (window.Notification && Notification.permission === 'default') { Notification.requestPermission(); }
    $('login-view').hidden = true; $('main-view').hidden = false; $('logout-btn').hidden = false;
    connectLive();
    loadQueue();
    emit('start', user);
  }

  // the server's role check for resolve is SUPERVISOR; the console offers it only to those who may
  function mayResolve() {
    return !!state.user && ROLE_ORDER[String(state.user.role).toLowerCase()] >= ROLE_ORDER.supervisor;
  }

  function loadQueue() {
    return api('GET', '/api/v1/alerts?queue=true&limit=1000').then(function (l) {
      if (l.policy) { state.policy = l.policy; }
      var fresh = {};
      l.alerts.forEach(function (a) { fresh[a.alertId] = Object.assign(state.alerts[a.alertId] || {}, a); });
      state.alerts = fresh;
      renderQueue();
    });
  }

  function connectLive() {
    var proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // the token travels as a WebSocket subprotocol (a header), never in the URL; the server selects kuzet.v1
    var kinds = positionLayers > 0 ? 'alert,position' : 'alert';
    var ws = new WebSocket(proto + '//' + location.host + '/api/v1/live?kinds=' + kinds, ['kuzet.v1', 'kuzet.token.' + state.token]);
    state.socket = ws;
    ws.onopen = function () { $('live-status').textContent = t('live'); $('live-status').dataset.connected = 'true'; loadQueue(); };
    ws.onclose = function (ev) {
      $('live-status').textContent = t('offline'); $('live-status').dataset.connected = 'false';
      // 4401: session ended (logout, expiry, disabled user); 4403: role or agency changed: log in again
      if (ev.code === 4401 || ev.code === 4403) { state.token = null; logout(); return; }
      if (state.token) { setTimeout(connectLive, 2000); }
    };
    ws.onmessage = function (msg) { onLive(JSON.parse(msg.data)); };
  }

  function livePositions(wanted) {
    var before = positionLayers > 0;
    positionLayers = Math.max(0, positionLayers + (wanted ? 1 : -1));
    if (before !== positionLayers > 0 && state.socket) {
      var old = state.socket;
      old.onclose = null;
      old.close();
      connectLive();   // the same stream with the other kinds; the queue is reloaded on open
    }
  }

  function onLive(m) {
    window.KUZET_QUEUE.live[m.kind] = (window.KUZET_QUEUE.live[m.kind] || 0) + 1;
    emit('live', m);
    var known = state.alerts[m.alertId];
    if (m.kind === 'alert') {
      if (m.phase === 'RAISED') {
        var fresh = !known;
        known = state.alerts[m.alertId] = Object.assign(known || { state: 'OPEN' }, m);
        review(known);
        if (fresh) { announce(known); }
      } else if (known && known.state !== 'RESOLVED') {
        known.state = 'CLEARED';
        review(known);
      }
    } else if (m.kind === 'escalation' && known) {
      known.escalated = true;
    } else if (m.kind === 'alert-action' && known) {
      known.state = m.state;
      if (m.action === 'ACKNOWLEDGED') { known.takenBy = m.user; known.acknowledgedAt = m.at; }
      review(known);
    } else {
      return; // positions and other kinds do not change the queue
    }
    renderQueue();
    if (state.selected === m.alertId) {
      // a new phase may bring new fixes: redraw the map; an action or escalation changes only the detail
      if (m.kind === 'alert') { selectAlert(m.alertId); } else { refreshDetail(m.alertId); }
    }
  }

  function refreshDetail(id) {
    api('GET', '/api/v1/alerts/' + id).then(function (a) {
      state.alerts[id] = Object.assign(state.alerts[id] || {}, a);
      if (state.selected === id) { renderDetail(state.alerts[id]); }
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  // the review state the server derives, kept current between loads from live messages (see ReviewPolicy)
  function review(a) {
    var reviewed = SEVERITY_ORDER[a.severity] <= SEVERITY_ORDER[state.policy.reviewSeverity];
    a.needsReview = a.state === 'OPEN' || a.state === 'ACKNOWLEDGED' || a.state === 'CLEARED' && reviewed;
    a.reviewState = !a.needsReview ? 'DONE' : a.state === 'OPEN' ? 'WAITING' : a.state === 'ACKNOWLEDGED' ? 'TAKEN' : 'ENDED_NEEDS_REVIEW';
    var sla = (state.policy.ackSlaSeconds[a.severity] || 3600) * 1000 * (a.acknowledgedAt ? state.policy.resolveSlaFactor : 1);
    a.slaDueAt = a.needsReview && a.detectedAt ? new Date(new Date(a.detectedAt).getTime() + sla).toISOString() : null;
  }

  // severity first, then the longest waiting first
  function queueOrder(a, b) {
    var s = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
    return s !== 0 ? s : (a.detectedAt < b.detectedAt ? -1 : a.detectedAt > b.detectedAt ? 1 : 0);
  }

  function queued() {
    return Object.values(state.alerts).filter(function (a) { return a.needsReview; }).sort(queueOrder);
  }

  function renderQueue() {
    var list = $('queue');
    if (!list) { return; }
    list.textContent = '';
    window.KUZET_QUEUE.rebuilds++;
    var items = queued();
    items.forEach(function (a) {
      var li = document.createElement('li');
      li.dataset.alertId = a.alertId;
      li.dataset.state = a.state;
      li.dataset.review = a.reviewState;
      li.className = 'sev-' + a.severity + ' review-' + a.reviewState + (state.selected === a.alertId ? ' selected' : '');
      var head = document.createElement('div');
      head.textContent = t(a.severity) + ' · ' + t(a.type) + ' · ' + t(a.reviewState === 'ENDED_NEEDS_REVIEW' ? 'ENDED_NEEDS_REVIEW' : a.state)
        + (a.late ? ' · ' + t('late') : '') + (a.escalated ? ' · ' + t('escalated') : '');
      var meta = document.createElement('div');
      meta.className = 'meta';
      var sla = document.createElement('span');
      sla.className = 'sla';
      sla.dataset.due = a.slaDueAt || '';
      meta.appendChild(sla);
      var taken = document.createElement('span');
      taken.className = 'taken';
      taken.textContent = a.takenBy ? ' · ' + t('takenBy') + ' ' + a.takenBy : '';
      meta.appendChild(taken);
      var expl = document.createElement('div');
      expl.className = 'expl';
      expl.textContent = explanation(a);
      li.appendChild(head); li.appendChild(meta); li.appendChild(expl);
      li.onclick = function () { selectAlert(a.alertId); };
      list.appendChild(li);
    });
    document.title = (items.length ? '(' + items.length + ') ' : '') + 'Kuzet';
    tick();
  }

  // The server's clock, which detection times and SLAs run on: the wall clock in production, simulated time running
  // faster in the demo. Read from /api/v1/console/config now and then; between reads it advances at the rate seen.
  var serverClock = { at: Date.now(), serverAt: Date.now(), rate: 1, synced: false };
  function serverNow() { return serverClock.serverAt + (Date.now() - serverClock.at) * serverClock.rate; }
  function syncClock() {
    var asked = Date.now();
    api('GET', '/api/v1/console/config').then(function (cfg) {
      if (!cfg.now) { return; }
      var at = (asked + Date.now()) / 2, serverAt = new Date(cfg.now).getTime(), rate = serverClock.rate;
      if (serverClock.synced && at - serverClock.at > 1000) {
        rate = (serverAt - serverClock.serverAt) / (at - serverClock.at);
        rate = rate > 0 && Math.abs(rate - 1) > 0.05 ? rate : 1; // network jitter is not a faster clock
      }
      serverClock = { at: at, serverAt: serverAt, rate: rate, synced: true };
    }).catch(function () { /* offline: keep counting at the last rate */ });
  }

  // once a second: the SLA countdowns in the queue and the detail, without rebuilding anything
  function tick() {
    var now = serverNow();
    document.querySelectorAll('.sla').forEach(function (el) {
      if (!el.dataset.due) { el.textContent = ''; return; }
      var left = Math.round((new Date(el.dataset.due).getTime() - now) / 1000);
      el.textContent = (left >= 0 ? t('slaLeft') : t('slaOverdue')) + ' ' + clock(Math.abs(left));
      el.classList.toggle('overdue', left < 0);
    });
  }

  function clock(seconds) {
    var h = Math.floor(seconds / 3600), m = Math.floor(seconds % 3600 / 60), s = seconds % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(s).padStart(2, '0');
  }

  // a new HIGH or CRITICAL alert: a beep and a desktop notification, unless muted for the shift
  function announce(a) {
    if (state.muted || SEVERITY_ORDER[a.severity] > SEVERITY_ORDER.HIGH) { return; }
    window.KUZET_ANNOUNCED.lastAlertId = a.alertId;
    beep(a.severity === 'CRITICAL' ? 3 : 1);
    window.KUZET_ANNOUNCED.notifications++;
    if (window.Notification && Notification.permission === 'granted') {
      new Notification(t(a.severity) + ': ' + t(a.type), { body: a.subjectName || '', tag: 'kuzet-' + a.alertId });
    }
  }

  var audio = null;
  function beep(times) {
    var Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) { return; }
    audio = audio || new Ctx();
    for (var i = 0; i < times; i++) {
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.frequency.value = 880;
      gain.gain.value = 0.2;
      osc.connect(gain); gain.connect(audio.destination);
      osc.start(audio.currentTime + i * 0.3); osc.stop(audio.currentTime + i * 0.3 + 0.2);
    }
    window.KUZET_ANNOUNCED.beeps++;
  }

  function renderMute() {
    $('mute-btn').textContent = t(state.muted ? 'unmute' : 'mute');
    $('mute-btn').setAttribute('aria-pressed', String(state.muted));
  }

  // times in the agency's time zone, to the second, with the zone named
  function fmtTime(iso) {
    if (!iso) { return ''; }
    var zone = state.policy.timeZone || 'UTC';
    var parts = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso));
    var p = {};
    parts.forEach(function (x) { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day + ' ' + p.hour + ':' + p.minute + ':' + p.second + ' ' + zone;
  }

  function selectAlert(id) {
    state.selected = id;
    renderQueue();
    api('GET', '/api/v1/alerts/' + id).then(function (a) {
      state.alerts[id] = Object.assign(state.alerts[id] || {}, a);
      renderDetail(state.alerts[id]);
      emit('alert', state.alerts[id]);
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  function renderDetail(a) {
    if (!a) { return; }
    $('detail').hidden = false;
    $('d-type').textContent = t(a.type);
    $('d-severity').textContent = t(a.severity);
    $('d-explanation').textContent = explanation(a);
    $('d-subject').textContent = (a.subjectName || '') + ' #' + a.subjectId;
    $('d-presumed').hidden = !a.presumedInnocent;
    $('alert-state').textContent = t(a.state);
    $('alert-state').dataset.state = a.state;
    $('d-fix').textContent = fmtTime(a.fixTime);
    $('d-detected').textContent = fmtTime(a.detectedAt);
    $('d-opened-fix').textContent = a.openedFixTime ? fmtTime(a.openedFixTime) : '';
    $('d-cleared-fix').textContent = a.clearedFixTime ? fmtTime(a.clearedFixTime) : '';
    $('d-cleared-at').textContent = a.clearedAt ? fmtTime(a.clearedAt) : '';
    renderWorkflow(a);
    renderHistory(a.history || [], a.severity);
  }

  // review state, SLA, who took it, and which actions fit the state and the user's role
  function renderWorkflow(a) {
    $('d-review').textContent = t(a.reviewState || 'DONE');
    $('d-review').dataset.review = a.reviewState || 'DONE';
    $('d-sla').dataset.due = a.slaDueAt || '';
    $('d-taken').textContent = a.takenBy || '';
    $('ack-btn').disabled = a.state !== 'OPEN';
    $('resolve-controls').hidden = !mayResolve();
    $('resolve-btn').disabled = a.state === 'RESOLVED';
    tick();
  }

  function renderHistory(history, severity) {
    var h = $('d-history');
    h.textContent = '';
    history.forEach(function (x) {
      var li = document.createElement('li');
      li.dataset.action = x.action;
      var what = t('action_' + x.action) + (x.party ? ' · ' + t('party_' + x.party) + ' · ' + t('outcome_' + x.outcome) : '');
      li.textContent = fmtTime(x.at) + ' ' + what + ' ' + (x.user || t('system'))
        + (x.fixTime ? ' (' + t('fixTime') + ' ' + fmtTime(x.fixTime) + ')' : '')
        // a system entry's note is the server's English: an escalation says why from its reason code, the others
        // (ended by itself) say it with their action and times
        + (x.reason ? ': ' + t('escalation_' + x.reason).replace('{minutes}', x.slaMinutes).replace('{severity}', t(severity))
          : x.note && x.user ? ': ' + x.note : '');
      h.appendChild(li);
    });
  }

  function act(action, body) {
    $('action-error').textContent = '';
    return api('POST', '/api/v1/alerts/' + state.selected + '/' + action, body).then(function (a) {
      state.alerts[a.alertId] = Object.assign(state.alerts[a.alertId] || {}, a);
      renderQueue();
      renderDetail(state.alerts[a.alertId]);
      return true;
    }).catch(function (e) { $('action-error').textContent = e.message; return false; });
  }

  $('login-form').addEventListener('submit', login);
  $('logout-btn').onclick = logout;
  $('ack-btn').onclick = function () { act('acknowledge', {}); };
  $('resolve-btn').onclick = function () {
    var note = $('note').value.trim();
    if (!note) { $('action-error').textContent = t('noteRequired'); return; }
    act('resolve', { disposition: $('disposition').value, note: note });
  };
  $('comment-btn').onclick = function () {
    var note = $('comment').value.trim();
    if (!note) { $('action-error').textContent = t('noteRequired'); return; }
    act('comment', { note: note }).then(function (ok) { if (ok) { $('comment').value = ''; } });
  };
  $('contact-btn').onclick = function () {
    act('contact', { party: $('contact-party').value, outcome: $('contact-outcome').value, note: $('contact-note').value.trim() })
      .then(function (ok) { if (ok) { $('contact-note').value = ''; } });
  };
  $('mute-btn').onclick = function () {
    state.muted = !state.muted;
    sessionStorage.setItem('kuzet.muted', String(state.muted));
    renderMute();
  };
  setInterval(tick, 1000);
  syncClock();
  setInterval(syncClock, 15000);
  $('lang').value = state.lang;
  $('lang').onchange = function () { state.lang = $('lang').value; localStorage.setItem('kuzet.lang', state.lang); translate(); };
  translate();
  if (state.token) { api('GET', '/api/v1/auth/me').then(start).catch(logout); }
}());
