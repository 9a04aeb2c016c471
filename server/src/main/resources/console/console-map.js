// Kuzet console map: the subject of the selected alert with its own zones (the breached one emphasised, nothing of
// other subjects), the fixes that triggered the alert with their accuracy circles, a time-labelled breadcrumb track
// with playback, and, on request, the last position of every subject of the agency. Plugs in through
// window.KuzetConsole (console.js); reads only /api/v1 (every location read is audited by the server).
(function () {
  'use strict';
  var K = window.KuzetConsole;
  var $ = function (id) { return document.getElementById(id); };
  var PLAY_STEP_MS = 400;
  var STYLE = {
    breached: { className: 'kuzet-zone zone-breached', color: '#b00020', weight: 5, fillOpacity: 0.28 },
    own: { className: 'kuzet-zone zone-own', color: '#e76f51', weight: 2, fillOpacity: 0.06, dashArray: '6 4' },
    line: { className: 'kuzet-track', color: '#1d3557', weight: 3, opacity: 0.7 },
    crumb: { className: 'kuzet-breadcrumb', radius: 3, color: '#1d3557', weight: 1, fillColor: '#fff', fillOpacity: 1 },
    trigger: { className: 'kuzet-trigger-fix', radius: 5, color: '#b00020', weight: 2, fillColor: '#ffd166', fillOpacity: 1 },
    triggerAccuracy: { className: 'kuzet-trigger-accuracy', color: '#b00020', weight: 1, dashArray: '2 3', fillOpacity: 0.08 },
    position: { className: 'kuzet-position', radius: 8, color: '#fff', weight: 3, fillColor: '#1d3557', fillOpacity: 1 },
    accuracy: { className: 'kuzet-accuracy', color: '#457b9d', weight: 1, fillOpacity: 0.2 },
    latest: { className: 'kuzet-latest', radius: 5, color: '#2a9d8f', weight: 2, fillColor: '#fff', fillOpacity: 0.9 }
  };
  var map = null;
  var layers = null;       // zones, track, trigger, position, latest: one layer group each
  var track = [];          // the shown track's Point features, oldest first
  var shown = null;        // the alert on the map
  var generation = 0;      // bumps on every new alert so late answers for an earlier one are dropped
  var player = null;       // playback timer
  var latestBySubject = {};

  function init() {
    if (map) { map.invalidateSize(); return; }
    addControls();
    map = L.map('map', { zoomControl: true }).setView([43.238, 76.945], 13);
    K.state.map = map;
    layers = { zones: L.layerGroup().addTo(map), track: L.layerGroup().addTo(map), trigger: L.layerGroup().addTo(map),
      position: L.layerGroup().addTo(map), latest: L.layerGroup() };
    K.api('GET', '/api/v1/console/config').then(function (cfg) {
      if (cfg.tileUrl) { L.tileLayer(cfg.tileUrl, { attribution: cfg.tileAttribution, maxZoom: 19 }).addTo(map); }
    });
    // the map sits under the alert detail, which appears, grows and shrinks: Leaflet must hear of every size change
    // or it centres on a size it no longer has (the marker ends up below the visible map)
    if (window.ResizeObserver) { new ResizeObserver(function () { map.invalidateSize(); }).observe($('map')); }
  }

  // the play button and the all-subjects switch, next to the slider index.html already has
  function addControls() {
    var controls = $('track-controls');
    var play = document.createElement('button');
    play.id = 'track-play';
    play.type = 'button';
    play.dataset.i18n = 'play';
    play.textContent = K.t('play');
    controls.insertBefore(play, $('track-slider'));
    var label = document.createElement('label');
    var box = document.createElement('input');
    box.type = 'checkbox';
    box.id = 'layer-latest';
    var text = document.createElement('span');
    text.dataset.i18n = 'allSubjectsLayer';
    text.textContent = K.t('allSubjectsLayer');
    label.appendChild(box); label.appendChild(text);
    controls.appendChild(label);
    $('track-slider').oninput = function () { stop(); showPoint(); };
    $('track-hours').onchange = function () { if (shown) { show(shown); } };
    play.onclick = function () { if (player) { stop(); } else { playFromStart(); } };
    box.onchange = function () { if (box.checked) { showLatest(); } else { map.removeLayer(layers.latest); } };
  }

  function show(alert) {
    init();
    map.invalidateSize(); // the detail pane was hidden until now; the map just lost height
    stop();
    shown = alert;
    var mine = ++generation;
    layers.zones.clearLayers(); layers.track.clearLayers(); layers.trigger.clearLayers(); layers.position.clearLayers();
    track = [];
    Promise.all([subjectZones(alert).catch(function () { return []; }), loadTrack(alert)]).then(function (r) {
      if (mine !== generation) { return; }
      drawZones(r[0], alert);
      drawTrack(r[1]);
      var triggering = drawTrigger(alert);
      fit(triggering);
    });
  }

  // the zones of the subject's own rules in the orders in force at the alert: orders -> rules -> zones (a handful
  // of small reads)
  function subjectZones(alert) {
    var at = alert.fixTime ? new Date(alert.fixTime).getTime() : K.serverNow();
    return K.api('GET', '/api/v1/subjects/' + alert.subjectId + '/orders').then(function (res) {
      var inForce = res.orders.filter(function (o) {
        return (!o.startsAt || new Date(o.startsAt).getTime() <= at) && (!o.endsAt || new Date(o.endsAt).getTime() > at);
      });
      return Promise.all(inForce.map(function (o) {
        return K.api('GET', '/api/v1/orders/' + o.id + '/rules').then(function (r) { return r.rules; });
      }));
    }).then(function (ruleLists) {
      var byZone = {};
      [].concat.apply([], ruleLists).forEach(function (rule) {
        if (rule.zoneId && rule.active !== false) { (byZone[rule.zoneId] = byZone[rule.zoneId] || []).push(rule); }
      });
      return Promise.all(Object.keys(byZone).map(function (zoneId) {
        return K.api('GET', '/api/v1/zones/' + zoneId).then(function (zone) { return { zone: zone, rules: byZone[zoneId] }; });
      }));
    });
  }

  function breaches(entry, alert) {
    var details = alert.details || {};
    return entry.rules.some(function (r) { return r.id === alert.ruleId; })
      || !!details.zoneName && entry.zone.properties && entry.zone.properties.name === details.zoneName;
  }

  function drawZones(entries, alert) {
    entries.forEach(function (entry) {
      var breached = breaches(entry, alert);
      var style = breached ? STYLE.breached : STYLE.own;
      var layer = L.geoJSON(entry.zone, {
        style: style,
        pointToLayer: function (f, latlng) { return L.circle(latlng, Object.assign({ radius: f.properties.radius_m || 50 }, style)); }
      });
      layer.bindTooltip(entry.zone.properties.name + ' · ' + entry.rules.map(function (r) { return r.name; }).join(', ')
        + (breached ? ' · ' + K.t('breachedZone') : ''));
      layer.addTo(layers.zones);
      layer.eachLayer(function (l) { mark(l, 'data-zone-id', entry.zone.id); });
      if (breached) { layer.bringToFront(); }
    });
  }

  // SVG paths get their zone id once they are on the map, for tests and the browser's developer tools
  function mark(layer, name, value) {
    var el = layer.getElement && layer.getElement();
    if (el) { el.setAttribute(name, value); }
  }

  function loadTrack(alert) {
    var hours = Number($('track-hours').value);
    var to = new Date(K.serverNow()), from = new Date(to.getTime() - hours * 3600 * 1000);
    if (alert.fixTime) {
      // around the alert, whatever the clock says (a late upload, an old alert, the demo's simulated time)
      var fix = new Date(alert.fixTime);
      if (fix < from || fix > to) { from = new Date(fix.getTime() - hours * 3600 * 1000); to = new Date(fix.getTime() + 3600 * 1000); }
    }
    return K.api('GET', '/api/v1/subjects/' + alert.subjectId + '/track?from=' + from.toISOString() + '&to=' + to.toISOString()
      + '&purpose=alert%20review').catch(function () { return { features: [] }; });
  }

  function latLng(f) { return [f.geometry.coordinates[1], f.geometry.coordinates[0]]; }

  function fixLabel(f) {
    var p = f.properties;
    return K.fmtTime(p.time) + (p.accuracyM ? ' ±' + Math.round(p.accuracyM) + ' m' : '');
  }

  function drawTrack(fc) {
    track = fc.features.filter(function (f) { return f.geometry.type === 'Point'; });
    L.geoJSON(fc.features.filter(function (f) { return f.geometry.type === 'LineString'; }), { style: STYLE.line }).addTo(layers.track);
    track.forEach(function (f, i) {
      L.circleMarker(latLng(f), STYLE.crumb).bindTooltip(fixLabel(f)).on('click', function () {
        stop(); $('track-slider').value = i; showPoint();
      }).addTo(layers.track);
    });
    $('track-slider').max = Math.max(0, track.length - 1);
    $('track-slider').value = $('track-slider').max;
    showPoint();
  }

  // the fixes that opened the violation: from its opening fix to the one that confirmed it (at most fixCount)
  function drawTrigger(alert) {
    var details = alert.details || {};
    if (!alert.fixTime) { return []; }
    var last = new Date(alert.fixTime).getTime();
    var first = details.openingFixTime ? new Date(details.openingFixTime).getTime() : last;
    var fixes = track.filter(function (f) {
      var t = new Date(f.properties.time).getTime();
      return t >= first && t <= last;
    });
    if (details.fixCount > 0) { fixes = fixes.slice(-details.fixCount); }
    fixes.forEach(function (f) {
      L.circle(latLng(f), Object.assign({ radius: f.properties.accuracyM || 0 }, STYLE.triggerAccuracy)).addTo(layers.trigger);
      L.circleMarker(latLng(f), STYLE.trigger).bindTooltip(K.t('triggerFix') + ': ' + fixLabel(f)).addTo(layers.trigger);
    });
    return fixes;
  }

  // the breached zone, the triggering fixes and the marker in view; the whole track when nothing else is known
  function fit(triggering) {
    map.invalidateSize();
    var bounds = L.latLngBounds([]);
    layers.zones.eachLayer(function (g) {
      g.eachLayer(function (l) { if (l.getElement && /zone-breached/.test(l.options.className)) { bounds.extend(l.getBounds()); } });
    });
    triggering.forEach(function (f) { bounds.extend(latLng(f)); });
    var current = track[Number($('track-slider').value)];
    if (current) { bounds.extend(latLng(current)); }
    if (!bounds.isValid()) { track.forEach(function (f) { bounds.extend(latLng(f)); }); }
    if (bounds.isValid()) { map.fitBounds(bounds.pad(0.25), { maxZoom: 17, animate: false }); }
  }

  function showPoint() {
    layers.position.clearLayers();
    var f = track[Number($('track-slider').value)];
    if (!f) { $('track-time').textContent = ''; return; }
    L.circle(latLng(f), Object.assign({ radius: f.properties.accuracyM || 0 }, STYLE.accuracy)).addTo(layers.position);
    L.circleMarker(latLng(f), STYLE.position).bindTooltip(fixLabel(f)).addTo(layers.position);
    $('track-time').textContent = fixLabel(f) + (f.properties.assurance ? ' · ' + K.t('assurance_' + f.properties.assurance) : '');
    $('track-time').dataset.assurance = f.properties.assurance || '';
    if (player && !map.getBounds().contains(latLng(f))) { map.panTo(latLng(f), { animate: false }); }
  }

  function playFromStart() {
    var slider = $('track-slider');
    if (!track.length) { return; }
    if (Number(slider.value) >= Number(slider.max)) { slider.value = 0; showPoint(); }
    $('track-play').textContent = K.t('pause'); $('track-play').dataset.i18n = 'pause';
    player = setInterval(function () {
      if (Number(slider.value) >= Number(slider.max)) { stop(); return; }
      slider.value = Number(slider.value) + 1;
      showPoint();
    }, PLAY_STEP_MS);
  }

  function stop() {
    if (player) { clearInterval(player); player = null; }
    var play = $('track-play');
    if (play) { play.textContent = K.t('play'); play.dataset.i18n = 'play'; }
  }

  // every subject's last position (the server scopes it to the operator's agency and audits the read)
  function showLatest() {
    Promise.all([K.api('GET', '/api/v1/positions/latest?sinceHours=24&purpose=map%20overview'), subjectNames()]).then(function (r) {
      layers.latest.clearLayers();
      latestBySubject = {};
      r[0].features.forEach(function (f) { placeLatest(f.properties.subjectId, latLng(f), f.properties.time); });
      layers.latest.addTo(map);
    });
  }

  // names for the overview's tooltips, read once per sign-in
  var names = null;
  function subjectNames() {
    if (names) { return Promise.resolve(names); }
    return K.api('GET', '/api/v1/subjects').then(function (res) {
      names = {};
      res.subjects.forEach(function (s) { names[s.id] = s.displayName + ' (' + s.externalCaseId + ')'; });
      return names;
    }).catch(function () { return {}; });
  }

  function placeLatest(subjectId, ll, time) {
    var m = latestBySubject[subjectId];
    var label = ((names || {})[subjectId] || K.t('subject') + ' #' + subjectId) + ' · ' + K.fmtTime(time);
    if (m) { m.setLatLng(ll).setTooltipContent(label); return; }
    latestBySubject[subjectId] = L.circleMarker(ll, STYLE.latest).bindTooltip(label).addTo(layers.latest);
  }

  K.on('start', init);
  K.on('alert', show);
  K.on('live', function (m) {
    // the overview follows the live stream while it is on
    if (m.kind === 'position' && map && map.hasLayer(layers.latest)) { placeLatest(m.subjectId, [m.lat, m.lon], m.time); }
  });
  K.on('logout', function () {
    stop();
    shown = null;
    generation++;
    if (layers) { Object.keys(layers).forEach(function (k) { layers[k].clearLayers(); }); }
    if ($('layer-latest')) { $('layer-latest').checked = false; }
    names = null;
  });
}());
