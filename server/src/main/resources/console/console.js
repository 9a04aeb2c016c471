// Kuzet monitoring console: login, live alert queue, alert detail with acknowledge/resolve, map with zones,
// latest position with accuracy circle and track playback. Talks only to /api/v1 and /api/v1/live.
(function () {
  'use strict';
  var SEVERITY_ORDER = { CRITICAL: 0, HIGH: 1, MEDIUM: 2, LOW: 3 };
  var state = { token: sessionStorage.getItem('kuzet.token'), lang: localStorage.getItem('kuzet.lang') || 'en',
    alerts: {}, selected: null, socket: null, map: null, layers: null, track: [] };
  var $ = function (id) { return document.getElementById(id); };

  function t(key) {
    var dict = window.KUZET_I18N[state.lang] || window.KUZET_I18N.en;
    return dict[key] || window.KUZET_I18N.en[key] || key;
  }

  function translate() {
    document.documentElement.lang = state.lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.dataset.i18n); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) { el.placeholder = t(el.dataset.i18nPlaceholder); });
    $('live-status').textContent = t(state.socket && state.socket.readyState === 1 ? 'live' : 'offline');
    renderQueue();
    if (state.selected) { renderDetail(state.alerts[state.selected]); }
  }

  function api(method, path, body) {
    var init = { method: method, headers: { 'Accept': 'application/json' } };
    if (state.token) { init.headers.Authorization = 'Bearer ' + state.token; }
    if (body !== undefined) { init.headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
    return fetch(path, init).then(function (r) {
      if (r.status === 401 && path !== '/api/v1/auth/login') { logout(); }
      if (r.status === 204) { return null; }
      return r.json().then(function (json) {
        if (!r.ok) { var e = new Error(json.message || r.statusText); e.status = r.status; throw e; }
        return json;
      });
    });
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
  }

  function start(user) {
    $('who').textContent = user.username + ' (' + user.role + ')';
    $('login-view').hidden = true; $('main-view').hidden = false; $('logout-btn').hidden = false;
    initMap();
    connectLive();
    loadQueue();
  }

  function loadQueue() {
    return Promise.all(['OPEN', 'ACKNOWLEDGED'].map(function (s) { return api('GET', '/api/v1/alerts?state=' + s + '&limit=500'); }))
      .then(function (lists) {
        lists.forEach(function (l) { l.alerts.forEach(function (a) { state.alerts[a.alertId] = a; }); });
        renderQueue();
      });
  }

  function connectLive() {
    var proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    // the token travels as a WebSocket subprotocol (a header), never in the URL; the server selects kuzet.v1
    var ws = new WebSocket(proto + '//' + location.host + '/api/v1/live', ['kuzet.v1', 'kuzet.token.' + state.token]);
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

  function onLive(m) {
    if (m.kind === 'alert') {
      var known = state.alerts[m.alertId];
      if (m.phase === 'RAISED') {
        state.alerts[m.alertId] = Object.assign(known || { state: 'OPEN' }, m);
      } else if (known && known.state !== 'RESOLVED') {
        known.state = 'CLEARED';
      }
    } else if (m.kind === 'escalation' && state.alerts[m.alertId]) {
      state.alerts[m.alertId].escalated = true;
    }
    renderQueue();
    if (state.selected === m.alertId) { selectAlert(m.alertId); }
  }

  function queueOrder(a, b) {
    var s = SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity];
    return s !== 0 ? s : (a.detectedAt < b.detectedAt ? 1 : a.detectedAt > b.detectedAt ? -1 : 0);
  }

  function renderQueue() {
    var list = $('queue');
    if (!list) { return; }
    list.textContent = '';
    Object.values(state.alerts).filter(function (a) { return a.state === 'OPEN' || a.state === 'ACKNOWLEDGED' || a.state === 'CLEARED' && a.autoClears === false; })
      .sort(queueOrder).forEach(function (a) {
        var li = document.createElement('li');
        li.dataset.alertId = a.alertId;
        li.dataset.state = a.state;
        li.className = 'sev-' + a.severity + (state.selected === a.alertId ? ' selected' : '');
        var head = document.createElement('div');
        head.textContent = a.severity + ' · ' + a.type + ' · ' + t(a.state) + (a.late ? ' · ' + t('late') : '')
          + (a.escalated ? ' · ' + t('escalated') : '');
        var expl = document.createElement('div');
        expl.className = 'expl';
        expl.textContent = a.explanation;
        li.appendChild(head); li.appendChild(expl);
        li.onclick = function () { selectAlert(a.alertId); };
        list.appendChild(li);
      });
  }

  function selectAlert(id) {
    state.selected = id;
    renderQueue();
    api('GET', '/api/v1/alerts/' + id).then(function (a) {
      state.alerts[id] = Object.assign(state.alerts[id] || {}, a);
      renderDetail(state.alerts[id]);
      showSubject(a.subjectId);
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  function renderDetail(a) {
    if (!a) { return; }
    $('detail').hidden = false;
    $('d-type').textContent = a.type;
    $('d-severity').textContent = a.severity;
    $('d-explanation').textContent = a.explanation;
    $('d-subject').textContent = (a.subjectName || '') + ' #' + a.subjectId;
    $('d-presumed').hidden = !a.presumedInnocent;
    $('alert-state').textContent = t(a.state);
    $('alert-state').dataset.state = a.state;
    $('d-fix').textContent = a.fixTime;
    $('d-detected').textContent = a.detectedAt;
    $('d-opened-fix').textContent = a.openedFixTime || '';
    $('d-cleared-fix').textContent = a.clearedFixTime || '';
    $('d-cleared-at').textContent = a.clearedAt || '';
    $('ack-btn').disabled = a.state !== 'OPEN';
    $('resolve-btn').disabled = a.state === 'RESOLVED';
    var h = $('d-history');
    h.textContent = '';
    (a.history || []).forEach(function (x) {
      var li = document.createElement('li');
      li.textContent = x.at + ' ' + x.action + ' ' + (x.user || 'system')
        + (x.fixTime ? ' (' + t('fixTime') + ' ' + x.fixTime + ')' : '') + (x.note ? ': ' + x.note : '');
      h.appendChild(li);
    });
  }

  function act(action, body) {
    $('action-error').textContent = '';
    return api('POST', '/api/v1/alerts/' + state.selected + '/' + action, body).then(function (a) {
      state.alerts[a.alertId] = Object.assign(state.alerts[a.alertId] || {}, a);
      renderQueue();
      renderDetail(a);
    }).catch(function (e) { $('action-error').textContent = e.message; });
  }

  function initMap() {
    if (state.map) { return; }
    state.map = L.map('map', { zoomControl: true }).setView([43.238, 76.945], 13);
    api('GET', '/api/v1/console/config').then(function (cfg) {
      if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(state.map); }
    });
    state.layers = L.layerGroup().addTo(state.map);
    $('track-slider').oninput = showTrackPoint;
    $('track-hours').onchange = function () { if (state.selected) { showSubject(state.alerts[state.selected].subjectId); } };
  }

  function showSubject(subjectId) {
    state.layers.clearLayers();
    var bounds = [];
    api('GET', '/api/v1/zones').then(function (fc) {
      L.geoJSON(fc, {
        style: { color: '#e63946', weight: 2, fillOpacity: 0.15 },
        pointToLayer: function (f, latlng) { return L.circle(latlng, { radius: f.properties.radius_m || 50 }); }
      }).addTo(state.layers);
    });
    var hours = Number($('track-hours').value);
    var to = new Date(), from = new Date(to.getTime() - hours * 3600 * 1000);
    var alert = state.alerts[state.selected];
    if (alert && alert.fixTime) {
      var fix = new Date(alert.fixTime);
      if (fix < from || fix > to) { from = new Date(fix.getTime() - hours * 3600 * 1000); to = new Date(fix.getTime() + 3600 * 1000); }
    }
    api('GET', '/api/v1/subjects/' + subjectId + '/track?from=' + from.toISOString() + '&to=' + to.toISOString() + '&purpose=alert%20review')
      .then(function (fc) {
        state.track = fc.features.filter(function (f) { return f.geometry.type === 'Point'; });
        var line = fc.features.filter(function (f) { return f.geometry.type === 'LineString'; });
        L.geoJSON(line, { style: { color: '#1d3557', weight: 3 } }).addTo(state.layers);
        $('track-slider').max = Math.max(0, state.track.length - 1);
        $('track-slider').value = $('track-slider').max;
        state.track.forEach(function (f) { bounds.push([f.geometry.coordinates[1], f.geometry.coordinates[0]]); });
        if (bounds.length) { state.map.fitBounds(L.latLngBounds(bounds).pad(0.4), { maxZoom: 15 }); }
        showTrackPoint();
      });
  }

  var marker = null, accuracy = null;
  function showTrackPoint() {
    var f = state.track[Number($('track-slider').value)];
    if (marker) { state.layers.removeLayer(marker); state.layers.removeLayer(accuracy); marker = null; }
    if (!f) { $('track-time').textContent = ''; return; }
    var ll = [f.geometry.coordinates[1], f.geometry.coordinates[0]];
    accuracy = L.circle(ll, { radius: f.properties.accuracyM || 0, color: '#457b9d', weight: 1, fillOpacity: 0.2 }).addTo(state.layers);
    marker = L.circleMarker(ll, { radius: 6, color: '#1d3557', fillOpacity: 1 }).addTo(state.layers);
    $('track-time').textContent = f.properties.time + (f.properties.accuracyM ? ' ±' + Math.round(f.properties.accuracyM) + ' m' : '')
      + (f.properties.assurance ? ' · ' + t('assurance_' + f.properties.assurance) : '');
    $('track-time').dataset.assurance = f.properties.assurance || '';
  }

  $('login-form').addEventListener('submit', login);
  $('logout-btn').onclick = logout;
  $('ack-btn').onclick = function () { act('acknowledge', {}); };
  $('resolve-btn').onclick = function () {
    var note = $('note').value.trim();
    if (!note) { $('action-error').textContent = t('noteRequired'); return; }
    act('resolve', { disposition: $('disposition').value, note: note });
  };
  $('lang').value = state.lang;
  $('lang').onchange = function () { state.lang = $('lang').value; localStorage.setItem('kuzet.lang', state.lang); translate(); };
  translate();
  if (state.token) { api('GET', '/api/v1/auth/me').then(start).catch(logout); }
}());
