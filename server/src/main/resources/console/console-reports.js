// Shift handover and reports (issue 13): a view switcher Queue | History | Handover | Reports beside the queue;
// the alert history with filters and cursor paging (GET /api/v1/alerts?order=recent), the handover view (what still
// waits for a person, notes for the next shift: /api/v1/handover/notes), the period report for supervisors
// (/api/v1/reports/alerts) and the printable incident report of one alert (/api/v1/alerts/{id}/report, opened in a
// new tab). Times in the agency's time zone. Plugs in through window.KuzetConsole.
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var t = K.t;
  var $ = function (id) { return document.getElementById(id); };
  var VIEWS = ['queue', 'history', 'handover', 'reports'];
  var SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW'];
  var view = 'queue';
  var history = { cursor: null, rows: [] };
  var lastReport = null;
  var lastHandover = null;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === 'className') { e.className = attrs[k]; } else { e.setAttribute(k, attrs[k]); }
    });
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  function mayReport() {
    var role = K.state.user ? String(K.state.user.role).toLowerCase() : '';
    return role === 'supervisor' || role === 'admin';
  }

  // ---- layout: the switcher in the header, one section per view after the queue's main view
  var nav = el('nav', { id: 'view-switch', hidden: '' });
  VIEWS.forEach(function (v) {
    var b = el('button', { id: 'view-' + v, 'data-view': v, 'data-i18n': 'view_' + v });
    b.onclick = function () { show(v); };
    nav.appendChild(b);
  });
  $('who').insertAdjacentElement('afterend', nav);

  var pane = el('section', { id: 'report-views', hidden: '' });
  pane.innerHTML =
    '<div id="history-view" class="rv" hidden>' +
    ' <form id="history-filter" class="rv-filter">' +
    '  <input id="h-q" data-i18n-placeholder="searchPlaceholder" maxlength="200">' +
    '  <select id="h-type"><option value="" data-i18n="anyType"></option></select>' +
    '  <select id="h-severity"><option value="" data-i18n="anySeverity"></option></select>' +
    '  <select id="h-state"><option value="" data-i18n="anyState"></option></select>' +
    '  <label><span data-i18n="periodFrom"></span> <input id="h-from" type="date"></label>' +
    '  <label><span data-i18n="periodTo"></span> <input id="h-to" type="date"></label>' +
    '  <button id="h-search" type="submit" data-i18n="search"></button>' +
    ' </form>' +
    ' <table id="history-table" class="rv-table"><thead><tr><th data-i18n="detectedAt"></th><th data-i18n="severityCol"></th>' +
    '  <th data-i18n="typeCol"></th><th data-i18n="subject"></th><th data-i18n="state"></th><th data-i18n="review"></th><th></th></tr></thead>' +
    '  <tbody></tbody></table>' +
    ' <button id="h-more" data-i18n="loadMore" hidden></button> <span id="h-count"></span>' +
    ' <p id="history-error" class="error" role="alert"></p>' +
    '</div>' +
    '<div id="handover-view" class="rv" hidden>' +
    ' <h2 data-i18n="handoverOpen"></h2><p id="handover-summary"></p>' +
    ' <table id="handover-items" class="rv-table"><thead><tr><th data-i18n="severityCol"></th><th data-i18n="typeCol"></th>' +
    '  <th data-i18n="subject"></th><th data-i18n="review"></th><th data-i18n="detectedAt"></th><th data-i18n="takenBy"></th></tr></thead>' +
    '  <tbody></tbody></table>' +
    ' <h2 data-i18n="handoverNotes"></h2>' +
    ' <div class="actions"><textarea id="handover-note" rows="3" maxlength="4000" data-i18n-placeholder="handoverNotePlaceholder"></textarea>' +
    '  <button id="handover-save" data-i18n="handoverSave"></button></div>' +
    ' <p id="handover-error" class="error" role="alert"></p>' +
    ' <ol id="handover-notes"></ol>' +
    '</div>' +
    '<div id="reports-view" class="rv" hidden>' +
    ' <form id="report-form" class="rv-filter">' +
    '  <label><span data-i18n="periodFrom"></span> <input id="r-from" type="date" required></label>' +
    '  <label><span data-i18n="periodTo"></span> <input id="r-to" type="date" required></label>' +
    '  <button id="r-show" type="submit" data-i18n="showReport"></button>' +
    '  <button id="r-print" type="button" data-i18n="print"></button>' +
    ' </form>' +
    ' <p id="report-error" class="error" role="alert"></p>' +
    ' <div id="report-body"></div>' +
    '</div>';
  $('main-view').insertAdjacentElement('afterend', pane);

  ['EXCLUSION_VIOLATION', 'INCLUSION_VIOLATION', 'CURFEW_VIOLATION', 'PROXIMITY_VIOLATION', 'PROXIMITY_WARNING', 'ZONE_UNCERTAIN',
    'STRAP_TAMPER', 'CASE_TAMPER', 'BATTERY_LOW', 'BATTERY_CRITICAL', 'POWER_OFF', 'NO_COMMUNICATION', 'NO_GPS_FIX',
    'CLOCK_FAULT', 'DUPLICATE_SESSION', 'CURFEW_STATUS_UNKNOWN'].forEach(function (v) {
    $('h-type').appendChild(el('option', { value: v, 'data-i18n': v }));
  });
  SEVERITIES.forEach(function (v) { $('h-severity').appendChild(el('option', { value: v, 'data-i18n': v })); });
  ['OPEN', 'ACKNOWLEDGED', 'CLEARED', 'RESOLVED'].forEach(function (v) {
    $('h-state').appendChild(el('option', { value: v, 'data-i18n': v }));
  });

  function show(v) {
    if (v === 'reports' && !mayReport()) { v = 'queue'; }
    view = v;
    $('main-view').hidden = v !== 'queue';
    pane.hidden = v === 'queue';
    ['history', 'handover', 'reports'].forEach(function (x) { $(x + '-view').hidden = x !== v; });
    VIEWS.forEach(function (x) { $('view-' + x).setAttribute('aria-pressed', String(x === v)); });
    document.body.dataset.view = v;
    if (v === 'queue' && K.state.map) { setTimeout(function () { K.state.map.invalidateSize(); }, 0); }
    if (v === 'history' && !history.rows.length) { searchHistory(); }
    if (v === 'handover') { loadHandover(); }
    if (v === 'reports' && !lastReport) { loadReport(); }
  }

  // ---- dates: a day in the agency's zone as the instant it starts
  function zone() { return K.state.policy.timeZone || 'UTC'; }

  function localDay(date) {
    var p = {};
    new Intl.DateTimeFormat('en-CA', { timeZone: zone(), year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(date).forEach(function (x) { p[x.type] = x.value; });
    return p.year + '-' + p.month + '-' + p.day;
  }

  function dayStart(day) {
    var guess = Date.parse(day + 'T00:00:00Z');
    var p = {};
    new Intl.DateTimeFormat('en-CA', { timeZone: zone(), year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit',
      minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(guess)).forEach(function (x) { p[x.type] = x.value; });
    var shown = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
    return new Date(guess - (shown - guess)).toISOString();
  }

  function nextDay(day) {
    return new Date(Date.parse(day + 'T00:00:00Z') + 86400000).toISOString().substring(0, 10);
  }

  // ---- history
  function historyQuery() {
    var q = ['order=recent', 'limit=50'];
    if ($('h-q').value.trim()) { q.push('q=' + encodeURIComponent($('h-q').value.trim())); }
    if ($('h-type').value) { q.push('type=' + $('h-type').value); }
    if ($('h-severity').value) { q.push('severity=' + $('h-severity').value); }
    if ($('h-state').value) { q.push('state=' + $('h-state').value); }
    if ($('h-from').value) { q.push('from=' + encodeURIComponent(dayStart($('h-from').value))); }
    if ($('h-to').value) { q.push('to=' + encodeURIComponent(dayStart(nextDay($('h-to').value)))); }
    return q.join('&');
  }

  function searchHistory(more) {
    $('history-error').textContent = '';
    var path = '/api/v1/alerts?' + historyQuery() + (more && history.cursor ? '&cursor=' + encodeURIComponent(history.cursor) : '');
    if (!more) { history.rows = []; }
    return K.api('GET', path).then(function (page) {
      history.rows = history.rows.concat(page.alerts);
      history.cursor = page.nextCursor;
      renderHistory();
    }).catch(function (e) { $('history-error').textContent = e.message; });
  }

  function renderHistory() {
    var body = $('history-table').tBodies[0];
    body.textContent = '';
    history.rows.forEach(function (a) {
      var tr = el('tr', { 'data-alert-id': a.alertId, className: 'sev-' + a.severity });
      [K.fmtTime(a.detectedAt), t(a.severity), t(a.type), (a.subjectName || '') + ' #' + a.subjectId, t(a.state),
        t(a.reviewState)].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      var cell = el('td');
      var b = el('button', { className: 'report-btn' }, t('incidentReport'));
      b.onclick = function (ev) { ev.stopPropagation(); openIncidentReport(a.alertId); };
      cell.appendChild(b);
      tr.appendChild(cell);
      tr.onclick = function () { show('queue'); K.selectAlert(a.alertId); };
      body.appendChild(tr);
    });
    $('h-more').hidden = !history.cursor;
    $('h-count').textContent = history.rows.length + ' ' + t('alertsShown');
  }

  $('history-filter').onsubmit = function (ev) { ev.preventDefault(); searchHistory(false); };
  $('h-more').onclick = function () { searchHistory(true); };

  // ---- printable incident report: print-ready HTML from the server (its reading is audited), in a new tab
  function openIncidentReport(alertId) {
    var tab = window.open('', '_blank');
    return fetch('/api/v1/alerts/' + alertId + '/report?lang=' + K.state.lang, {
      headers: { Authorization: 'Bearer ' + K.state.token }
    }).then(function (r) {
      if (!r.ok) { throw new Error(r.statusText); }
      return r.text();
    }).then(function (html) {
      var url = URL.createObjectURL(new Blob([html], { type: 'text/html' }));
      if (tab) { tab.location.href = url; } else { window.open(url, '_blank'); }
    }).catch(function (e) {
      if (tab) { tab.close(); }
      $('action-error').textContent = e.message;
    });
  }

  // ---- handover: what still waits for a person, and the notes for the next shift
  function loadHandover() {
    $('handover-error').textContent = '';
    return Promise.all([K.api('GET', '/api/v1/alerts?queue=true&limit=1000'), K.api('GET', '/api/v1/handover/notes')])
      .then(function (r) { lastHandover = { items: r[0].alerts, notes: r[1].notes }; renderHandover(); })
      .catch(function (e) { $('handover-error').textContent = e.message; });
  }

  function renderHandover() {
    if (!lastHandover) { return; }
    var items = lastHandover.items.slice().sort(function (a, b) {
      var s = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
      return s !== 0 ? s : (a.detectedAt < b.detectedAt ? -1 : 1);
    });
    var counts = { WAITING: 0, TAKEN: 0, ENDED_NEEDS_REVIEW: 0 };
    var body = $('handover-items').tBodies[0];
    body.textContent = '';
    items.forEach(function (a) {
      counts[a.reviewState] = (counts[a.reviewState] || 0) + 1;
      var tr = el('tr', { 'data-alert-id': a.alertId, 'data-review': a.reviewState, className: 'sev-' + a.severity });
      [t(a.severity), t(a.type), (a.subjectName || '') + ' #' + a.subjectId, t(a.reviewState) + (a.escalated ? ' · ' + t('escalated') : ''),
        K.fmtTime(a.detectedAt), a.takenBy || ''].forEach(function (v) { tr.appendChild(el('td', {}, v)); });
      tr.onclick = function () { show('queue'); K.selectAlert(a.alertId); };
      body.appendChild(tr);
    });
    $('handover-summary').textContent = items.length + ' ' + t('handoverWaiting') + ': ' + t('WAITING') + ' ' + counts.WAITING + ', '
      + t('TAKEN') + ' ' + counts.TAKEN + ', ' + t('ENDED_NEEDS_REVIEW') + ' ' + counts.ENDED_NEEDS_REVIEW;
    var list = $('handover-notes');
    list.textContent = '';
    if (!lastHandover.notes.length) { list.appendChild(el('li', { className: 'empty' }, t('handoverNoNotes'))); }
    lastHandover.notes.forEach(function (n) {
      var li = el('li', { 'data-note-id': n.id });
      li.appendChild(el('div', { className: 'meta' }, K.fmtTime(n.createdAt) + ' · ' + n.user + ' · '
        + n.openAlertIds.length + ' ' + t('handoverOpenAtNote') + (n.alertId ? ' · #' + n.alertId : '')));
      li.appendChild(el('div', { className: 'note' }, n.note));
      list.appendChild(li);
    });
  }

  $('handover-save').onclick = function () {
    var note = $('handover-note').value.trim();
    if (!note) { $('handover-error').textContent = t('noteRequired'); return; }
    var body = { note: note };
    if (K.state.user && K.state.user.agencyId === null) { body.agencyId = K.state.handoverAgency; }
    K.api('POST', '/api/v1/handover/notes', body).then(function () {
      $('handover-note').value = '';
      return loadHandover();
    }).catch(function (e) { $('handover-error').textContent = e.message; });
  };

  // ---- period report (supervisors)
  function loadReport() {
    $('report-error').textContent = '';
    if (!$('r-from').value) {
      var today = localDay(new Date());
      $('r-to').value = today;
      $('r-from').value = localDay(new Date(Date.now() - 6 * 86400000));
    }
    var from = dayStart($('r-from').value), to = dayStart(nextDay($('r-to').value));
    return K.api('GET', '/api/v1/reports/alerts?from=' + encodeURIComponent(from) + '&to=' + encodeURIComponent(to))
      .then(function (r) { lastReport = r; renderReport(); })
      .catch(function (e) { $('report-error').textContent = e.message; });
  }

  function duration(seconds) {
    if (seconds === null || seconds === undefined) { return '–'; }
    var s = Math.round(seconds), h = Math.floor(s / 3600), m = Math.floor(s % 3600 / 60), r = s % 60;
    return (h ? h + ':' + String(m).padStart(2, '0') : String(m)) + ':' + String(r).padStart(2, '0');
  }

  function table(id, headers, rows) {
    var tbl = el('table', { id: id, className: 'rv-table' });
    var head = el('tr');
    headers.forEach(function (h) { head.appendChild(el('th', {}, h)); });
    tbl.appendChild(el('thead')).appendChild(head);
    var body = tbl.appendChild(el('tbody'));
    rows.forEach(function (cells) {
      var tr = el('tr');
      cells.forEach(function (c) { tr.appendChild(el('td', {}, c)); });
      body.appendChild(tr);
    });
    return tbl;
  }

  function renderReport() {
    var r = lastReport;
    var out = $('report-body');
    if (!r) { return; }
    out.textContent = '';
    out.appendChild(el('h2', {}, t('reportTitle') + ': ' + r.fromLocal + ' – ' + r.toLocal));
    out.appendChild(el('p', { id: 'report-total' }, t('reportTotal') + ': ' + r.total));
    out.appendChild(el('h3', {}, t('reportByType')));
    out.appendChild(table('report-by-type', [t('typeCol'), t('reportAlerts'), t('reportResolved'), t('report_escalated')],
      r.byType.map(function (x) { return [t(x.type), x.alerts, x.resolved, x.escalated]; })));
    out.appendChild(el('h3', {}, t('reportTimes')));
    out.appendChild(table('report-times', [t('severityCol'), t('reportAlerts'), t('reportAckMedian'), t('reportAckP90'),
      t('reportResolveMedian'), t('reportResolveP90')], r.times.map(function (x) {
      return [x.severity === 'ALL' ? t('reportAll') : t(x.severity), x.alerts, duration(x.ackMedianSeconds),
        duration(x.ackP90Seconds), duration(x.resolveMedianSeconds), duration(x.resolveP90Seconds)];
    })));
    out.appendChild(el('h3', {}, t('reportSla')));
    out.appendChild(table('report-sla', [t('severityCol'), t('reportAckSla'), t('reportAlerts'), t('reportBreaches'), t('report_escalated')],
      r.sla.map(function (x) { return [t(x.severity), duration(x.ackSlaSeconds), x.alerts, x.breaches, x.escalated]; })));
    out.appendChild(el('h3', {}, t('reportOperators')));
    out.appendChild(table('report-operators', [t('reportUser'), t('reportAcknowledged'), t('reportResolved'), t('reportContacts'),
      t('reportComments')], r.operators.map(function (x) { return [x.user, x.acknowledged, x.resolved, x.contacts, x.comments]; })));
  }

  $('report-form').onsubmit = function (ev) { ev.preventDefault(); loadReport(); };
  $('r-print').onclick = function () { window.print(); };

  // ---- the incident report from the alert detail too
  var detailReport = el('button', { id: 'incident-report-btn', 'data-i18n': 'incidentReport' });
  detailReport.onclick = function () { if (K.state.selected) { openIncidentReport(K.state.selected); } };
  $('ack-btn').insertAdjacentElement('afterend', detailReport);

  K.on('start', function (user) {
    nav.hidden = false;
    $('view-reports').hidden = !mayReport();
    history.rows = []; lastReport = null; lastHandover = null;
    K.state.handoverAgency = user.agencyId;
    show('queue');
  });
  K.on('logout', function () { nav.hidden = true; pane.hidden = true; view = 'queue'; });
  // console.js translated the page before this file added its elements: translate them now and on every change
  function translate() {
    document.querySelectorAll('#report-views [data-i18n], #view-switch [data-i18n], #incident-report-btn').forEach(function (e) {
      e.textContent = t(e.dataset.i18n);
    });
    document.querySelectorAll('#report-views [data-i18n-placeholder]').forEach(function (e) {
      e.placeholder = t(e.dataset.i18nPlaceholder);
    });
    renderHistory(); renderHandover(); renderReport();
  }
  K.on('translate', translate);
  translate();
  K.on('live', function (m) {
    if (view === 'handover' && (m.kind === 'alert' || m.kind === 'alert-action')) { loadHandover(); }
  });
  K.openIncidentReport = openIncidentReport;
  K.showView = show;
}());
