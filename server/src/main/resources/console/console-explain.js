// Alert explanations in the operator's language (issue 13). The server's one-line explanation is English; the
// console builds its own from the alert's structured details (the numbers behind the line: rule, zone, distance,
// accuracy, fixes, durations, battery level, limits) with texts from i18n-explain.js, and writes every time in the
// agency's time zone. An alert without the details it needs falls back to its translated type (never to English,
// except in the English console).
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var ZONE_TYPES = ['EXCLUSION_VIOLATION', 'INCLUSION_VIOLATION', 'CURFEW_VIOLATION', 'PROXIMITY_VIOLATION',
    'PROXIMITY_WARNING', 'ZONE_UNCERTAIN', 'CURFEW_STATUS_UNKNOWN', 'ZONE_APPROACH_WARNING', 'CURFEW_WARNING'];
  // an upload delay worth stating (the server states it after core.lateFixThresholdS; a minute is the default)
  var UPLOAD_DELAY_STATED_S = 60;

  // a text with {name} placeholders filled in
  function tf(key, params) {
    return K.t(key).replace(/\{(\w+)\}/g, function (all, name) {
      return params[name] === undefined || params[name] === null ? all : String(params[name]);
    });
  }

  function duration(seconds) {
    var s = Math.max(0, Math.round(Number(seconds) || 0));
    if (s < 120) { return tf('ex_sec', { n: s }); }
    var m = Math.round(s / 60);
    if (m >= 48 * 60) { return tf('ex_days', { n: Math.floor(m / 1440) }); }
    return m < 120 ? tf('ex_min', { n: m }) : tf('ex_hmin', { h: Math.floor(m / 60), m: m % 60 });
  }

  function metres(value) {
    var abs = Math.abs(Number(value));
    return abs >= 10000 ? tf('ex_km', { n: (abs / 1000).toFixed(1) }) : tf('ex_m', { n: Math.round(abs) });
  }

  function position(d) {
    if (d.signedDistanceMetres === null || d.signedDistanceMetres === undefined) { return K.t('ex_distanceUnknown'); }
    var proximity = d.ruleKind === 'PROXIMITY';
    var inside = d.signedDistanceMetres >= 0;
    var text = tf(proximity ? (inside ? 'ex_proxInside' : 'ex_proxOutside') : (inside ? 'ex_inside' : 'ex_outside'),
      { distance: metres(d.signedDistanceMetres) });
    return d.accuracyMetres === null || d.accuracyMetres === undefined ? text
      : text + ' (' + tf('ex_accuracy', { accuracy: metres(d.accuracyMetres) }) + ')';
  }

  function zoneExplanation(a, d) {
    var head = tf('ex_subject', { kind: K.t('ex_kind_' + d.ruleKind), rule: d.ruleName })
      + (d.zoneName && d.zoneName !== d.ruleName ? ' (' + tf('ex_zoneNamed', { zone: d.zoneName }) + ')' : '');
    var body;
    if (a.type === 'CURFEW_STATUS_UNKNOWN') {
      body = tf('ex_statusUnknown', { time: K.fmtTime(d.openingFixTime), duration: duration(d.durationSeconds) });
    } else if (d.basis === 'LAST_KNOWN_POSITION') {
      body = tf('ex_windowAway', { time: K.fmtTime(d.openingFixTime), last: d.lastFixTime ? K.fmtTime(d.lastFixTime) : K.t('ex_neverSince') })
        + ', ' + position(d);
    } else if (a.type === 'ZONE_UNCERTAIN') {
      body = tf('ex_ambiguous', { duration: duration(d.durationSeconds) }) + ': ' + position(d) + ', ' + tf('ex_fixCount', { count: d.fixCount });
    } else if (a.type === 'PROXIMITY_WARNING') {
      body = K.t('ex_warning') + ': ' + position(d);
    } else if (a.type === 'ZONE_APPROACH_WARNING') {
      body = K.t('ex_approach') + ': ' + position(d);
    } else if (a.type === 'CURFEW_WARNING') {
      // openingFixTime is the window's start, durationSeconds how long before it the warning was decided
      body = tf('ex_curfewSoon', { time: K.fmtTime(d.openingFixTime), duration: duration(d.durationSeconds) }) + ': ' + position(d);
    } else {
      body = position(d) + ', ' + tf('ex_fixes', { count: d.fixCount, duration: duration(d.durationSeconds) });
    }
    var text = head + ': ' + body;
    if (d.uploadDelaySeconds >= UPLOAD_DELAY_STATED_S) { text += '; ' + tf('ex_upload', { duration: duration(d.uploadDelaySeconds) }); }
    if (a.late) { text += '; ' + K.t('ex_late'); }
    return text;
  }

  function since(d, a, key) {
    return d.neverSinceMonitoringBegan ? K.t('ex_neverSince') : tf(key, { time: K.fmtTime(a.fixTime) });
  }

  function deviceExplanation(a, d) {
    switch (a.type) {
      case 'BATTERY_LOW':
      case 'BATTERY_CRITICAL':
        return d.batteryPercent === undefined ? null
          : tf(d.thresholdPercent === undefined ? 'ex_batteryLevel' : 'ex_battery', { percent: d.batteryPercent, threshold: d.thresholdPercent });
      case 'NO_COMMUNICATION':
        return d.silentSeconds === undefined ? null
          : tf('ex_noComm', { duration: duration(d.silentSeconds), limit: duration(d.limitSeconds) }) + '; ' + since(d, a, 'ex_lastMessage');
      case 'NO_GPS_FIX':
        return d.noFixSeconds === undefined ? null
          : tf('ex_noFix', { duration: duration(d.noFixSeconds), limit: duration(d.limitSeconds) }) + '; ' + since(d, a, 'ex_lastFix');
      case 'STRAP_TAMPER':
      case 'CASE_TAMPER':
      case 'POWER_OFF':
        return tf('ex_reported', { time: K.fmtTime(a.fixTime) })
          + (a.late ? '; ' + tf('ex_reportedLate', { time: K.fmtTime(a.detectedAt) }) : '');
      case 'CLOCK_FAULT':
        return d.faultyFixes === undefined ? null : tf('ex_clockFault', { count: d.faultyFixes,
          offset: duration(Math.abs(d.offsetSeconds)), direction: K.t(d.offsetSeconds > 0 ? 'ex_ahead' : 'ex_behind'),
          claimed: K.fmtTime(new Date(d.claimedFixTimeMs).toISOString()), received: K.fmtTime(new Date(d.receivedAtMs).toISOString()) });
      case 'DUPLICATE_SESSION':
        return tf('ex_duplicate', { time: K.fmtTime(a.fixTime) }) + (d.outcome ? '; ' + K.t('ex_dup_' + d.outcome) : '');
      default:
        return null;
    }
  }

  K.explain = function (a) {
    var d = a.details || {};
    var text = ZONE_TYPES.indexOf(a.type) >= 0 ? (d.ruleKind ? zoneExplanation(a, d) : null) : deviceExplanation(a, d);
    if (text) { return text; }
    return K.state.lang === 'en' && a.explanation ? a.explanation : K.t(a.type);
  };
}());
