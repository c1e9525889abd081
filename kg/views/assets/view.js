/* regkg view page, part 2: legend, search, filters, details panel and tooltips over a vis-network
 * graph whose picture (folding, layout, fit, labels) display.js manages. Every value from the data
 * is put on the page with textContent (never innerHTML); links are made only for http(s) URLs.
 * window.kgView exposes the state to tests and to the console. */
(function () {
  "use strict";

  var payload = JSON.parse(document.getElementById("kg-data").textContent);
  var details = payload.details;
  var TYPES = {};
  payload.legend.types.forEach(function (t) { TYPES[t.type] = t; });
  var RELATIONS = {};
  payload.legend.relations.forEach(function (r) { RELATIONS[r.relation] = r; });
  var FIELD_NAMES = {
    kind: "kind 类别", number: "number 文号", date: "date 日期", status: "status 状态",
    jurisdiction: "jurisdiction 法域", amount_text: "amount 金额", names: "other names 其他名称"
  };

  // ------------------------------------------------------------ DOM helpers (text only)

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function clear(node) {
    while (node.firstChild) { node.removeChild(node.firstChild); }
  }

  function safeUrl(url) {
    return typeof url === "string" && /^https?:\/\/[^\s]+$/i.test(url);
  }

  function link(url, text) {
    if (!safeUrl(url)) { return el("span", text || url); }
    var a = el("a", text || url);
    a.href = url;
    a.target = "_blank";
    a.rel = "noopener noreferrer";
    return a;
  }

  function typeName(t) {
    var s = TYPES[t];
    return s ? s.en + " " + s.zh : String(t);
  }

  function relationName(r) {
    var s = RELATIONS[r];
    return s ? s.en + " " + s.zh : String(r);
  }

  function label(id) {
    return details[id] ? details[id].label : id;
  }

  function sourceText(s) {
    var parts = [(s.document_label ? "《" + s.document_label + "》 " : "") + s.document];
    if (s.lines) { parts.push("lines " + s.lines); }
    if (s.section) { parts.push(s.section); }
    if (s.source_name) { parts.push(s.source_name); }
    return parts.join(" · ");
  }

  function jurisdictionText(d) {
    if (!d.jurisdiction) { return ""; }
    var labels = d.jurisdiction_labels || {};
    return labels[d.jurisdiction] || d.jurisdiction;
  }

  // ------------------------------------------------------------ adjacency

  var adjacency = {};
  payload.nodes.forEach(function (n) { adjacency[n.id] = []; });
  payload.edges.forEach(function (e) {
    if (adjacency[e.from]) { adjacency[e.from].push(e); }
    if (adjacency[e.to] && e.to !== e.from) { adjacency[e.to].push(e); }
  });

  // ------------------------------------------------------------ tooltips (DOM elements, text only)

  function nodeTooltip(n) {
    var d = details[n.id] || {};
    var box = el("div");
    box.appendChild(el("div", d.label || n.id, "kg-tip-title"));
    var bits = [typeName(n.type)];
    if (d.kind) { bits.push(d.kind); }
    if (d.number) { bits.push(d.number); }
    if (d.date) { bits.push(d.date); }
    if (d.jurisdiction) { bits.push(d.jurisdiction); }
    if (d.amount_text) { bits.push(d.amount_text); }
    box.appendChild(el("div", bits.join(" · ")));
    return box;
  }

  function edgeTooltip(e) {
    var box = el("div");
    box.appendChild(el("div", relationName(e.relation), "kg-tip-title"));
    box.appendChild(el("div", label(e.from) + " → " + label(e.to)));
    (e.sources || []).slice(0, 2).forEach(function (s) { box.appendChild(el("div", sourceText(s), "kg-muted")); });
    return box;
  }

  // ------------------------------------------------------------ data sets and filters

  var nodes = new vis.DataSet(payload.nodes.map(function (n) {
    return Object.assign({}, n, { title: nodeTooltip(n) });
  }));
  var edges = new vis.DataSet(payload.edges.map(function (e) {
    return Object.assign({}, e, { title: edgeTooltip(e) });
  }));

  var years = payload.filters.years;
  var state = { hiddenTypes: new Set(), hiddenRelations: new Set(), jurisdiction: "",
                yearFrom: years.length ? years[0] : null, yearTo: years.length ? years[years.length - 1] : null };
  var visible = new Set();

  function jurisdictionState(n) {
    if (!state.jurisdiction) { return "yes"; }
    if (!n.jurisdictions || !n.jurisdictions.length) { return "unknown"; }
    return n.jurisdictions.indexOf(state.jurisdiction) >= 0 ? "yes" : "no";
  }

  function yearState(n) {
    if (!years.length || (state.yearFrom === years[0] && state.yearTo === years[years.length - 1])) { return "yes"; }
    if (n.year === null || n.year === undefined) { return "unknown"; }
    return n.year >= state.yearFrom && n.year <= state.yearTo ? "yes" : "no";
  }

  function computeVisible() {
    var direct = new Set();
    var pending = [];
    payload.nodes.forEach(function (n) {
      if (state.hiddenTypes.has(n.type)) { return; }
      var j = jurisdictionState(n);
      var y = yearState(n);
      if (j === "no" || y === "no") { return; }
      if (j === "yes" && y === "yes") { direct.add(n.id); } else { pending.push(n); }
    });
    var out = new Set(direct);
    pending.forEach(function (n) {
      var linked = adjacency[n.id].some(function (e) {
        var other = e.from === n.id ? e.to : e.from;
        return direct.has(other) && !state.hiddenRelations.has(e.relation);
      });
      if (linked) { out.add(n.id); }
    });
    return out;
  }

  visible = computeVisible();
  var nodesView = new vis.DataView(nodes, { filter: function (n) { return visible.has(n.id); } });
  var edgesView = new vis.DataView(edges, { filter: function (e) {
    return !state.hiddenRelations.has(e.relation) && visible.has(e.from) && visible.has(e.to);
  } });

  // ------------------------------------------------------------ the network

  var container = document.getElementById("kg-network");
  var status = document.getElementById("kg-status");
  var network = new vis.Network(container, { nodes: nodesView, edges: edgesView }, payload.options);
  var display = window.kgDisplay(network, nodesView, payload);
  var api = {
    payload: payload, nodes: nodes, edges: edges, nodesView: nodesView, edgesView: edgesView, network: network,
    display: display, ready: false, state: state, idle: display.idle
  };
  window.kgView = api;

  var layoutNote = {
    physics: "layout by physics, stopped once stable",
    precomputed: "positions precomputed (networkx), physics off",
    time: "left to right in time order"
  }[payload.view.layout] || "";

  function showStatus() {
    var shown = nodesView.length;
    var text = payload.view.nodes + " nodes, " + payload.view.edges + " edges";
    if (shown !== payload.view.nodes) { text += " · " + shown + " shown after filters"; }
    var folds = display.folds();
    if (folds.length) {
      var held = folds.reduce(function (sum, f) { return sum + f.members.length; }, 0);
      text += " · " + folds.length + " folded groups hold " + held + " of them (the count after ·; double-click one to unfold)";
    }
    if (layoutNote) { text += " · " + layoutNote; }
    if (payload.view.layout === "precomputed" && display.physicsRuns()) {
      text += "; what is in sight laid out by physics, stopped once stable";
    }
    status.textContent = text;
  }

  function markReady() {
    if (api.ready) { return; }
    api.ready = true;
    if (payload.view.focus && visible.has(payload.view.focus)) {
      network.selectNodes([payload.view.focus]);
      display.updateLabels();
    }
    document.body.setAttribute("data-ready", "true");
    showStatus();
  }

  network.on("stabilizationProgress", function (p) {
    status.textContent = "laying out… " + Math.round(100 * p.iterations / p.total) + "%";
  });
  display.onIdle(function () { if (api.ready) { showStatus(); } });
  display.start(markReady);

  // ------------------------------------------------------------ legend and filter controls

  function legend(listId, items, key, hidden, draw) {
    var list = document.getElementById(listId);
    items.forEach(function (item) {
      var li = el("li");
      var lab = el("label");
      var box = el("input");
      box.type = "checkbox";
      box.checked = true;
      box.id = (key === "type" ? "kg-type-" : "kg-rel-") + item[key];
      box.addEventListener("change", function () {
        if (box.checked) { hidden.delete(item[key]); } else { hidden.add(item[key]); }
        applyFilters();
      });
      lab.appendChild(box);
      lab.appendChild(draw(item));
      lab.appendChild(document.createTextNode(item.en + " " + item.zh + " (" + item.count + ")"));
      li.appendChild(lab);
      list.appendChild(li);
    });
  }

  legend("kg-legend-types", payload.legend.types, "type", state.hiddenTypes, function (t) {
    var s = el("span", null, "kg-swatch " + t.shape);
    s.style.backgroundColor = t.color;
    s.style.color = t.color;
    return s;
  });
  legend("kg-legend-relations", payload.legend.relations, "relation", state.hiddenRelations, function (r) {
    var s = el("span", null, "kg-line" + (r.dashed ? " dashed" : ""));
    s.style.borderTopColor = r.color;
    return s;
  });

  var jurSelect = document.getElementById("kg-jurisdiction");
  payload.filters.jurisdictions.forEach(function (j) {
    var o = el("option", j.label);
    o.value = j.code;
    jurSelect.appendChild(o);
  });
  jurSelect.addEventListener("change", function () { state.jurisdiction = jurSelect.value; applyFilters(); });

  var fromSelect = document.getElementById("kg-year-from");
  var toSelect = document.getElementById("kg-year-to");
  if (!years.length) {
    document.getElementById("kg-years").hidden = true;
  }
  years.forEach(function (y) {
    var a = el("option", y);
    a.value = String(y);
    fromSelect.appendChild(a);
    var b = el("option", y);
    b.value = String(y);
    toSelect.appendChild(b);
  });
  function syncYears() {
    fromSelect.value = state.yearFrom === null ? "" : String(state.yearFrom);
    toSelect.value = state.yearTo === null ? "" : String(state.yearTo);
  }
  syncYears();
  fromSelect.addEventListener("change", function () {
    state.yearFrom = Number(fromSelect.value);
    if (state.yearTo < state.yearFrom) { state.yearTo = state.yearFrom; }
    syncYears();
    applyFilters();
  });
  toSelect.addEventListener("change", function () {
    state.yearTo = Number(toSelect.value);
    if (state.yearFrom > state.yearTo) { state.yearFrom = state.yearTo; }
    syncYears();
    applyFilters();
  });

  function applyFilters() {
    // unfold, keep the positions of what is shown (so nodes that come back return to their place),
    // filter, then fold again what is still large
    display.refold(function () {
      var pos = network.getPositions();
      nodes.update(Object.keys(pos).filter(function (id) { return details[id]; }).map(function (id) {
        return { id: id, x: pos[id].x, y: pos[id].y };
      }));
      visible = computeVisible();
      nodesView.refresh();
      edgesView.refresh();
      showStatus();
    });
  }

  function resetFilters() {
    state.hiddenTypes.clear();
    state.hiddenRelations.clear();
    state.jurisdiction = "";
    state.yearFrom = years.length ? years[0] : null;
    state.yearTo = years.length ? years[years.length - 1] : null;
    Array.prototype.forEach.call(document.querySelectorAll("#kg-controls input[type=checkbox]"),
      function (b) { b.checked = true; });
    jurSelect.value = "";
    syncYears();
    applyFilters();
  }
  document.getElementById("kg-reset").addEventListener("click", resetFilters);

  // ------------------------------------------------------------ search

  function fold(s) {
    return String(s === undefined || s === null ? "" : s).normalize("NFKC").replace(/\s+/g, "").toLowerCase();
  }

  var searchIndex = payload.nodes.map(function (n) {
    var d = details[n.id] || {};
    var names = [d.label].concat(d.names || []);
    if (d.number) { names.push(d.number); }
    return { id: n.id, names: names.map(fold) };
  });

  // a sub-body's "part-of" edge points to its body: the parent of each node in this view
  var parentOf = {};
  payload.edges.forEach(function (e) { if (e.relation === "part-of") { parentOf[e.from] = e.to; } });

  // ranked as kg.query.names.rank ranks names: equal, then starting with the text, then holding it;
  // a body before its sub-bodies; the shortest matching name; the shortest label, then the label and id
  function search(text) {
    var q = fold(text);
    if (!q) { return []; }
    var hits = {};
    searchIndex.forEach(function (entry) {
      entry.names.forEach(function (name) {
        var at = name.indexOf(q);
        if (at < 0) { return; }
        var m = [name === q ? 0 : at === 0 ? 1 : 2, name.length];
        var best = hits[entry.id];
        if (!best || m[0] < best[0] || (m[0] === best[0] && m[1] < best[1])) { hits[entry.id] = m; }
      });
    });
    function underAHit(id) {
      var seen = {};
      for (var p = parentOf[id]; p && !seen[p]; p = parentOf[p]) {
        if (hits[p]) { return 1; }
        seen[p] = true;
      }
      return 0;
    }
    var ranked = Object.keys(hits).map(function (id) {
      return [hits[id][0], underAHit(id), hits[id][1], label(id).length, label(id), id];
    });
    ranked.sort(function (a, b) {
      for (var i = 0; i < 6; i++) {
        if (a[i] !== b[i]) { return i < 4 ? a[i] - b[i] : a[i] < b[i] ? -1 : 1; }
      }
      return 0;
    });
    return ranked.map(function (h) { return h[5]; });
  }

  var searchBox = document.getElementById("kg-search");
  var results = document.getElementById("kg-results");

  function showResults() {
    clear(results);
    var text = searchBox.value;
    if (!fold(text)) { return; }
    var hits = search(text);
    if (!hits.length) {
      results.appendChild(el("li", "no match 无结果", "kg-muted"));
      return;
    }
    hits.slice(0, 30).forEach(function (id) {
      var li = el("li");
      var b = el("button", label(id));
      b.type = "button";
      b.setAttribute("data-node", id);
      b.addEventListener("click", function () { selectNode(id); });
      li.appendChild(b);
      li.appendChild(el("span", " " + typeName((details[id] || {}).type), "kg-type"));
      results.appendChild(li);
    });
    if (hits.length > 30) { results.appendChild(el("li", "… " + (hits.length - 30) + " more", "kg-muted")); }
  }

  searchBox.addEventListener("input", showResults);
  searchBox.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      var hits = search(searchBox.value);
      if (hits.length) { selectNode(hits[0]); }
    }
  });

  function selectNode(id) {
    if (!details[id]) { return false; }
    if (!visible.has(id)) { resetFilters(); }
    display.reveal(id, function () {  // unfolds its group first
      network.selectNodes([id]);
      network.focus(id, { scale: Math.max(network.getScale(), 1.0), animation: false });
      display.updateLabels();
    });
    showDetails(id);
    return true;
  }

  // ------------------------------------------------------------ view controls

  document.getElementById("kg-fit").addEventListener("click", function () { display.fit(); });
  var unfoldButton = document.getElementById("kg-unfold");
  var foldButton = document.getElementById("kg-fold");
  if (!Object.keys(payload.groups).length) {
    unfoldButton.hidden = true;
    foldButton.hidden = true;
  }
  unfoldButton.addEventListener("click", function () { display.unfoldAll(); });
  foldButton.addEventListener("click", function () { display.refold(); });

  // ------------------------------------------------------------ details panel

  var panel = document.getElementById("kg-details");

  // the panel takes room from the network: vis-network's canvas is resized at once (it would notice
  // within a second), so a fit or a click in between maps the screen right
  function showPanel(on) {
    if (panel.hidden === !on) { return; }
    panel.hidden = !on;
    window.dispatchEvent(new Event("resize"));
    display.scheduleLabels();
  }
  var body = document.getElementById("kg-details-body");
  document.getElementById("kg-details-close").addEventListener("click", function () {
    showPanel(false);
    network.unselectAll();
  });

  function row(dl, name, value) {
    if (value === undefined || value === null || value === "" || (Array.isArray(value) && !value.length)) { return; }
    dl.appendChild(el("dt", name));
    var dd = el("dd");
    if (value instanceof Node) { dd.appendChild(value); } else { dd.textContent = Array.isArray(value) ? value.join("; ") : String(value); }
    dl.appendChild(dd);
  }

  function sourceList(sources, more) {
    var ul = el("ul");
    sources.forEach(function (s) {
      var li = el("li", sourceText(s));
      if (s.url) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(link(s.url));
      }
      ul.appendChild(li);
    });
    if (more) { ul.appendChild(el("li", "… and " + more + " more 等", "kg-muted")); }
    return ul;
  }

  function nodeButton(id) {
    var b = el("button", label(id), "kg-link");
    b.type = "button";
    b.addEventListener("click", function () { selectNode(id); });
    return b;
  }

  function showDetails(id) {
    var d = details[id];
    if (!d) { return; }
    clear(body);
    body.removeAttribute("data-fold");
    body.setAttribute("data-node", id);
    body.appendChild(el("h2", d.label));
    var dl = el("dl");
    row(dl, "type 类型", typeName(d.type));
    ["kind", "number", "date", "status"].forEach(function (k) { row(dl, FIELD_NAMES[k], d[k]); });
    row(dl, FIELD_NAMES.jurisdiction, jurisdictionText(d));
    row(dl, FIELD_NAMES.amount_text, d.amount_text);
    row(dl, FIELD_NAMES.names, d.names);
    Object.keys(d.extra || {}).forEach(function (k) { row(dl, k, d.extra[k]); });
    if (d.reported !== undefined) {
      row(dl, "this newsletter", d.reported ? "reported it 本期报道" : "linked to what it reported 关联");
    }
    body.appendChild(dl);
    if (d.links && d.links.length) {
      body.appendChild(el("h3", "links 链接"));
      var ul = el("ul");
      d.links.forEach(function (u) { var li = el("li"); li.appendChild(link(u)); ul.appendChild(li); });
      body.appendChild(ul);
    }
    if (d.sources && d.sources.length) {
      body.appendChild(el("h3", "reported in 来源"));
      body.appendChild(sourceList(d.sources, d.sources_more));
    }
    var links = adjacency[id] || [];
    if (links.length) {
      body.appendChild(el("h3", "links in this view 关系 (" + links.length + ")"));
      var list = el("ul");
      links.slice(0, 200).forEach(function (e) {
        var li = el("li");
        var other = e.from === id ? e.to : e.from;
        li.appendChild(el("span", e.from === id ? relationName(e.relation) + " → " : "← " + relationName(e.relation) + " ", "kg-muted"));
        li.appendChild(nodeButton(other));
        list.appendChild(li);
      });
      body.appendChild(list);
    }
    body.appendChild(el("h3", "IRI"));
    body.appendChild(el("div", d.iri, "kg-iri"));
    showPanel(true);
  }

  function showFoldDetails(id) {
    var f = display.fold(id);
    if (!f) { return; }
    clear(body);
    body.removeAttribute("data-node");
    body.setAttribute("data-fold", id);
    body.appendChild(el("h2", f.name));
    var dl = el("dl");
    row(dl, "folded 已折叠", f.members.length + " nodes 个节点");
    Object.keys(f.types).sort().forEach(function (t) { row(dl, typeName(t), f.types[t]); });
    body.appendChild(dl);
    var b = el("button", "Unfold 展开", "kg-unfold-one");
    b.type = "button";
    b.addEventListener("click", function () { showPanel(false); display.unfold(id); });
    body.appendChild(b);
    body.appendChild(el("h3", "in this group 成员 (most important first)"));
    var list = el("ul");
    f.members.slice(0, 100).forEach(function (m) {
      var li = el("li");
      li.appendChild(nodeButton(m));
      list.appendChild(li);
    });
    if (f.members.length > 100) { list.appendChild(el("li", "… " + (f.members.length - 100) + " more", "kg-muted")); }
    body.appendChild(list);
    showPanel(true);
  }

  function showEdgeDetails(edgeId) {
    var e = edges.get(edgeId);
    if (!e) { return; }
    clear(body);
    body.setAttribute("data-edge", edgeId);
    body.removeAttribute("data-node");
    body.appendChild(el("h2", relationName(e.relation)));
    var dl = el("dl");
    row(dl, "from", nodeButton(e.from));
    row(dl, "to", nodeButton(e.to));
    body.appendChild(dl);
    if (e.sources && e.sources.length) {
      body.appendChild(el("h3", "reported in 来源"));
      body.appendChild(sourceList(e.sources, e.sources_more));
    }
    showPanel(true);
  }

  // a click on a cluster shows what it holds unless a double-click (unfold) follows: the panel would
  // otherwise open under the second click
  var foldClick = null;
  network.on("doubleClick", function () { window.clearTimeout(foldClick); });
  network.on("click", function (params) {
    window.clearTimeout(foldClick);
    if (params.nodes.length && display.fold(params.nodes[0])) {
      foldClick = window.setTimeout(showFoldDetails, 400, params.nodes[0]);
    } else if (params.nodes.length) {
      showDetails(params.nodes[0]);
    } else if (params.edges.length) {
      showEdgeDetails(params.edges[0]);
    }
  });

  api.search = search;
  api.selectNode = selectNode;
  api.showDetails = showDetails;
  api.applyFilters = applyFilters;
  api.resetFilters = resetFilters;
  api.visible = function () { return Array.from(visible); };
  showStatus();
}());
