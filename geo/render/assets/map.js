/* conflictmap: the map's own code. Incidents arrive as one JSON data blob; clusters, markers,
 * popups, legend and filters are built here from data. Strings from articles are only ever
 * written with textContent (never innerHTML); links are relative or http(s).
 *
 * Clustering is a screen-space grid (60 px cells, aligned to the Web-Mercator world so cells do
 * not move when panning) recomputed over the points in view on every move: O(n) per view, which
 * keeps 100,000 incidents interactive. Clusters split as you zoom; a cluster whose members share
 * one coordinate lists them in a popup. Cluster icons reuse Leaflet.markercluster's CSS. */
(function () {
  'use strict';
  var T0 = performance.now();

  function readBlob(id) {
    var node = document.getElementById(id);
    if (node.dataset.encoding !== 'gzip+base64') return Promise.resolve(JSON.parse(node.textContent));
    var b64 = atob(node.textContent.trim()), bytes = new Uint8Array(b64.length);
    for (var i = 0; i < b64.length; i++) bytes[i] = b64.charCodeAt(i);
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).text().then(JSON.parse);
  }

  Promise.all([readBlob('cm-data'), readBlob('cm-basemap')]).then(function (blobs) {
    start(blobs[0], blobs[1]);
  }).catch(function (err) {
    document.getElementById('cm-notes').textContent = 'The map could not start: ' + err;
    console.error(err);
  });

  function start(D, B) {
    var TM = { parsed: performance.now() - T0 };
    var S = D.s, R = D.i, A = D.a, F = D.f, BDS = D.bds || [];
    var NAMES = D.countries || {};
    var N = R.length;

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
      if (!a || !a.length) return null;
      var l = a[0], b = a[1], h = a[2];
      var f = function (v) { return v == null ? '?' : String(v); };
      if (l === b && b === h) return f(b);
      return f(l) + '–' + f(b) + '–' + f(h);
    }
    function fold(s) { return (s || '').normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase(); }
    function compact(n) { return n >= 10000 ? Math.round(n / 1000) + 'k' : n >= 1000 ? (n / 1000).toFixed(1) + 'k' : String(n); }
    var GEO_PREC = { 1: 'exact place (town/village)', 2: 'near the place / part of a region', 3: 'region or provincial level' };
    var TIME_PREC = { 1: 'day', 2: 'week', 3: 'month' };

    // ----- map and basemap ---------------------------------------------------------------------
    var map = L.map('map', { preferCanvas: true, worldCopyJump: true, minZoom: 2, maxZoom: 18, zoomSnap: 0.5 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com" rel="noopener noreferrer">Leaflet</a>');
    (B.sources || []).forEach(function (s) { map.attributionControl.addAttribution(esc(s)); });
    map.attributionControl.addAttribution(esc(D.attribution || ''));
    if (B.notes && B.notes.length) document.getElementById('cm-notes').textContent = '⚠ ' + B.notes.join('; ');
    [['cm-countries', 150], ['cm-regions', 320], ['cm-borders', 330], ['cm-labels', 340], ['cm-incidents', 450],
     ['cm-clusters', 460]].forEach(function (p) { map.createPane(p[0]).style.zIndex = p[1]; });
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
    var offline = L.layerGroup([countries]).addTo(map);
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
          m = labelMarkers[k] = L.marker([l[1], l[0]], {
            pane: 'cm-labels', interactive: false, keyboard: false,
            icon: L.divIcon({ html: el('span', 'cm-label t' + l[3], l[2]), className: '', iconSize: null, iconAnchor: [3, 8] })
          });
          labels.addLayer(m);
        } else if (!show && m) {
          labels.removeLayer(m);
          delete labelMarkers[k];
        }
      });
    }
    TM.basemap = performance.now() - T0;

    // ----- incidents: projected once, clustered per view ------------------------------------------
    var TYPES = D.types; // [[name, colour, count]]
    function radius(best) { return best == null ? 5 : Math.min(26, 5 + 3 * Math.log2(1 + best)); }
    var X = new Float64Array(N), Y = new Float64Array(N), on = new Uint8Array(N), dates = new Array(N);
    var typeOf = new Uint16Array(N);
    for (var k = 0; k < N; k++) {
      var r = R[k], lat = Math.max(-85.05, Math.min(85.05, r[F.lat])) * Math.PI / 180;
      X[k] = (r[F.lon] + 180) / 360;
      Y[k] = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2;
      typeOf[k] = r[F.type] == null ? 0 : r[F.type];
      var d = str(r[F.date]);
      dates[k] = d ? d.slice(0, 10) : null;
      on[k] = 1;
    }
    var renderer = L.canvas({ pane: 'cm-incidents', padding: 0.3 });
    var layer = L.layerGroup().addTo(map);
    var markerCache = {};
    var CELL_PX = 60;
    var view = { clusters: 0, singles: 0, total: 0, shown: {} };

    function marker(k) {
      var m = markerCache[k];
      if (m) return m;
      var r = R[k];
      m = markerCache[k] = L.circleMarker([r[F.lat], r[F.lon]], {
        renderer: renderer, radius: radius(r[F.killed] ? r[F.killed][1] : null), color: '#222', weight: 1,
        fillColor: TYPES[typeOf[k]][1], fillOpacity: 0.85
      });
      m.cmIndex = k;
      m.on('click', function () { openPopup(k); });
      return m;
    }
    function clusterIcon(n) {
      var size = n < 10 ? 'small' : n < 100 ? 'medium' : 'large';
      var box = el('div'), span = el('span', null, compact(n));
      box.appendChild(span);
      return L.divIcon({ html: box, className: 'marker-cluster marker-cluster-' + size, iconSize: L.point(40, 40) });
    }
    function cellSize(z) { return CELL_PX / (256 * Math.pow(2, z)); }
    function render() {
      layer.clearLayers();
      var z = Math.round(map.getZoom()), cell = cellSize(z), b = map.getBounds().pad(0.25);
      var x0 = (Math.max(-180, b.getWest()) + 180) / 360, x1 = (Math.min(180, b.getEast()) + 180) / 360;
      var pn = map.options.crs.project(b.getNorthWest()), ps = map.options.crs.project(b.getSouthEast());
      var R2 = 2 * 6378137 * Math.PI;
      var y0 = 0.5 - pn.y / R2, y1 = 0.5 - ps.y / R2;
      if (b.getEast() - b.getWest() >= 360) { x0 = 0; x1 = 1; }
      var cells = new Map(), cols = Math.ceil(1 / cell) + 1;
      for (var k = 0; k < N; k++) {
        if (!on[k]) continue;
        var x = X[k], y = Y[k];
        if (x < x0 || x > x1 || y < y0 || y > y1) continue;
        var key = Math.floor(y / cell) * cols + Math.floor(x / cell);
        var c = cells.get(key);
        if (!c) cells.set(key, c = { n: 0, sx: 0, sy: 0, first: k, minx: x, maxx: x, miny: y, maxy: y, members: null });
        c.n++; c.sx += x; c.sy += y;
        if (x < c.minx) c.minx = x; if (x > c.maxx) c.maxx = x;
        if (y < c.miny) c.miny = y; if (y > c.maxy) c.maxy = y;
      }
      var nClusters = 0, nSingles = 0, total = 0, shown = {};
      cells.forEach(function (c) {
        total += c.n;
        if (c.n === 1) {
          layer.addLayer(marker(c.first));
          shown[c.first] = true;
          nSingles++;
          return;
        }
        nClusters++;
        var ll = unproject(c.sx / c.n, c.sy / c.n);
        var cm = L.marker(ll, { icon: clusterIcon(c.n), pane: 'cm-clusters', keyboard: true, title: c.n + ' incidents' });
        cm.cmCluster = c;
        cm.on('click', function () { clusterClick(c); });
        layer.addLayer(cm);
      });
      view = { clusters: nClusters, singles: nSingles, total: total, shown: shown };
    }
    function unproject(x, y) {
      var lon = x * 360 - 180;
      var lat = Math.atan(Math.sinh(Math.PI * (1 - 2 * y))) * 180 / Math.PI;
      return L.latLng(lat, lon);
    }
    function clusterMembers(c) {
      var z = Math.round(map.getZoom()), cell = cellSize(z), out = [];
      var cx = Math.floor(c.minx / cell), cy = Math.floor(c.miny / cell);
      for (var k = 0; k < N; k++) {
        if (on[k] && Math.floor(X[k] / cell) === cx && Math.floor(Y[k] / cell) === cy) out.push(k);
      }
      return out;
    }
    function clusterClick(c) {
      var samePlace = c.maxx - c.minx < 1e-12 && c.maxy - c.miny < 1e-12;
      if (!samePlace && Math.round(map.getZoom()) < map.getMaxZoom()) {
        var sw = unproject(c.minx, c.maxy), ne = unproject(c.maxx, c.miny);
        var target = Math.min(map.getMaxZoom(), Math.max(map.getBoundsZoom(L.latLngBounds(sw, ne)), Math.round(map.getZoom()) + 1));
        map.setView(L.latLngBounds(sw, ne).getCenter(), target);
        return;
      }
      // members share one coordinate (or we are at the last zoom): list them
      var members = clusterMembers(c), box = el('div', 'cm-popup cm-list');
      box.appendChild(el('h3', null, members.length + ' incidents at this spot'));
      var ul = el('ul', 'cm-results');
      members.slice(0, 200).forEach(function (k) {
        var r = R[k], li = el('li');
        var btn = el('button', null, [str(r[F.date]) || 'undated', str(r[F.place]), TYPES[typeOf[k]][0],
          'killed ' + (rng(r[F.killed]) || '–')].join(' · '));
        btn.type = 'button';
        btn.addEventListener('click', function () { openPopup(k); });
        li.appendChild(btn);
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (members.length > 200) box.appendChild(el('div', 'muted', 'first 200 shown; narrow the date range to see the rest'));
      popup.setLatLng(unproject(c.sx / c.n, c.sy / c.n)).setContent(box).openOn(map);
    }

    // ----- popups, built from data on demand ---------------------------------------------------
    var popup = L.popup({ maxWidth: 360, maxHeight: Math.max(220, map.getSize().y - 110), autoPanPadding: [20, 20] });
    function row(tbl, label, value) {
      if (value == null || value === '') return;
      var tr = el('tr');
      tr.appendChild(el('th', null, label));
      tr.appendChild(el('td', null, value));
      tbl.appendChild(tr);
    }
    function buildPopup(k) {
      var r = R[k], box = el('div', 'cm-popup');
      box.dataset.incident = str(r[F.id]);
      box.appendChild(el('h3', null, str(r[F.place])));
      var sub = [str(r[F.admin1]), country(str(r[F.cc])) || str(r[F.country])].filter(Boolean).join(', ');
      box.appendChild(el('div', 'sub', sub));
      var tbl = el('table');
      var gp = r[F.geo_prec];
      row(tbl, 'Location', gp ? 'precision ' + gp + ': ' + (GEO_PREC[gp] || '') : null);
      var lt = str(r[F.loc_text]);
      if (lt) row(tbl, 'Named as', '“' + lt + '”');
      row(tbl, 'Coordinates', Math.abs(r[F.lat]).toFixed(5) + (r[F.lat] < 0 ? ' S, ' : ' N, ') +
          Math.abs(r[F.lon]).toFixed(5) + (r[F.lon] < 0 ? ' W' : ' E') + (str(r[F.place_src]) ? ' (' + str(r[F.place_src]) + ')' : ''));
      var date = str(r[F.date]);
      if (date) {
        var tp = r[F.time_prec];
        var dtext = date + (tp ? ' (precision: ' + (TIME_PREC[tp] || tp) + ')' : '');
        if (str(r[F.d_start]) || str(r[F.d_end])) dtext += ', between ' + (str(r[F.d_start]) || '?') + ' and ' + (str(r[F.d_end]) || '?');
        row(tbl, 'Date', dtext);
        row(tbl, 'Date from', str(r[F.date_how]));
      } else row(tbl, 'Date', 'unknown');
      var ev = [r[F.type] == null ? null : TYPES[r[F.type]][0], str(r[F.subtype])].filter(Boolean).join(' — ');
      row(tbl, 'Event', ev || 'unspecified');
      if (r[F.actors] && r[F.actors].length) row(tbl, 'Actors', r[F.actors].map(str).join('; '));
      var killed = rng(r[F.killed]);
      var exact = r[F.killed] && r[F.killed][0] === r[F.killed][1] && r[F.killed][1] === r[F.killed][2];
      row(tbl, 'Killed', killed ? killed + (exact ? '' : ' (low–best–high)') : 'not reported');
      var inj = rng(r[F.injured]);
      if (inj) row(tbl, 'Injured', inj);
      if (r[F.cats] && r[F.cats].length) {
        row(tbl, 'Among them', r[F.cats].map(function (c) {
          return str(c[0]).replace(/^killed\./, '').replace(/^injured\./, 'injured ') + ' ' + rng(c.slice(1));
        }).join(', '));
      }
      var b = r[F.border];
      if (b) {
        var bd = BDS[b[2]] || [null, 0];
        var btxt = b[0].toFixed(b[0] < 10 ? 2 : 1) + ' km to the border with ' + (country(str(b[1])) || 'unknown') +
          ' ± ' + Number(bd[1]).toFixed(2) + ' km';
        if (b[3] & 2) btxt += ' — at the border (within the uncertainty)';
        if (b[3] & 1) btxt += ' — disputed line';
        row(tbl, 'Border', btxt);
        row(tbl, 'Border data', str(bd[0]));
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
          var file = str(a[0]) || str(a[5]) + '.html';
          var link = el('a', 'cm-source', str(a[1]) || str(a[5]));
          link.href = 'sources/' + encodeURIComponent(file) + (s[1] != null ? '#' + encodeURIComponent(str(s[1])) : '');
          link.rel = 'noopener noreferrer';
          li.appendChild(link);
          var meta = [str(a[2]), str(a[3])].filter(Boolean).join(', ');
          if (meta) li.appendChild(document.createTextNode(' — ' + meta));
          var url = a[4];
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
      var r = R[k];
      popup.setLatLng([r[F.lat], r[F.lon]]).setContent(buildPopup(k)).openOn(map);
      api.openIndex = k;
    }

    // ----- filters: event types (layer control), date range ------------------------------------
    var typeOn = TYPES.map(function () { return true; });
    var dateFrom = null, dateTo = null, shownCount = N;
    var countEl = document.getElementById('cm-count');
    function refilter() {
      var n = 0;
      for (var k = 0; k < N; k++) {
        var ok = typeOn[typeOf[k]];
        if (ok && (dateFrom || dateTo)) {
          var d = dates[k];
          ok = !!d && !(dateFrom && d < dateFrom) && !(dateTo && d > dateTo);
        }
        on[k] = ok ? 1 : 0;
        n += on[k];
      }
      shownCount = n;
      map.closePopup();
      countEl.textContent = n.toLocaleString('en') + ' of ' + N.toLocaleString('en') + ' incidents shown';
      render();
    }
    var overlays = {};
    overlays[esc('International borders')] = borders;
    overlays[esc('MAPS.ME map regions (not official admin-1)')] = regions;
    overlays[esc('Place labels (GeoNames)')] = labels;
    TYPES.forEach(function (t, k) {
      var g = L.layerGroup();
      g.cmType = k;
      g.addTo(map);
      overlays['<span class="cm-swatch" style="background:' + esc(t[1]) + '"></span> ' + esc(t[0]) + ' (' + t[2] + ')'] = g;
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

    // place search over the incidents' places (names, admin areas, countries, names as written)
    var placeIndex = null;
    function buildIndex() {
      var byKey = {};
      placeIndex = [];
      for (var k = 0; k < N; k++) {
        var r = R[k];
        var label = [str(r[F.place]), str(r[F.admin1]), NAMES[str(r[F.cc])] || str(r[F.country])].filter(Boolean).join(', ');
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
        var cl = el('div', 'row'), ic = el('span', 'cm-cluster-sample', '12');
        cl.appendChild(ic); cl.appendChild(el('span', null, 'cluster: click to zoom in'));
        box.appendChild(cl);
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

    // ----- reveal an incident: zoom until it is drawn on its own -------------------------------
    function aloneAt(k, z) {
      var cell = cellSize(z), cx = Math.floor(X[k] / cell), cy = Math.floor(Y[k] / cell);
      for (var j = 0; j < N; j++) {
        if (j !== k && on[j] && Math.floor(X[j] / cell) === cx && Math.floor(Y[j] / cell) === cy) return false;
      }
      return true;
    }
    function reveal(k, cb, minZoom) {
      if (k < 0 || k >= N || !on[k]) { if (cb) cb(false); return; }
      var z = Math.max(Math.round(map.getZoom()), minZoom || 2), maxZ = map.getMaxZoom();
      while (z < maxZ && !aloneAt(k, z)) z++;
      var r = R[k];
      map.setView([r[F.lat], r[F.lon]], z, { animate: false });
      if (cb) cb(!!view.shown[k]);
    }

    // ----- API for tests and links (map.html#incident=ID) ---------------------------------------
    var api = window.conflictmap = {
      map: map, data: D, timings: TM, openIndex: null,
      indexOf: function (id) { for (var k = 0; k < N; k++) if (str(R[k][F.id]) === id) return k; return -1; },
      reveal: reveal,
      show: function (k) { reveal(k, function () { openPopup(k); }, 9); },
      shownAlone: function (k) { return !!view.shown[k]; },
      view: function () { return { clusters: view.clusters, singles: view.singles, total: view.total }; },
      markerPoint: function (k) {
        var r = R[k], p = map.latLngToContainerPoint([r[F.lat], r[F.lon]]);
        var box = document.getElementById('map').getBoundingClientRect();
        return [box.left + p.x, box.top + p.y];
      },
      visibleCount: function () { return shownCount; }
    };
    map.on('moveend', function () { render(); updateLabels(); });
    if (D.bbox) {
      var bb = D.bbox;
      if (bb[0] === bb[2] && bb[1] === bb[3]) map.setView([bb[1], bb[0]], 9);
      else map.fitBounds([[bb[1], bb[0]], [bb[3], bb[2]]], { padding: [30, 30], maxZoom: 10 });
    } else map.setView([20, 10], 2);
    refilter();
    var m = /^#incident=(.+)$/.exec(location.hash);
    if (m) api.show(api.indexOf(decodeURIComponent(m[1])));
    TM.ready = performance.now() - T0;
    document.body.dataset.readyAt = String(Math.round(performance.now()));
    document.body.dataset.ready = '1';
  }
})();
