/* The atlas page: map, list of sites in view and timeline, filled from the viewport endpoints as the reader pans,
 * zooms and filters. The whole view (centre, zoom, filters, range, selected site) lives in the URL, written with
 * history.replaceState and read back on load, so a view can be cited. No inline script (the Content-Security-Policy
 * allows none) and no record text through innerHTML: every node is built and its text set with textContent. */
(function () {
  "use strict";
  var root = document.getElementById("atlas");
  if (!root || !window.L || !window.LWF) { return; }
  var FILTERS = ["q", "kind", "status", "oblast", "raion", "from", "to", "has_photos"];
  var DEFAULT_VIEW = { lat: 48.6, lon: 31.2, z: 6 };
  var lang = root.getAttribute("data-lang") || "en";
  var form = document.getElementById("atlas-filters");
  var sitesList = document.getElementById("sites");
  var moreButton = document.getElementById("sites-more");
  var eventsList = document.getElementById("events");
  var histogram = document.getElementById("histogram");
  var histogramAxis = document.getElementById("histogram-axis");
  var problem = document.getElementById("atlas-problem");
  // Set by what the reader asked for (a search, a filter, a choice of site or month): the next address is a new
  // history entry, so Back returns to the view before. Pans and zooms rewrite the current entry.
  var pushNext = false;
  var leftOut = [];
  // What the page's server found unreadable in the cited address ([{name, label, value}]): left out before any
  // request or form field gets it. The notice's opening comes in the language's plural forms, by how many it names.
  var unreadable = JSON.parse(problem.getAttribute("data-left-out") || "[]");
  var notices = JSON.parse(problem.getAttribute("data-unreadable") || "[]");
  var state = { site: "", filters: {} };
  var nextCursor = null;
  var generation = 0;
  // Sites met in the list or as map points, by slug: a site chosen in the list is marked on the map even where the
  // map shows clusters at that zoom.
  var known = {};

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    return node;
  }

  function clear(node) { while (node.firstChild) { node.removeChild(node.firstChild); } }

  function number(value, fallback) {
    var parsed = parseFloat(value);
    return isFinite(parsed) ? parsed : fallback;
  }

  // What the URL asks for: centre, zoom, filters and the selected site; on the first reading, without the values
  // the server found unreadable.
  function readURL(dropped) {
    var params = new URLSearchParams(window.location.search);
    (dropped || []).forEach(function (item) { params.delete(item.name); });
    state.filters = {};
    FILTERS.forEach(function (name) {
      var value = params.get(name);
      if (value) { state.filters[name] = value; }
    });
    state.site = params.get("site") || "";
    return {
      lat: Math.max(-85, Math.min(85, number(params.get("lat"), DEFAULT_VIEW.lat))),
      lon: Math.max(-180, Math.min(180, number(params.get("lon"), DEFAULT_VIEW.lon))),
      z: Math.max(0, Math.min(18, Math.round(number(params.get("z"), DEFAULT_VIEW.z))))
    };
  }

  function writeURL() {
    var centre = map.getCenter();
    var params = new URLSearchParams();
    params.set("lat", centre.lat.toFixed(5));
    params.set("lon", centre.lng.toFixed(5));
    params.set("z", String(map.getZoom()));
    FILTERS.forEach(function (name) { if (state.filters[name]) { params.set(name, state.filters[name]); } });
    if (state.site) { params.set("site", state.site); }
    var address = window.location.pathname + "?" + params.toString();
    if (pushNext && address !== window.location.pathname + window.location.search) {
      window.history.pushState(null, "", address);
    } else {
      window.history.replaceState(null, "", address);
    }
    pushNext = false;
    // The header's language links lead to this same view in the other language.
    Array.prototype.forEach.call(document.querySelectorAll("nav.language a[href]"), function (link) {
      link.search = "?" + params.toString();
    });
  }

  function readForm() {
    state.filters = {};
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      var value = field.type === "checkbox" ? (field.checked ? "1" : "") : field.value.trim();
      if (value) { state.filters[name] = value; }
    });
  }

  // The form shows the filters of the view (after Back or Forward, or when a filter was left out).
  function fillForm() {
    FILTERS.forEach(function (name) {
      var field = form.elements[name];
      if (!field) { return; }
      var value = state.filters[name] || "";
      if (field.type === "checkbox") {
        field.checked = Boolean(value);
      } else if (field.tagName === "SELECT" && value) {
        // A unit may be cited by its P-code (UA63), the start of its KATOTTG code (UA63000000000041885).
        var option = Array.prototype.find.call(field.options, function (o) { return o.value === value; }) ||
          Array.prototype.find.call(field.options, function (o) { return o.value && o.value.indexOf(value) === 0; });
        field.value = option ? option.value : "";
      } else {
        field.value = value;
      }
    });
  }

  // A value the atlas cannot read (a cited address with "from=2022-13-45" or "kind=zzz") is left out and said so,
  // in the page's language, naming the field as the form labels it.
  function tell(label, value) {
    // The reader's own text in «», cut short: a search of 10 000 characters would fill the screen, one letter a line.
    value = String(value);
    if (value.length > 20) { value = value.slice(0, 20) + "…"; }
    // Each value left out is named, and the sentence agrees with how many.
    leftOut.push(label + " («" + value + "»)");
    var opening = notices[Math.min(leftOut.length, notices.length - 1)] || "";
    problem.textContent = opening + " " + leftOut.join(", ");
    problem.hidden = false;
  }

  // A filter the API refused though the page's server read it (the last resort: the server leaves out what it
  // cannot read before the page asks anything).
  function leaveOut(name) {
    var field = form.elements[name];
    var holder = field && field.closest ? field.closest("label") : null;
    var label = holder ? (holder.firstChild.textContent.trim() || holder.textContent.trim()) : name;
    tell(label, state.filters[name]);
    delete state.filters[name];
    fillForm();
  }

  function clamp(value, low, high) { return Math.max(low, Math.min(high, value)); }

  function query(extra) {
    var bounds = map.getBounds();
    var params = new URLSearchParams();
    params.set("bbox", [
      clamp(bounds.getWest(), -180, 180).toFixed(5), clamp(bounds.getSouth(), -90, 90).toFixed(5),
      clamp(bounds.getEast(), -180, 180).toFixed(5), clamp(bounds.getNorth(), -90, 90).toFixed(5)
    ].join(","));
    params.set("zoom", String(map.getZoom()));
    params.set("lang", lang);
    FILTERS.forEach(function (name) { if (state.filters[name]) { params.set(name, state.filters[name]); } });
    Object.keys(extra || {}).forEach(function (name) { params.set(name, extra[name]); });
    return params;
  }

  function getJSON(url, params) {
    return fetch(url + "?" + params.toString(), { headers: { Accept: "application/json" } }).then(function (response) {
      return response.json().then(function (body) {
        if (!response.ok) {
          var detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail || response.statusText);
          var failure = new Error(detail);
          var named = /^([a-z_]+):/.exec(detail);
          failure.parameter = named ? named[1] : "";
          throw failure;
        }
        return body;
      });
    });
  }

  var map = L.map("atlas-map", { scrollWheelZoom: true });
  window.LWF.tiles(18).addTo(map);
  var layer = L.layerGroup().addTo(map);
  var selectedLayer = L.layerGroup().addTo(map);
  var start = readURL(unreadable);
  unreadable.forEach(function (item) { tell(item.label, item.value); });
  map.setView([start.lat, start.lon], start.z);
  // With no view in the URL, open on the published sites (a phone's narrow map would miss them at the default).
  function fitTo(west, south, east, north) {
    if (![west, south, east, north].every(isFinite)) { return false; }
    map.fitBounds([[south, west], [north, east]], { padding: [24, 24], maxZoom: 12, animate: false });
    return true;
  }
  var extent = (root.getAttribute("data-extent") || "").split(",").map(parseFloat);
  // A cited view is one whose address names its centre (readable); without one the map opens as the form would
  // show the same question: on its matches when it searches or names a unit, else on all the published sites.
  var citedView = ["lat", "lon"].every(function (name) {
    return new URLSearchParams(window.location.search).has(name) &&
      !unreadable.some(function (item) { return item.name === name; });
  });
  if (!citedView && extent.length === 4) {
    fitTo(extent[0], extent[1], extent[2], extent[3]);
  }

  function siteURL(slug) { return root.getAttribute("data-site-url") + encodeURIComponent(slug) + "/"; }

  function popup(point) {
    var box = el("div");
    var link = el("a", null, point.name);
    link.href = siteURL(point.slug);
    box.appendChild(link);
    box.appendChild(el("div", null, point.kind_label));
    return box;
  }

  function drawPoints(points) {
    points.forEach(function (p) {
      L.circle([p.lat, p.lon], {
        radius: p.uncertainty_m, color: "#7a1f1f", weight: 1, fillOpacity: 0.12, interactive: false
      }).addTo(layer);
    });
    points.forEach(function (p) {
      known[p.slug] = p;
      var marker = L.circleMarker([p.lat, p.lon], {
        radius: 8, color: "#fff", weight: 2, fillColor: "#7a1f1f", fillOpacity: 1, className: "site-marker"
      }).addTo(layer);
      marker.getElement().setAttribute("data-slug", p.slug);
      marker.bindPopup(popup(p));
      marker.on("click", function () { select(p.slug); });
    });
  }

  function drawClusters(clusters) {
    clusters.forEach(function (c) {
      // Sized by the server (viewport.marker_size), which also merges clusters that would overlap at this zoom.
      var size = c.size;
      var icon = L.divIcon({ className: "cluster-marker", html: el("span", null, c.count), iconSize: [size, size] });
      var marker = L.marker([c.lat, c.lon], { icon: icon, keyboard: true, title: String(c.count) }).addTo(layer);
      marker.getElement().setAttribute("data-count", String(c.count));
      marker.getElement().setAttribute("data-cell", c.cell);
      marker.on("click", function () {
        pushNext = true;
        map.setView([c.lat, c.lon], Math.min(18, map.getZoom() + 2));
      });
    });
  }

  function listItem(point) {
    known[point.slug] = point;
    var item = el("li", "site-item");
    item.setAttribute("data-slug", point.slug);
    var link = el("a");
    link.href = siteURL(point.slug);
    link.appendChild(el("strong", null, point.name));
    item.appendChild(link);
    item.appendChild(document.createTextNode(" "));
    item.appendChild(el("span", "kind kind-" + point.kind, point.kind_label));
    item.addEventListener("click", function (event) {
      if (event.target.closest("a")) { return; }
      select(point.slug);
    });
    return item;
  }

  function loadList(cursor) {
    var extra = { limit: "50" };
    if (cursor) { extra.cursor = cursor; }
    var mine = generation;
    return getJSON(root.getAttribute("data-list-url"), query(extra)).then(function (page) {
      if (mine !== generation) { return; }
      if (!cursor) { clear(sitesList); }
      page.items.forEach(function (p) { sitesList.appendChild(listItem(p)); });
      nextCursor = page.next_cursor;
      moreButton.hidden = !nextCursor;
      highlight();
    });
  }

  function drawTimeline(body) {
    clear(eventsList);
    clear(histogram);
    document.getElementById("events-count").textContent = String(body.total);
    if (body.months) {
      histogram.hidden = false;
      var most = Math.max.apply(null, body.months.map(function (m) { return m.count; }));
      body.months.forEach(function (m) {
        var bar = el("button", m.count ? "bar" : "bar empty");
        bar.type = "button";
        // The month as the page's language names it ("вересень 2022"), written by the timeline endpoint with the
        // atlas's one formatter, not the browser's ("вересень 2022 р.", in the browser's language).
        var label = m.label + ": " + m.count;
        bar.title = label;
        bar.setAttribute("data-month", m.month);
        bar.setAttribute("aria-label", label);
        // An empty month is a bar of no height, still there and named: the axis runs through every month.
        bar.style.height = (m.count ? Math.max(1, Math.round(100 * m.count / most)) : 0) + "%";
        bar.addEventListener("click", function () { chooseMonth(m.month); });
        histogram.appendChild(bar);
      });
      // The range under the bars, first and last month named.
      clear(histogramAxis);
      histogramAxis.appendChild(el("span", null, body.months[0].label));
      histogramAxis.appendChild(el("span", null, body.months[body.months.length - 1].label));
      histogramAxis.hidden = false;
      highlight();
      return;
    }
    histogram.hidden = true;
    histogramAxis.hidden = true;
    body.events.forEach(function (e) {
      var item = el("li", "event event-" + e.kind);
      item.setAttribute("data-site", e.site || "");
      var time = el("time", null, e.when || (e.date_end ? e.date + " – " + e.date_end : e.date));
      time.setAttribute("datetime", e.date);
      item.appendChild(time);
      item.appendChild(el("span", "event-title", e.title));
      item.addEventListener("click", function () { if (e.site) { select(e.site); } });
      eventsList.appendChild(item);
    });
    highlight();
  }

  // A month of the histogram becomes the time range.
  function chooseMonth(month) {
    var parts = month.split("-");
    var last = new Date(Date.UTC(Number(parts[0]), Number(parts[1]), 0)).getUTCDate();
    form.elements.from.value = month + "-01";
    form.elements.to.value = month + "-" + (last < 10 ? "0" : "") + last;
    readForm();
    pushNext = true;
    refresh();
  }

  // The selected site is marked in all three: its list item, its point on the map (drawn over the clusters when the
  // map shows counts at this zoom), and its events in the timeline (the months that hold them, when a histogram).
  function highlight() {
    Array.prototype.forEach.call(root.querySelectorAll(".selected"), function (node) {
      node.classList.remove("selected");
    });
    selectedLayer.clearLayers();
    if (!state.site) { return; }
    var slug = window.CSS && CSS.escape ? CSS.escape(state.site) : state.site.replace(/[^a-z0-9_-]/gi, "");
    Array.prototype.forEach.call(
      root.querySelectorAll('[data-slug="' + slug + '"], [data-site="' + slug + '"]'),
      function (node) { node.classList.add("selected"); }
    );
    var point = known[state.site];
    if (point && !root.querySelector('path.site-marker[data-slug="' + slug + '"]')) {
      var marker = L.circleMarker([point.lat, point.lon], {
        radius: 9, color: "#fff", weight: 3, fillColor: "#7a1f1f", fillOpacity: 1, className: "site-marker selected"
      }).addTo(selectedLayer);
      marker.getElement().setAttribute("data-slug", point.slug);
      marker.bindPopup(popup(point));
    }
    if (!histogram.hidden) { markMonths(state.site); }
  }

  // The site's own events mark their months; the first page (up to 100, oldest first) is what one site's bars need.
  function markMonths(site) {
    var url = root.getAttribute("data-sites-url") + "/" + encodeURIComponent(site) + "/events";
    getJSON(url, new URLSearchParams({ limit: "100" })).then(function (page) {
      if (state.site !== site || histogram.hidden) { return; }
      (page.items || []).forEach(function (e) {
        if (e.site !== site) { return; }
        var bar = histogram.querySelector('[data-month="' + String(e.date).slice(0, 7) + '"]');
        if (bar) { bar.classList.add("selected"); }
      });
    }).catch(function () { /* the list and map still show the choice */ });
  }

  function select(slug) {
    state.site = state.site === slug ? "" : slug;
    highlight();
    pushNext = true;
    writeURL();
  }

  // Nothing in view is said in a sentence, with a way out when filters narrowed it.
  var empty = document.getElementById("sites-empty");
  var clearButton = document.getElementById("clear-filters");
  function tellEmpty(total) {
    var filtered = Object.keys(state.filters).length > 0;
    var sentence = empty.querySelector("p");
    sentence.textContent = sentence.getAttribute(filtered ? "data-filtered" : "data-plain");
    clearButton.hidden = !filtered;
    empty.hidden = total !== 0;
  }
  clearButton.addEventListener("click", function () {
    state.filters = {};
    state.site = "";
    fillForm();
    narrowRaions();
    problem.hidden = true;
    leftOut = [];
    pushNext = true;
    refresh();
  });

  function updateDownloads() {
    var params = query({});
    params.delete("zoom");
    params.delete("lang");
    Array.prototype.forEach.call(document.querySelectorAll("a.atlas-download"), function (link) {
      link.href = link.getAttribute("data-base") + "?" + params.toString();
    });
  }

  function refresh() {
    generation += 1;
    var mine = generation;
    writeURL();
    updateDownloads();
    root.setAttribute("data-state", "loading");
    var views = getJSON(root.getAttribute("data-viewport-url"), query()).then(function (body) {
      if (mine !== generation) { return; }
      layer.clearLayers();
      document.getElementById("sites-count").textContent = String(body.total);
      tellEmpty(body.total);
      if (body.points) { drawPoints(body.points); } else { drawClusters(body.clusters); }
      highlight();
    });
    var timeline = getJSON(root.getAttribute("data-timeline-url"), query()).then(function (body) {
      if (mine === generation) { drawTimeline(body); }
    });
    Promise.all([views, loadList(null), timeline]).then(function () {
      if (mine === generation) { root.setAttribute("data-state", "ready"); }
    }, function (error) {
      if (mine !== generation) { return; }
      if (error.parameter && state.filters[error.parameter]) {
        leaveOut(error.parameter);
        refresh();
        return;
      }
      root.setAttribute("data-state", "error");
      document.getElementById("sites-count").textContent = "";
      empty.hidden = true;
      problem.textContent = problem.getAttribute("data-failed");
      problem.hidden = false;
    });
  }

  var pending = null;
  map.on("moveend", function () {
    if (pending) { window.clearTimeout(pending); }
    pending = window.setTimeout(refresh, 120);
  });
  // A search or a chosen oblast or raion moves the map to what it finds (the first page of matches), then the view
  // loads as after any move.
  function goToMatches() {
    var params = new URLSearchParams();
    FILTERS.forEach(function (name) { if (state.filters[name]) { params.set(name, state.filters[name]); } });
    params.set("limit", "100");
    return getJSON(root.getAttribute("data-sites-url"), params).then(function (body) {
      var items = body.items || [];
      if (!items.length) { return false; }
      var lats = items.map(function (s) { return s.latitude; });
      var lons = items.map(function (s) { return s.longitude; });
      return fitTo(Math.min.apply(null, lons), Math.min.apply(null, lats),
        Math.max.apply(null, lons), Math.max.apply(null, lats));
    }).catch(function () { return false; });
  }
  // The raion list offers only the raions of the chosen oblast (whole groups hidden, nothing rebuilt).
  function narrowRaions() {
    var oblast = form.elements.oblast, raion = form.elements.raion;
    if (!oblast || !raion) { return; }
    Array.prototype.forEach.call(raion.querySelectorAll("optgroup"), function (group) {
      var fits = !oblast.value || group.getAttribute("data-oblast") === oblast.value;
      group.hidden = !fits;
      group.disabled = !fits;
    });
    var chosen = raion.options[raion.selectedIndex];
    if (chosen && chosen.parentNode.disabled) { raion.value = ""; }
  }
  if (form.elements.oblast) { form.elements.oblast.addEventListener("change", narrowRaions); }
  narrowRaions();
  form.addEventListener("submit", function (event) {
    event.preventDefault();
    readForm();
    // A new question: the site chosen before may not be among its answers.
    state.site = "";
    problem.hidden = true;
    leftOut = [];
    pushNext = true;
    if (!state.filters.q && !state.filters.oblast && !state.filters.raion) { refresh(); return; }
    // The move (if any) was made without animation; one refresh loads the view whether or not the map moved.
    goToMatches().then(function () { refresh(); });
  });
  moreButton.addEventListener("click", function () { if (nextCursor) { loadList(nextCursor); } });
  // Back and Forward bring an earlier view back whole: centre, zoom, filters and the chosen site.
  window.addEventListener("popstate", function () {
    var view = readURL();
    fillForm();
    problem.hidden = true;
    leftOut = [];
    map.setView([view.lat, view.lon], view.z, { animate: false });
    refresh();
  });
  fillForm();
  if (!citedView && (state.filters.q || state.filters.oblast || state.filters.raion)) {
    goToMatches().then(function () { refresh(); });
  } else {
    refresh();
  }
})();
