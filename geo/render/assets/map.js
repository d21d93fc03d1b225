/* conflictmap: the map's own code. Incidents arrive as one JSON data blob; markers,
 * popups, legend and filters are built here from data. Strings from articles are only
 * ever written with textContent (never innerHTML); links are relative or http(s). */
(function () {
  'use strict';
  var T0 = performance.now(), TM = {};
  var D = JSON.parse(document.getElementById('cm-data').textContent);
  var B = JSON.parse(document.getElementById('cm-basemap').textContent);
  TM.parsed = performance.now() - T0;
  var S = D.s, R = D.i, A = D.a, F = D.f;
  var NAMES = D.countries || {};

  // ----- helpers ---------------------------------------------------------------------------
  function str(v) { return v == null ? null : (typeof v === 'number' ? S[v] : String(v)); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text != null) e.textContent = text;
    return e;
  }
  function esc(s) { // only for Leaflet APIs that take HTML strings (attribution, layer names)
    return String(s).replace(/[&<>"'`]/g, function (c) { return '&#' + c.charCodeAt(0) + ';'; });
  }
  function country(code) { return code ? (NAMES[code] ? NAMES[code] + ' (' + code + ')' : code) : null; }
  function rng(a) {
    if (!a || (a[0] == null && a[1] == null && a[2] == null)) return null;
    var f = function (v) { return v == null ? '?' : String(v); };
    if (a[0] === a[1] && a[1] === a[2]) return f(a[1]);
    return f(a[0]) + '–' + f(a[1]) + '–' + f(a[2]);
  }
  function fold(s) { return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
  var GEO_PREC = { 1: 'exact place (town/village)', 2: 'near the place / part of a region', 3: 'region or provincial level' };
  var TIME_PREC = { 1: 'day', 2: 'week', 3: 'month' };

  // ----- map and basemap ---------------------------------------------------------------------
  var map = L.map('map', { preferCanvas: true, worldCopyJump: true, minZoom: 2, maxZoom: 18, zoomSnap: 0.5 });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com" rel="noopener noreferrer">Leaflet</a>');
  (B.sources || []).forEach(function (s) { map.attributionControl.addAttribution(esc(s)); });
  map.attributionControl.addAttribution(esc(D.attribution || ''));
  if (B.notes && B.notes.length) {
    var notes = document.getElementById('cm-notes');
    notes.textContent = '⚠ ' + B.notes.join('; ');
  }
  [['cm-countries', 150], ['cm-regions', 320], ['cm-borders', 330], ['cm-labels', 340]].forEach(function (p) {
    map.createPane(p[0]).style.zIndex = p[1];
  });
  map.getPane('cm-labels').style.pointerEvents = 'none';
  var countries = L.geoJSON(B.countries, {
    pane: 'cm-countries', interactive: false, renderer: L.canvas({ pane: 'cm-countries' }),
    style: { color: '#a39e93', weight: 0.7, fillColor: '#f4f1ea', fillOpacity: 1 }
  });
  var regions = L.geoJSON(B.regions, {
    pane: 'cm-regions', interactive: false, renderer: L.canvas({ pane: 'cm-regions' }),
    style: { color: '#8d6e63', weight: 0.6, dashArray: '3 3', fill: false }
  });
  var borders = L.geoJSON(B.borders, {
    pane: 'cm-borders', interactive: false, renderer: L.canvas({ pane: 'cm-borders' }),
    style: function (f) {
      return f.properties.d ? { color: '#b0006e', weight: 1.8, dashArray: '6 4' } : { color: '#37474f', weight: 1.6 };
    }
  });
  var osm = L.tileLayer('https://tile.openstreetmap.org/{z}/{x}/{y}.png', {
    maxZoom: 19, attribution: '© OpenStreetMap contributors (ODbL)'
  });
  var offline = L.layerGroup([countries]);
  offline.addTo(map);
  borders.addTo(map);
  regions.addTo(map);

  // labels: capitals from zoom 3, cities ≥ 1 M from 5, ≥ 100 k near incidents from 7, smaller from 9
  var labels = L.layerGroup().addTo(map);
  var labelMarkers = {};
  var TIER_ZOOM = [3, 5, 7, 9];
  function updateLabels() {
    if (!map.hasLayer(labels)) return;
    var z = map.getZoom(), b = map.getBounds().pad(0.2);
    (B.labels || []).forEach(function (l, k) {
      var show = z >= TIER_ZOOM[l[3]] && b.contains([l[1], l[0]]);
      var m = labelMarkers[k];
      if (show && !m) {
        var span = el('span', 'cm-label t' + l[3], l[2]);
        m = labelMarkers[k] = L.marker([l[1], l[0]], {
          pane: 'cm-labels', interactive: false, keyboard: false,
          icon: L.divIcon({ html: span, className: '', iconSize: null, iconAnchor: [3, 8] })
        });
        labels.addLayer(m);
      } else if (!show && m) {
        labels.removeLayer(m);
        delete labelMarkers[k];
      }
    });
  }
  map.on('zoomend moveend', updateLabels);

  TM.basemap = performance.now() - T0;
  // ----- incidents ------------------------------------------------------------------------------
  var TYPES = D.types; // [[name, colour, count]]
  var colourOf = {};
  TYPES.forEach(function (t, k) { colourOf[k] = t[1]; });
  function radius(best) { return best == null ? 5 : Math.min(26, 5 + 3 * Math.log2(1 + best)); }

  var cluster = L.markerClusterGroup({
    chunkedLoading: true, chunkInterval: 150, chunkDelay: 10, showCoverageOnHover: false,
    maxClusterRadius: 45, spiderfyOnMaxZoom: true, removeOutsideVisibleBounds: true
  });
  var markers = new Array(R.length);
  var dates = new Array(R.length);
  for (var k = 0; k < R.length; k++) {
    var r = R[k];
    var t = r[F.type] == null ? 0 : r[F.type];
    var m = L.circleMarker([r[F.lat], r[F.lon]], {
      radius: radius(r[F.killed] ? r[F.killed][1] : null), color: '#222', weight: 1,
      fillColor: colourOf[t] || '#555', fillOpacity: 0.85, bubblingMouseEvents: true
    });
    m.cmIndex = k;
    markers[k] = m;
    var d = str(r[F.date]);
    dates[k] = d ? d.slice(0, 10) : null;
  }

  TM.markers = performance.now() - T0;
  // one shared popup, built from data on demand
  var popup = L.popup({ maxWidth: 360, autoPanPadding: [20, 20] });
  function row(tbl, label, value) {
    if (value == null || value === '') return;
    var tr = el('tr');
    tr.appendChild(el('th', null, label));
    var td = el('td');
    if (value instanceof Node) td.appendChild(value); else td.textContent = value;
    tr.appendChild(td);
    tbl.appendChild(tr);
  }
  function buildPopup(k) {
    var r = R[k], box = el('div', 'cm-popup');
    box.dataset.incident = str(r[F.id]);
    box.appendChild(el('h3', null, str(r[F.place])));
    var gp = r[F.geo_prec];
    var sub = [str(r[F.admin1]), country(str(r[F.cc])) || str(r[F.country])].filter(Boolean).join(', ');
    box.appendChild(el('div', 'sub', sub));
    var tbl = el('table');
    row(tbl, 'Location', gp ? 'precision ' + gp + ': ' + (GEO_PREC[gp] || '') : null);
    var lt = str(r[F.loc_text]);
    if (lt && lt !== str(r[F.place])) row(tbl, 'Named as', '“' + lt + '”');
    row(tbl, 'Coordinates', r[F.lat].toFixed(5) + ' N, ' + r[F.lon].toFixed(5) + ' E' +
        (str(r[F.place_src]) ? ' (' + str(r[F.place_src]) + ')' : ''));
    var date = str(r[F.date]);
    if (date) {
      var tp = r[F.time_prec];
      var dtext = date + (tp ? ' (precision: ' + (TIME_PREC[tp] || tp) + ')' : '');
      if (str(r[F.d_start]) || str(r[F.d_end])) dtext += ', between ' + (str(r[F.d_start]) || '?') + ' and ' + (str(r[F.d_end]) || '?');
      row(tbl, 'Date', dtext);
      row(tbl, 'Date from', str(r[F.date_how]));
    } else row(tbl, 'Date', 'unknown');
    var ev = [str(r[F.type] == null ? null : TYPES[r[F.type]][0]), str(r[F.subtype])].filter(Boolean).join(' — ');
    row(tbl, 'Event', ev || 'unspecified');
    if (r[F.actors] && r[F.actors].length) row(tbl, 'Actors', r[F.actors].map(str).join('; '));
    var killed = rng(r[F.killed]);
    row(tbl, 'Killed', killed ? killed + (r[F.killed][0] !== r[F.killed][2] ? ' (low–best–high)' : '') : 'not reported');
    var inj = rng(r[F.injured]);
    if (inj) row(tbl, 'Injured', inj);
    if (r[F.cats] && r[F.cats].length) {
      row(tbl, 'Among them', r[F.cats].map(function (c) {
        return str(c[0]).replace(/^killed\./, '').replace(/^injured\./, 'injured ') + ' ' + rng(c.slice(1));
      }).join(', '));
    }
    var b = r[F.border];
    if (b) {
      var btxt = b[0].toFixed(b[0] < 10 ? 2 : 1) + ' km to the border with ' + (country(str(b[1])) || 'unknown') +
        ' ± ' + b[3].toFixed(2) + ' km';
      if (b[5]) btxt += ' — at the border (within the uncertainty)';
      if (b[4]) btxt += ' — disputed line';
      row(tbl, 'Border', btxt);
      row(tbl, 'Border data', str(b[2]));
    }
    box.appendChild(tbl);
    (r[F.claims] || []).forEach(function (c) {
      var cl = el('div', 'claim');
      cl.appendChild(el('div', null, 'The text says: “' + str(c[0]) + '”'));
      var v = el('div');
      v.appendChild(el('span', 'verdict', 'Verdict: ' + (str(c[1]) || 'unchecked')));
      if (c[3] != null) v.appendChild(document.createTextNode(' (computed ' + c[3].toFixed(2) + ' km)'));
      cl.appendChild(v);
      if (str(c[2])) cl.appendChild(el('div', 'muted', str(c[2])));
      box.appendChild(cl);
    });
    var srcs = r[F.sources] || [];
    if (srcs.length) {
      box.appendChild(el('div', 'muted', 'Sources (' + srcs.length + '):'));
      var ul = el('ul');
      srcs.forEach(function (s) {
        var a = A[s[0]], li = el('li');
        var link = el('a', null, str(a[1]) || str(a[5]));
        link.href = 'sources/' + encodeURIComponent(str(a[0])) + (s[1] != null ? '#' + encodeURIComponent(str(s[1])) : '');
        link.rel = 'noopener noreferrer';
        link.className = 'cm-source';
        li.appendChild(link);
        var meta = [str(a[2]), str(a[3])].filter(Boolean).join(', ');
        if (meta) li.appendChild(document.createTextNode(' — ' + meta));
        var url = str(a[4]);
        if (url && /^https?:\/\//i.test(url)) {
          li.appendChild(document.createTextNode(' '));
          var o = el('a', null, '[original]');
          o.href = url; o.rel = 'noopener noreferrer'; o.target = '_blank';
          li.appendChild(o);
        }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    return box;
  }
  function openPopup(k) {
    var m = markers[k];
    popup.setLatLng(m.getLatLng()).setContent(buildPopup(k)).openOn(map);
    api.openIndex = k;
  }
  cluster.on('click', function (e) { if (e.layer && e.layer.cmIndex != null) openPopup(e.layer.cmIndex); });

  // ----- filters: event types (layer control), date range -----------------------------------------
  var typeOn = TYPES.map(function () { return true; });
  var dateFrom = null, dateTo = null;
  var countEl = document.getElementById('cm-count');
  function visible(k) {
    var r = R[k];
    if (!typeOn[r[F.type] == null ? 0 : r[F.type]]) return false;
    if (dateFrom || dateTo) {
      var d = dates[k];
      if (!d) return false;
      if (dateFrom && d < dateFrom) return false;
      if (dateTo && d > dateTo) return false;
    }
    return true;
  }
  var shown = 0;
  function refilter(done) {
    var list = [];
    for (var k = 0; k < markers.length; k++) if (visible(k)) list.push(markers[k]);
    shown = list.length;
    api.ready = false;
    cluster.clearLayers();
    map.closePopup();
    countEl.textContent = 'loading ' + list.length.toLocaleString('en') + ' incidents…';
    cluster.options.chunkProgress = function (processed, total) {
      if (processed >= total) {
        countEl.textContent = shown.toLocaleString('en') + ' of ' + R.length.toLocaleString('en') + ' incidents shown';
        api.ready = true;
        if (TM.ready == null) { TM.ready = performance.now() - T0; document.body.dataset.readyAt = String(Math.round(performance.now())); }
        document.body.dataset.ready = '1';
        if (done) done();
      }
    };
    if (list.length) cluster.addLayers(list); else cluster.options.chunkProgress(0, 0);
  }
  var typeLayers = {};
  var overlays = {};
  overlays[esc('International borders')] = borders;
  overlays[esc('MAPS.ME map regions (not official admin-1)')] = regions;
  overlays[esc('Place labels (GeoNames)')] = labels;
  TYPES.forEach(function (t, k) {
    var g = L.layerGroup();
    g.cmType = k;
    typeLayers[k] = g;
    g.addTo(map);
    overlays['<span class="cm-legend"><span class="dot" style="background:' + esc(t[1]) +
      ';width:9px;height:9px"></span></span> ' + esc(t[0]) + ' (' + t[2] + ')'] = g;
  });
  var bases = {};
  bases[esc('Offline basemap (OpenStreetMap-derived polygons)')] = offline;
  bases[esc('OpenStreetMap tiles (online only)')] = osm;
  L.control.layers(bases, overlays, { collapsed: true }).addTo(map);
  map.on('overlayadd overlayremove', function (e) {
    if (e.layer && e.layer.cmType != null) {
      typeOn[e.layer.cmType] = e.type === 'overlayadd';
      refilter();
    } else if (e.layer === labels) updateLabels();
  });
  map.on('baselayerchange', function (e) { if (e.layer === osm) borders.bringToFront(); });

  // date range control
  var DateControl = L.Control.extend({
    options: { position: 'topright' },
    onAdd: function () {
      var box = el('div', 'cm-panel cm-dates');
      L.DomEvent.disableClickPropagation(box);
      box.appendChild(el('h2', null, 'Date range'));
      var lf = el('label', null, 'from '), lt = el('label', null, 'to ');
      var from = el('input'), to = el('input');
      from.type = to.type = 'date';
      from.id = 'cm-date-from'; to.id = 'cm-date-to';
      if (D.dates) { from.min = to.min = D.dates[0]; from.max = to.max = D.dates[1]; }
      lf.appendChild(from); lt.appendChild(to);
      box.appendChild(lf); box.appendChild(lt);
      var reset = el('button', null, 'all dates');
      reset.type = 'button';
      box.appendChild(reset);
      function apply() { dateFrom = from.value || null; dateTo = to.value || null; refilter(); }
      from.addEventListener('change', apply);
      to.addEventListener('change', apply);
      reset.addEventListener('click', function () { from.value = to.value = ''; apply(); });
      return box;
    }
  });
  new DateControl().addTo(map);

  // place search
  var placeIndex = null;
  function buildIndex() {
    var byKey = {};
    placeIndex = [];
    for (var k = 0; k < R.length; k++) {
      var r = R[k];
      var name = str(r[F.place]);
      var label = [name, str(r[F.admin1]), str(r[F.country])].filter(Boolean).join(', ');
      var e = byKey[label];
      if (!e) {
        e = byKey[label] = { label: label, key: fold(label + ' ' + (str(r[F.loc_text]) || '')), idx: [] };
        placeIndex.push(e);
      }
      e.idx.push(k);
    }
  }
  var SearchControl = L.Control.extend({
    options: { position: 'topleft' },
    onAdd: function () {
      var box = el('div', 'cm-panel cm-search');
      L.DomEvent.disableClickPropagation(box);
      L.DomEvent.disableScrollPropagation(box);
      var input = el('input');
      input.type = 'search';
      input.id = 'cm-search';
      input.placeholder = 'Search places…';
      input.setAttribute('aria-label', 'Search incident places');
      var list = el('ul', 'cm-results');
      box.appendChild(input);
      box.appendChild(list);
      input.addEventListener('input', function () {
        if (!placeIndex) buildIndex();
        list.textContent = '';
        var q = fold(input.value.trim());
        if (q.length < 2) return;
        var hits = placeIndex.filter(function (e) { return e.key.indexOf(q) >= 0; });
        hits.sort(function (a, b) { return (b.key.indexOf(q) === 0) - (a.key.indexOf(q) === 0) || b.idx.length - a.idx.length; });
        hits.slice(0, 12).forEach(function (e) {
          var li = el('li'), btn = el('button', null, e.label + ' (' + e.idx.length + ')');
          btn.type = 'button';
          btn.addEventListener('click', function () { api.show(e.idx[0]); });
          li.appendChild(btn);
          list.appendChild(li);
        });
        if (!hits.length) list.appendChild(el('li', 'muted', 'no incident at a matching place'));
      });
      return box;
    }
  });
  new SearchControl().addTo(map);

  // legend
  var Legend = L.Control.extend({
    options: { position: 'bottomright' },
    onAdd: function () {
      var box = el('div', 'cm-panel cm-legend');
      box.appendChild(el('h2', null, 'Legend'));
      TYPES.forEach(function (t) {
        var rw = el('div', 'row'), dot = el('span', 'dot');
        dot.style.background = t[1]; dot.style.width = dot.style.height = '10px';
        rw.appendChild(dot); rw.appendChild(el('span', null, t[0] + ' (' + t[2] + ')'));
        box.appendChild(rw);
      });
      [0, 10, 100].forEach(function (n) {
        var rw = el('div', 'row'), dot = el('span', 'dot'), d = 2 * radius(n);
        dot.style.width = dot.style.height = d + 'px';
        rw.appendChild(dot); rw.appendChild(el('span', null, n + ' killed (best estimate)'));
        box.appendChild(rw);
      });
      [['line', 'international border'], ['line disputed', 'disputed / de-facto line'],
       ['line region', 'MAPS.ME map region (not admin-1)']].forEach(function (x) {
        var rw = el('div', 'row');
        rw.appendChild(el('span', x[0])); rw.appendChild(el('span', null, x[1]));
        box.appendChild(rw);
      });
      return box;
    }
  });
  new Legend().addTo(map);
  L.control.scale({ metric: true, imperial: false }).addTo(map);

  // ----- initial view, API for tests and links (map.html#incident=ID) ---------------------------------
  var api = window.conflictmap = {
    map: map, cluster: cluster, markers: markers, data: D, ready: false, openIndex: null, timings: TM, scriptStart: T0,
    indexOf: function (id) { for (var k = 0; k < R.length; k++) if (str(R[k][F.id]) === id) return k; return -1; },
    show: function (k, cb) {
      if (k < 0 || k >= markers.length) return;
      reveal(k, function (ok) { if (ok !== false) openPopup(k); if (cb) cb(ok !== false); });
    },
    reveal: function (k, cb) { reveal(k, cb); },
    shownAlone: function (k) { return shownAlone(k); },
  };
  // markercluster's getVisibleParent/zoomToShowLayer only know icon markers, not canvas circle markers
  function shownAlone(k) { return !!markers[k]._map; }
  function visibleParent(k) {
    var v = markers[k];
    if (v._map) return v;
    v = v.__parent;
    while (v && !v._icon) v = v.__parent;
    return v || null;
  }
  // Zoom (and spiderfy at the last zoom) until marker k is drawn on its own; markercluster's
  // zoomToShowLayer only knows icon markers, not the canvas circle markers used here.
  function reveal(k, cb) {
    var m = markers[k], tries = 0;
    if (!cluster.hasLayer(m)) { cb(false); return; }
    function own() { return shownAlone(k) && map.getBounds().contains(m.getLatLng()); }
    if (own()) { cb(true); return; }
    var parent = m.__parent, maxZ = map.getMaxZoom();
    var z = Math.min(maxZ, Math.max(Math.round(map.getZoom()), parent ? parent._zoom + 1 : 0));
    map.setView(m.getLatLng(), z, { animate: false });
    (function wait() {
      if (own()) { cb(true); return; }
      var vp = visibleParent(k);
      if (vp && vp !== m && vp.spiderfy && Math.round(map.getZoom()) >= maxZ && !vp._spiderfied && tries > 2) {
        cluster.once('spiderfied', function () { cb(true); });
        vp.spiderfy();
        return;
      }
      if (tries++ < 60) setTimeout(wait, 50); else cb(false);
    })();
  }
  if (D.bbox) {
    var bb = D.bbox;
    if (bb[0] === bb[2] && bb[1] === bb[3]) map.setView([bb[1], bb[0]], 9);
    else map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]], { padding: [30, 30], maxZoom: 10 });
  } else map.setView([20, 10], 2);
  cluster.addTo(map);
  updateLabels();
  refilter(function () {
    var m = /^#incident=(.+)$/.exec(location.hash);
    if (m) api.show(api.indexOf(decodeURIComponent(m[1])));
  });
})();
