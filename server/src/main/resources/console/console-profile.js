// Subject profile in the alert detail (issue 13): case, order kind and terms, risk level, the rules with their zones
// and schedule windows (in the agency's time zone), the victim unit of a proximity rule when the agency may see it,
// the assigned officer and the numbers to call, each device's last contact and last battery report. Loaded from
// GET /api/v1/subjects/{id}/profile whenever an alert is shown; redrawn when the language changes.
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var current = null;   // the profile shown, for redrawing in another language

  function panel() {
    var p = document.getElementById('profile');
    if (!p) {
      p = document.createElement('section');
      p.id = 'profile';
      p.className = 'profile';
      var dl = document.getElementById('d-subject').closest('dl');
      dl.parentNode.insertBefore(p, dl.nextSibling);
    }
    return p;
  }

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = text; }
    if (cls) { e.className = cls; }
    return e;
  }

  function row(dl, key, value, id) {
    dl.appendChild(el('dt', K.t(key)));
    var dd = el('dd');
    if (id) { dd.id = id; }
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = value === null || value === undefined || value === '' ? '—' : value; }
    dl.appendChild(dd);
  }

  function phone(number) {
    if (!number) { return '—'; }
    var a = el('a', number);
    a.href = 'tel:' + number.replace(/[^+\d]/g, '');
    return a;
  }

  // the language's own quotation marks around a name (texts of i18n-explain.js)
  function quoted(key, params) {
    return K.t(key).replace(/\{(\w+)\}/g, function (all, name) { return params[name]; });
  }

  function date(iso) {
    return iso ? K.fmtTime(iso) : K.t('pf_openEnded');
  }

  function deviceText(d) {
    var parts = [K.t('pf_role_' + d.role) + ' ' + d.protocol + ' ' + d.deviceNumber];
    parts.push(K.t('pf_battery') + ' ' + (d.batteryPercent === null || d.batteryPercent === undefined ? K.t('pf_notReported')
      : d.batteryPercent + ' % (' + K.fmtTime(d.batteryAt) + ')'));
    parts.push(K.t('pf_lastContact') + ' ' + (d.lastContactAt ? K.fmtTime(d.lastContactAt) : K.t('pf_never')));
    return parts.join(' · ');
  }

  function ruleItem(r) {
    var li = el('li');
    li.dataset.ruleKind = r.kind;
    var text = quoted('ex_subject', { kind: K.t('ex_kind_' + r.kind), rule: r.name });
    if (r.zone) { text += ' · ' + quoted('ex_zoneNamed', { zone: r.zone.name }); }
    if (r.kind === 'PROXIMITY') {
      text += ' · ' + K.t('pf_distance') + ' ' + Math.round(r.distanceM) + ' ' + K.t('pf_metres');
      var v = r.victimUnit || {};
      text += ' · ' + K.t('pf_victimUnit') + ' ' + (v.visible ? v.protocol + ' ' + v.deviceNumber + ' (' + K.t('pf_lastContact') + ' '
        + (v.lastContactAt ? K.fmtTime(v.lastContactAt) : K.t('pf_never')) + ')' : K.t('pf_victimHidden'));
    }
    li.appendChild(el('span', text));
    if (r.windows && r.windows.length) {
      var w = el('div', K.t('pf_windows') + ': ' + r.windows.map(function (x) {
        return K.t('pf_day_' + x.day) + ' ' + x.start + '–' + x.end;
      }).join(', '), 'windows');
      li.appendChild(w);
    } else {
      li.appendChild(el('div', K.t('pf_always'), 'windows'));
    }
    (r.exceptions || []).forEach(function (x) {
      li.appendChild(el('div', K.t(x.add ? 'pf_exceptionAdd' : 'pf_exceptionRemove') + ' ' + K.fmtTime(x.startsAt) + ' – '
        + K.fmtTime(x.endsAt) + (x.reason ? ': ' + x.reason : ''), 'exception'));
    });
    return li;
  }

  function render() {
    var p = panel();
    p.textContent = '';
    if (!current) { p.hidden = true; return; }
    p.hidden = false;
    var f = current;
    p.appendChild(el('h3', K.t('pf_title')));
    var dl = el('dl');
    row(dl, 'pf_case', f.externalCaseId + ' · ' + f.displayName, 'pf-case');
    if (f.order) {
      var o = f.order;
      row(dl, 'pf_order', K.t('pf_kind_' + o.kind) + ' · ' + o.legalReference, 'pf-order');
      row(dl, 'pf_terms', date(o.startsAt) + ' – ' + date(o.endsAt) + (o.active ? '' : ' (' + K.t('pf_notInForce') + ')'), 'pf-terms');
      row(dl, 'pf_risk', K.t('pf_risk_' + o.riskLevel), 'pf-risk');
    } else {
      row(dl, 'pf_order', K.t('pf_noOrder'), 'pf-order');
    }
    row(dl, 'pf_officer', (f.officer && f.officer.name) || '—', 'pf-officer');
    row(dl, 'pf_officerPhone', phone(f.officer && f.officer.phone), 'pf-officer-phone');
    row(dl, 'pf_subjectPhone', phone(f.phone), 'pf-phone');
    var devices = el('ul');
    devices.id = 'pf-devices';
    f.devices.forEach(function (d) { devices.appendChild(el('li', deviceText(d))); });
    if (!f.devices.length) { devices.appendChild(el('li', K.t('pf_noDevice'))); }
    row(dl, 'pf_devices', devices);
    p.appendChild(dl);
    p.appendChild(el('h4', K.t('pf_rules') + ' (' + K.t('pf_timesIn') + ' ' + f.timeZone + ')'));
    var rules = el('ul');
    rules.id = 'pf-rules';
    f.rules.forEach(function (r) { rules.appendChild(ruleItem(r)); });
    if (!f.rules.length) { rules.appendChild(el('li', K.t('pf_noRules'))); }
    p.appendChild(rules);
  }

  var requested = null;
  K.on('alert', function (a) {
    var subjectId = a.subjectId;
    requested = subjectId;
    K.api('GET', '/api/v1/subjects/' + subjectId + '/profile').then(function (f) {
      if (requested !== subjectId) { return; }   // another alert was opened meanwhile
      current = f;
      render();
    }).catch(function (e) {
      current = null;
      render();
      panel().hidden = false;
      panel().textContent = K.t('pf_unavailable') + ': ' + e.message;
    });
  });
  K.on('translate', function () { if (current) { render(); } });
  K.on('logout', function () { current = null; requested = null; if (document.getElementById('profile')) { render(); } });
}());
