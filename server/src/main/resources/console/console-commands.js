// Device commands in the alert detail (docs/commands.md): the operator sends the subject's bracelet a command with a
// reason and sees each command's state and the device's answer, updated live ("kind":"command" messages). Operators
// may ask for a position, a status report or a vibration; changing the reporting interval is offered to supervisors
// only (the server enforces the same). Plugs in through window.KuzetConsole.
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var t = K.t;
  var KINDS = ['LOCATE_NOW', 'REQUEST_STATUS', 'VIBRATE', 'SET_REPORTING_INTERVAL'];
  var DEFAULT_ARGUMENT = { VIBRATE: 1500, SET_REPORTING_INTERVAL: 15 };
  var ROLE_ORDER = { operator: 0, supervisor: 1, admin: 2 };
  var current = { subjectId: null, alertId: null, commands: {} };
  var $ = function (id) { return document.getElementById(id); };

  function mayChangeInterval() {
    var u = K.state.user;
    return !!u && ROLE_ORDER[String(u.role).toLowerCase()] >= ROLE_ORDER.supervisor;
  }

  // built once, inside the alert detail, above the alert's history
  function panel() {
    if ($('commands')) { return $('commands'); }
    var box = document.createElement('section');
    box.id = 'commands';
    box.innerHTML = '<h3 id="cmd-title"></h3><div class="actions">'
      + '<select id="cmd-kind" aria-label="Command"></select>'
      + '<input id="cmd-argument" type="number" min="0" aria-label="Argument" hidden>'
      + '<input id="cmd-reason" maxlength="500">'
      + '<button id="cmd-send"></button></div>'
      + '<p id="cmd-error" class="error" role="alert"></p><ol id="cmd-list"></ol>';
    var history = document.querySelector('#detail h3[data-i18n="history"]');
    history.parentNode.insertBefore(box, history);
    $('cmd-send').onclick = send;
    $('cmd-kind').onchange = showArgument;
    return box;
  }

  function renderForm() {
    panel();
    $('cmd-title').textContent = t('commands');
    $('cmd-send').textContent = t('cmdSend');
    $('cmd-reason').placeholder = t('cmdReason');
    var select = $('cmd-kind');
    var chosen = select.value;
    select.innerHTML = '';
    KINDS.forEach(function (kind) {
      if (kind === 'SET_REPORTING_INTERVAL' && !mayChangeInterval()) { return; }
      var o = document.createElement('option');
      o.value = kind;
      o.textContent = t('cmd_' + kind);
      select.appendChild(o);
    });
    if (chosen && select.querySelector('option[value="' + chosen + '"]')) { select.value = chosen; }
    showArgument();
  }

  function showArgument() {
    var kind = $('cmd-kind').value;
    var arg = $('cmd-argument');
    arg.hidden = !(kind in DEFAULT_ARGUMENT);
    arg.placeholder = kind === 'VIBRATE' ? t('cmdMilliseconds') : t('cmdSeconds');
    if (!arg.hidden && !arg.value) { arg.value = DEFAULT_ARGUMENT[kind]; }
  }

  function renderList() {
    var list = $('cmd-list');
    if (!list) { return; }
    list.innerHTML = '';
    Object.keys(current.commands).map(function (id) { return current.commands[id]; })
      .sort(function (a, b) { return Number(b.id) - Number(a.id); })
      .forEach(function (c) {
        var li = document.createElement('li');
        li.dataset.commandId = c.id;
        li.dataset.state = c.state;
        var what = t('cmd_' + c.kind) + (c.kind in DEFAULT_ARGUMENT ? ' (' + c.argument + ')' : '');
        var st = document.createElement('strong');
        st.className = 'cmd-state';
        st.textContent = t('cmdState_' + c.state);
        li.appendChild(document.createTextNode(what + ' - '));
        li.appendChild(st);
        var info = ' - ' + (c.finishedAt ? K.fmtTime(c.finishedAt) : K.fmtTime(c.createdAt)) + ' - '
          + (c.origin === 'SUPERVISION' ? t('cmdBySupervision') : c.requestedBy) + ': ' + c.reason;
        if (c.result) { info += ' - ' + t('cmdResult') + ': ' + c.result; }
        if (c.attempts > 1) { info += ' (' + t('cmdAttempts') + ' ' + c.attempts + ')'; }
        li.appendChild(document.createTextNode(info));
        list.appendChild(li);
      });
  }

  function load() {
    if (!current.subjectId) { return; }
    var subject = current.subjectId;
    K.api('GET', '/api/v1/subjects/' + subject + '/commands').then(function (r) {
      if (subject !== current.subjectId) { return; }
      current.commands = {};
      r.commands.forEach(function (c) { current.commands[c.id] = c; });
      renderList();
    }).catch(function (e) { $('cmd-error').textContent = e.message; });
  }

  function send() {
    var kind = $('cmd-kind').value;
    var reason = $('cmd-reason').value.trim();
    $('cmd-error').textContent = '';
    if (!reason) { $('cmd-error').textContent = t('cmdReasonRequired'); return; }
    var body = { kind: kind, reason: reason, alertId: current.alertId };
    if (kind in DEFAULT_ARGUMENT) { body.argument = Number($('cmd-argument').value); }
    K.api('POST', '/api/v1/subjects/' + current.subjectId + '/commands', body).then(function (c) {
      current.commands[c.id] = Object.assign(current.commands[c.id] || {}, c);
      $('cmd-reason').value = '';
      renderList();
    }).catch(function (e) { $('cmd-error').textContent = e.message; });
  }

  K.on('alert', function (a) {
    renderForm();
    if (current.subjectId !== a.subjectId) { current.commands = {}; renderList(); }
    current.subjectId = a.subjectId;
    current.alertId = a.alertId;
    load();
  });
  K.on('live', function (m) {
    if (m.kind !== 'command' || !m.command || m.subjectId !== current.subjectId) { return; }
    var known = current.commands[m.command.id];
    // a late message never takes a command back to an earlier state
    if (known && known.finishedAt && !m.command.finishedAt) { return; }
    current.commands[m.command.id] = m.command;
    renderList();
  });
  K.on('translate', function () { if ($('commands')) { renderForm(); renderList(); } });
  K.on('logout', function () { current = { subjectId: null, alertId: null, commands: {} }; renderList(); });
})();
