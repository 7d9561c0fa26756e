/* The map's per-window work, in the browser (see layers/claims_layer.py).
 *
 * The events arrive once per dataset and filter set, as columns in one binary file
 * (geo/views/payload.py); the provinces, districts and presence rows are in the page.
 * A window move (from the app's slider, or a playback step) only changes
 * `state.window`: this script selects the events in the window, re-clusters them
 * (supercluster), recomputes each area's figures and restyles the areas. Nothing is
 * fetched and no Python runs for it. Popups are built on click from the columns,
 * every text escaped. The app talks to the page through `window.armSetView(view)`;
 * the page reports clicks and the window (when playback pauses) through
 * `window.frameElement.armReport(kind, value)`.
 */
(function () {
  "use strict";
  var cfg = window.ARM_CONFIG;
  var map = window[cfg.map];
  map.fitBounds(cfg.bounds, { animate: false });  // at once: Leaflet drops views sent mid-animation
  var DAY = 86400000;
  var day0 = Date.parse(cfg.day0 + "T00:00:00Z");
  cfg.legends.areas.districts = cfg.legends.areas.districts || cfg.legends.areas.provinces;
  var html = document.documentElement;

  function esc(value) {
    return String(value === null || value === undefined ? "" : value).replace(
      /[&<>"'`=\/]/g,
      function (c) {
        return "&#" + c.charCodeAt(0) + ";";
      }
    );
  }
  function dayText(d) {
    return new Date(day0 + d * DAY).toISOString().slice(0, 10);
  }
  function dayOf(text) {
    return Math.round((Date.parse(text + "T00:00:00Z") - day0) / DAY);
  }
  function report(kind, value) {
    var frame = window.frameElement;
    if (frame && typeof frame.armReport === "function") frame.armReport(kind, value);
  }

  var state = {
    window: [dayOf(cfg.view.window[0]), dayOf(cfg.view.window[1])],
    metric: cfg.view.metric,
    province: cfg.view.province,
    selected: cfg.view.selected,
    layers: cfg.view.layers,
    seq: cfg.view.seq,
    step: cfg.view.step_days,
    cumulative: cfg.view.cumulative,
    speed: cfg.view.speed,
    playing: false,
    timer: null,
  };
  var span = [dayOf(cfg.span[0]), dayOf(cfg.span[1])];
  var data = null;
  var selection = new Uint32Array(0);
  var unplacedInWindow = 0;

  // --- the events' columns ---------------------------------------------------------
  var TYPED = {
    float32: Float32Array, uint8: Uint8Array, uint16: Uint16Array,
    uint32: Uint32Array, int32: Int32Array, int64: BigInt64Array,
  };
  function decode(buffer) {
    var bytes = new Uint8Array(buffer);
    var magic = new TextDecoder().decode(bytes.subarray(0, 7));
    if (magic !== "ARMAP1\n") throw new Error("not an events payload");
    var size = new DataView(buffer).getUint32(7, true);
    var header = JSON.parse(new TextDecoder().decode(bytes.subarray(11, 11 + size)));
    var start = 11 + size;
    var cols = {};
    header.arrays.forEach(function (a) {
      cols[a.name] = new TYPED[a.dtype](buffer, start + a.offset, a.length);
    });
    header.cols = cols;
    return header;
  }
  function fetchPayload(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) throw new Error("cannot fetch " + url + ": " + response.status);
      return response.arrayBuffer();
    }).then(function (buffer) {
      var head = new Uint8Array(buffer, 0, 2);
      if (head[0] !== 0x1f || head[1] !== 0x8b) return buffer;
      var stream = new Blob([buffer]).stream().pipeThrough(new DecompressionStream("gzip"));
      return new Response(stream).arrayBuffer();
    });
  }
  function text(dict, column, i) {
    var code = data.cols[column][i];
    var values = data.dicts[dict];
    return code < values.length ? values[code] : "";
  }

  // --- the window ------------------------------------------------------------------
  function select() {
    var c = data.cols, lo = state.window[0], hi = state.window[1];
    var out = new Uint32Array(data.n), k = 0, unplaced = 0;
    for (var i = 0; i < data.n; i++) {
      var end = c.end[i];
      if (c.start[i] <= hi && (end >= lo || end === data.no_day)) {
        out[k++] = i;
        if (c.kind[i] === 2) unplaced++;
      }
    }
    selection = out.subarray(0, k);
    unplacedInWindow = unplaced;
  }

  // --- areas: figures per window, styles, tooltips ------------------------------------
  function noneOf(column) {  // the largest value of an unsigned column means "none"
    return Math.pow(2, 8 * column.BYTES_PER_ELEMENT) - 1;
  }
  var figures = { provinces: null, districts: null };
  function emptyFigures(n) {
    return { claims: new Int32Array(n), fatal: new Float64Array(n), hasFatal: new Uint8Array(n),
             last: new Int32Array(n).fill(-1), presence: new Int8Array(n), groups: [] };
  }
  function aggregate() {
    var c = data.cols, P = cfg.provinces.features.length;
    var D = cfg.districts ? cfg.districts.features.length : 0;
    var prov = emptyFigures(P), dist = emptyFigures(D);
    var provNone = data.arrays_none.province, distNone = data.arrays_none.district;
    for (var k = 0; k < selection.length; k++) {
      var i = selection[k];
      var end = c.reported[i];  // the latest report (a source's publication day, else the claim's own)
      var f = c.fatalities[i];
      var p = c.province[i];
      if (p !== provNone) {
        prov.claims[p]++;
        if (f >= 0) { prov.fatal[p] += f; prov.hasFatal[p] = 1; }
        if (end > prov.last[p]) prov.last[p] = end;
      }
      var d = c.district[i];
      if (d !== distNone && D) {
        dist.claims[d]++;
        if (f >= 0) { dist.fatal[d] += f; dist.hasFatal[d] = 1; }
        if (end > dist.last[d]) dist.last[d] = end;
      }
    }
    presenceAsOf(prov, dist);
    figures.provinces = prov;
    figures.districts = dist;
  }
  var presenceNow = [];
  function presenceAsOf(prov, dist) {
    var asOf = state.window[1];
    var best = {};  // "kind:index" -> {level, group, groups: {name: level}}
    cfg.presence.rows.forEach(function (r) {
      var kind = r[0], index = r[1], group = r[2], level = r[3], start = r[4], end = r[5];
      if (!(start <= asOf && (end >= asOf || end === data.no_day))) return;
      var key = kind + ":" + index;
      var entry = best[key] || (best[key] = { kind: kind, index: index, level: 0, group: -1, groups: {} });
      var name = cfg.presence.groups[group];
      entry.groups[name] = Math.max(entry.groups[name] || 0, level);
      // cfg.presence.groups is in rank order (named groups first): a tie goes to the lower index
      if (level > entry.level || (level === entry.level && group < entry.group)) {
        entry.level = level; entry.group = group;
      }
    });
    presenceNow = Object.keys(best).map(function (k) { return best[k]; });
    presenceNow.forEach(function (e) {
      var target = e.kind === 0 ? prov : dist;
      target.presence[e.index] = Math.max(target.presence[e.index], e.level);
      target.groups[e.index] = Object.keys(e.groups).sort().map(function (g) {
        return g + " (" + cfg.labels.levels[e.groups[g]] + ")"; }).join("; ");
    });
  }
  function metricValue(fig, index) {
    var claims = fig.claims[index];
    switch (state.metric) {
      case "claims": return claims || null;
      case "fatalities": return fig.hasFatal[index] ? fig.fatal[index] : null;
      case "days_since_last": return claims ? Math.max(0, state.window[1] - fig.last[index]) : null;
      default: return fig.presence[index] || null;
    }
  }
  function classOf(value, breaks) {
    if (value === null || value < breaks[0]) return -1;
    var k = 0;
    while (k < breaks.length - 2 && value >= breaks[k + 1]) k++;
    return k;
  }
  function areaStyle(kind, index, code) {
    var fig = kind === "district" ? figures.districts : figures.provinces;
    var breaks = cfg.breaks[kind + "s"][state.metric];
    var palette = cfg.palettes[state.metric][breaks.length - 1];
    var k = fig ? classOf(metricValue(fig, index), breaks) : -1;
    var selected = kind === "province" ? code === state.province : code === state.selected;
    var hollow = kind === "province" && selected && state.layers.districts && cfg.districts;
    return {
      fillColor: k >= 0 ? palette[k] : cfg.style.none_color,
      fillOpacity: hollow ? 0 : (k >= 0 ? cfg.style.fill_opacity : cfg.style.none_opacity),
      color: selected ? cfg.style.selected_color : cfg.style.outline_color,
      weight: selected ? 3.5 : (kind === "district" ? 0.8 : 1.2),
    };
  }
  function valueText(value) {
    if (value === null) return cfg.labels.none[state.metric];
    if (state.metric === "presence_level") return cfg.labels.levels[value] || "none";
    if (state.metric === "days_since_last") return Math.round(value) + " days";
    return String(Math.round(value));
  }
  function areaTooltip(kind, index, name, dari) {
    var fig = kind === "district" ? figures.districts : figures.provinces;
    var title = "<b>" + esc(name) + "</b>" + (dari ? " <span dir=\"rtl\">" + esc(dari) + "</span>" : "");
    if (!fig) return title;
    var lines = [title + " <small>(" + esc(kind) + ")</small>"];
    if (state.metric === "days_since_last" || state.metric === "presence_level") {
      lines.push(esc(cfg.labels.metrics[state.metric]) + ": " + esc(valueText(metricValue(fig, index))));
    }
    lines.push("Claims: " + fig.claims[index] + " · claimed fatalities: " +
               (fig.hasFatal[index] ? fig.fatal[index] : "none stated"));
    var groups = fig.groups[index];
    if (groups) lines.push("Groups: " + esc(groups.length > 120 ? groups.slice(0, 117) + "…" : groups));
    lines.push("<small>Click for details</small>");
    return lines.join("<br>");
  }
  function areaLayer(collection, kind) {
    return L.geoJSON(collection, {
      className: "arm-" + kind,
      style: function (feature) {
        return areaStyle(kind, feature.properties.index, feature.properties.code);
      },
      onEachFeature: function (feature, layer) {
        var p = feature.properties;
        layer.bindTooltip(function () { return areaTooltip(kind, p.index, p.name, p.name_fa); },
                          { sticky: true, opacity: 0.95 });
        layer.on("mouseover", function (e) { e.target.setStyle({ weight: 3 }); });
        layer.on("mouseout", function (e) { e.target.setStyle(areaStyle(kind, p.index, p.code)); });
        layer.on("click", function (e) {
          // a tap opens a sticky tooltip that would stay: close it (the panel shows the area)
          var touch = e.originalEvent && e.originalEvent.pointerType && e.originalEvent.pointerType !== "mouse";
          if (touch || L.Browser.mobile) layer.closeTooltip();
          selectArea(kind, p.code);
        });
      },
    });
  }
  var provinceLayer = areaLayer(cfg.provinces, "province");
  var districtLayer = L.layerGroup();
  var presenceLayer = L.layerGroup();
  function drawDistricts() {
    districtLayer.clearLayers();
    if (!cfg.districts || !state.province || !state.layers.districts) return;
    var features = cfg.districts.features.filter(function (f) {
      return f.properties.province === state.province;
    });
    districtLayer.addLayer(areaLayer({ type: "FeatureCollection", features: features }, "district"));
  }
  function drawPresence() {
    presenceLayer.clearLayers();
    if (!state.layers.presence) return;
    var features = [];
    presenceNow.forEach(function (e) {
      var source = e.kind === 0 ? cfg.provinces : cfg.districts;
      if (!source) return;
      var f = source.features[e.index];
      var several = Object.keys(e.groups).length > 1;
      var color = cfg.presence.colors[e.group];
      features.push({ type: "Feature", geometry: f.geometry, properties: {
        name: f.properties.name, level: e.level, group: cfg.presence.groups[e.group],
        groups: Object.keys(e.groups).sort().map(function (g) {
          return g + " (" + cfg.labels.levels[e.groups[g]] + ")"; }).join("; "),
        // an outline only: presence never mixes into the fill, whose colour is the legend's
        style: { fill: false, color: color, opacity: 1, weight: cfg.style.level_weight[e.level],
                 dashArray: several ? "8 5" : null },
      }});
    });
    presenceLayer.addLayer(L.geoJSON({ type: "FeatureCollection", features: features }, {
      className: "arm-presence",
      // not interactive: a click or a hover on an outline reaches the area beneath, whose
      // tooltip names the groups and their levels
      interactive: false,
      style: function (f) { return f.properties.style; },
    }));
  }
  function restyleAreas() {
    provinceLayer.setStyle(function (f) {
      return areaStyle("province", f.properties.index, f.properties.code);
    });
    districtLayer.eachLayer(function (group) {
      group.setStyle(function (f) { return areaStyle("district", f.properties.index, f.properties.code); });
    });
  }
  function selectArea(kind, code) {
    state.selected = code;
    if (kind === "province") {
      state.province = code;
      drawDistricts();
      zoomTo(code);
    }
    restyleAreas();
    drawLegends();  // the districts' classes and legend replace the provinces
    report("selected", { code: code, kind: kind });
  }

  // --- events: clusters of the window's events ------------------------------------------
  var eventsLayer = L.layerGroup();
  var index = null;
  var icons = {};
  function icon(i) {
    var c = data.cols;
    var key = c.type[i] + ":" + c.status[i] + ":" + c.kind[i];
    if (!icons[key]) {
      var spec = cfg.icons[c.kind[i] === 0 ? "exact" : "area"][c.type[i]][c.status[i]];
      var size = c.kind[i] === 0 ? 22 : 30;
      icons[key] = L.divIcon({ className: spec[0], html: spec[1], iconSize: [size, size],
                               iconAnchor: [size / 2, size / 2] });
    }
    return icons[key];
  }
  function clusterIcon(count) {
    var size = count < 10 ? 28 : (count < 100 ? 34 : 42);
    var label = count >= 10000 ? Math.round(count / 1000) + "k" : String(count);
    return L.divIcon({ html: "<div><span>" + label + "</span></div>", className: "arm-cluster",
                       iconSize: L.point(size, size) });
  }
  function buildIndex() {
    var c = data.cols, points = [];
    for (var k = 0; k < selection.length; k++) {
      var i = selection[k];
      if (c.kind[i] !== 2) points.push({ i: i, geometry: { coordinates: [c.lon[i], c.lat[i]] } });
    }
    index = new Supercluster({ radius: 40, maxZoom: 17 }).load(points);
  }
  function drawEvents() {
    eventsLayer.clearLayers();
    if (!index || !state.layers.events) return;
    var b = map.getBounds().pad(0.2);
    var items = index.getClusters([b.getWest(), b.getSouth(), b.getEast(), b.getNorth()],
                                  Math.round(map.getZoom()));
    var markers = [];
    items.forEach(function (item) {
      var xy = item.geometry.coordinates;
      if (item.properties && item.properties.cluster) {
        // at the national view a cluster lets a click through to the province under it
        var m = L.marker([xy[1], xy[0]], { icon: clusterIcon(item.properties.point_count),
                                           interactive: map.getZoom() > map.getBoundsZoom(cfg.bounds) });
        m.on("click", function () {
          var zoom = Math.min(index.getClusterExpansionZoom(item.properties.cluster_id), 17);
          map.setView([xy[1], xy[0]], zoom);
        });
        markers.push(m);
      } else {
        var i = item.i;
        var marker = L.marker([xy[1], xy[0]], { icon: icon(i) });
        marker.bindPopup(function () { return popup(i); }, { maxWidth: 320 });
        marker.on("click", function () { report("event", { row: i }); });
        markers.push(marker);
      }
    });
    markers.forEach(function (m) { eventsLayer.addLayer(m); });
    html.dataset.armMarkers = String(markers.length);
  }
  function dateText(i) {
    var c = data.cols, start = dayText(c.start[i]);
    var precision = data.dicts.date_precision[c.date_precision[i]];
    if (precision === "day") return start;
    if (precision === "week") return "week of " + start;
    if (precision === "month") return start.slice(0, 7);
    return start + " – " + (c.end[i] === data.no_day ? "open" : dayText(c.end[i]));
  }
  function popup(i) {
    var c = data.cols;
    var type = data.dicts.type[c.type[i]], status = data.dicts.status[c.status[i]];
    var province = c.province[i] === data.arrays_none.province ? "" :
      cfg.provinces.features[c.province[i]].properties.name;
    var place = text("place", "place", i) + (province ? ", " + province : "");
    var actor2 = text("actor2", "actor2", i);
    var out = "<div class=\"arm-popup\"><b>" + esc(cfg.labels.types[type] || type) + "</b> · " +
      esc(cfg.labels.statuses[status] || status) + "<br><small>" + esc(dateText(i)) + "</small>" +
      "<p>" + esc(place) + " <small>(" + esc(cfg.labels.precision[c.precision[i]]) + ")</small></p>" +
      "<p>" + esc(text("actor1", "actor1", i)) + (actor2 ? " vs " + esc(actor2) : "") +
      "; claimed by " + esc(text("claimed_by", "claimed_by", i)) + "</p>";
    if (c.fatalities[i] >= 0) {
      out += "<p>Fatalities as claimed: " + c.fatalities[i] + " (per " +
        esc(text("fatalities_by", "fatalities_by", i)) + ")</p>";
    }
    var outlet = text("outlet", "outlet", i), title = text("title", "title", i);
    if (outlet || title) {
      out += "<p><small>Source: " + esc(outlet) + (title ? " — " + esc(title) : "") +
        " (quotes and sources: the panel beside the map)</small></p>";
    }
    return out + "</div>";
  }

  // --- the window's controls: playback in the page --------------------------------------
  var Control = L.Control.extend({
    options: { position: "topright" },
    onAdd: function () {
      var box = L.DomUtil.create("div", "arm-playback leaflet-bar");
      box.innerHTML = "<button type=\"button\" class=\"arm-play\" title=\"Play\">▶ Play</button>" +
        "<span class=\"arm-window\"></span>";
      L.DomEvent.disableClickPropagation(box);
      box.querySelector("button").addEventListener("click", function () {
        if (state.playing) pause(); else play();
      });
      return box;
    },
  });
  var control = new Control();
  function showWindow() {
    var box = control.getContainer();
    if (box) {
      box.querySelector(".arm-window").textContent = dayText(state.window[0]) + " – " + dayText(state.window[1]);
      var button = box.querySelector("button");
      button.textContent = state.playing ? "⏸ Pause" : "▶ Play";
      button.title = state.playing ? "Pause" : "Play";
    }
    html.dataset.armWindow = dayText(state.window[0]) + "," + dayText(state.window[1]);
    html.dataset.armPlaying = state.playing ? "1" : "0";
  }
  function stepWindow() {
    var lo = state.window[0], hi = state.window[1];
    if (lo === span[0] && hi === span[1]) return [[span[0], Math.min(span[0] + state.step, span[1])], false];
    if (hi >= span[1]) return [state.window, true];
    var end = Math.min(hi + state.step, span[1]);
    var start = state.cumulative ? lo : Math.min(lo + state.step, end);
    return [[start, end], end >= span[1]];
  }
  function play() {
    state.playing = true;
    showWindow();
    state.timer = setInterval(function () {
      var next = stepWindow();
      state.window = next[0];
      apply();
      if (next[1]) pause();
    }, Math.max(50, state.speed * 1000));
  }
  function pause() {
    clearInterval(state.timer);
    state.timer = null;
    if (!state.playing) return;
    state.playing = false;
    showWindow();
    report("window", [dayText(state.window[0]), dayText(state.window[1])]);
  }

  // --- the legend: one box, folded on a phone, beneath tooltips and popups ----------------
  // Leaflet's controls sit above every map pane, popups included; the legend is a pane of
  // its own between the markers (600) and the tooltips (650), kept at the map's corner.
  var legendPane = map.createPane("armLegend");
  legendPane.style.zIndex = 640;
  var legendBox = L.DomUtil.create("div", "arm-legend-anchor", legendPane);
  var legend = L.DomUtil.create("details", "arm-legend", legendBox);
  var pageWidth = window.innerWidth;
  try { pageWidth = window.parent.innerWidth; } catch (e) { /* not the app's frame */ }
  legend.open = pageWidth > 640;  // folded on a phone
  html.dataset.armLegendOpen = legend.open ? "1" : "0";
  legend.addEventListener("toggle", function () { html.dataset.armLegendOpen = legend.open ? "1" : "0"; });
  legend.innerHTML = "<summary>Legend</summary><div class=\"arm-legend-body\"></div>";
  L.DomEvent.disableClickPropagation(legend);
  L.DomEvent.disableScrollPropagation(legend);
  function placeLegend() {
    var size = map.getSize();
    L.DomUtil.setPosition(legendBox, map.containerPointToLayerPoint([8, size.y - 52]));
  }
  map.on("move zoom zoomend viewreset resize", placeLegend);
  placeLegend();
  function drawLegends() {
    var districts = cfg.districts && state.province && state.layers.districts;
    var parts = [];
    if (state.layers.provinces || districts) {
      parts.push(cfg.legends.areas[districts ? "districts" : "provinces"][state.metric]);
    }
    if (state.layers.events) {
      parts.push(cfg.legends.events + (unplacedInWindow ? "<div class=\"arm-note\">" + unplacedInWindow +
        " claim(s) in the window cannot be placed on the map (region or country only): listed under the map.</div>" : ""));
    }
    if (state.layers.presence) {
      parts.push(cfg.legends.presence + "<div class=\"arm-note\">As of " + esc(dayText(state.window[1])) + "." +
        (presenceNow.length ? "" : " No presence reported for this date and selection.") + "</div>");
    }
    legend.querySelector(".arm-legend-body").innerHTML = parts.join("");  // built in Python from escaped text
    legend.style.display = parts.length ? "" : "none";
  }

  // --- the page scrolls; the map zooms with the wheel only once clicked (or with Ctrl/⌘) ---
  map.scrollWheelZoom.disable();
  var container = map.getContainer();
  var hint = L.DomUtil.create("div", "arm-scroll-hint", container);
  hint.textContent = "Click the map to zoom with the wheel (or hold Ctrl / ⌘)";
  var hintTimer = null;
  container.addEventListener("mousedown", function () { map.scrollWheelZoom.enable(); html.dataset.armWheel = "1"; });
  container.addEventListener("mouseleave", function () { map.scrollWheelZoom.disable(); html.dataset.armWheel = "0"; });
  container.addEventListener("wheel", function (e) {
    if (map.scrollWheelZoom.enabled()) return;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      map.setZoomAround(map.mouseEventToContainerPoint(e), map.getZoom() + (e.deltaY < 0 ? 1 : -1));
      return;
    }
    hint.classList.add("arm-shown");
    clearTimeout(hintTimer);
    hintTimer = setTimeout(function () { hint.classList.remove("arm-shown"); }, 1500);
  }, { passive: false });

  // --- applying a view -------------------------------------------------------------------
  function apply() {
    if (!data) return;
    var t0 = performance.now();
    select();
    aggregate();
    restyleAreas();
    drawPresence();
    buildIndex();
    drawEvents();
    drawLegends();
    showWindow();
    html.dataset.armInWindow = String(selection.length);
    html.dataset.armUnplaced = String(unplacedInWindow);
    html.dataset.armApplyMs = String(Math.round(performance.now() - t0));
    html.dataset.armApplied = String((Number(html.dataset.armApplied) || 0) + 1);
  }
  function setLayer(layer, on) {
    if (on && !map.hasLayer(layer)) layer.addTo(map);
    if (!on && map.hasLayer(layer)) map.removeLayer(layer);
  }
  function applyLayers() {
    setLayer(provinceLayer, state.layers.provinces);
    setLayer(districtLayer, state.layers.districts);
    setLayer(presenceLayer, state.layers.presence);
    setLayer(eventsLayer, state.layers.events);
    drawDistricts();
  }
  function zoomTo(code) {
    // Leaflet drops a new view while a zoom animation runs (setView returns at once when
    // _animatingZoom): wait for it to end, then move.
    if (map._animatingZoom) { map.once("zoomend", function () { zoomTo(code); }); return; }
    var target = null;
    provinceLayer.eachLayer(function (layer) {
      if (layer.feature.properties.code === code) target = layer;
    });
    if (target) map.fitBounds(target.getBounds(), { maxZoom: 9, padding: [20, 20] });
    else map.fitBounds(cfg.bounds);
  }
  window.armSetView = function (view) {
    var window_ = [dayOf(view.window[0]), dayOf(view.window[1])];
    var fromSlider = view.seq !== state.seq;
    state.seq = view.seq;
    state.step = view.step_days;
    state.cumulative = view.cumulative;
    state.speed = view.speed;
    if (fromSlider && state.playing) pause();  // the user's slider wins over playback
    var changed = view.metric !== state.metric || view.province !== state.province ||
      JSON.stringify(view.layers) !== JSON.stringify(state.layers) ||
      view.selected !== state.selected;
    var moved = view.province !== state.province;
    state.metric = view.metric;
    state.province = view.province;
    state.selected = view.selected;
    state.layers = view.layers;
    if (changed) { applyLayers(); drawLegends(); }
    if (moved) zoomTo(state.province);
    if (!state.playing && (window_[0] !== state.window[0] || window_[1] !== state.window[1])) {
      state.window = window_;
      apply();
    } else if (changed) {
      restyleAreas();
      drawEvents();
    }
    showWindow();
  };

  // What the window's figures are, per province (tests compare them with Python's).
  window.armFigures = function () {
    var f = figures.provinces;
    return f && {
      codes: cfg.provinces.features.map(function (x) { return x.properties.code; }),
      claims: Array.from(f.claims), presence: Array.from(f.presence),
      fatalities: Array.from(f.fatal).map(function (v, i) { return f.hasFatal[i] ? v : null; }),
    };
  };
  map.on("moveend", drawEvents);
  control.addTo(map);
  applyLayers();
  showWindow();
  html.dataset.armState = "loading";
  fetchPayload(cfg.payload).then(function (buffer) {
    data = decode(buffer);
    data.arrays_none = { province: noneOf(data.cols.province), district: noneOf(data.cols.district) };
    apply();
    html.dataset.armEvents = String(data.n);
    html.dataset.armState = "ready";
  }).catch(function (error) {
    html.dataset.armState = "error";
    html.dataset.armError = String(error);
    console.error(error);
  });
})();
