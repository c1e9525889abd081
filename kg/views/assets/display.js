/* regkg view page, part 1: the picture. Folds a large view into clusters (vis-network's clustering
 * API; the groups come from kg/views/fold.py), lays out what is in sight (physics switched on only
 * while laying out), fits it to the window with its labels, and draws labels by importance: the
 * labels of the clusters, of the focus, of the selection and of the most important nodes always, at
 * a readable size whatever the zoom; the others where they fit without overlapping, so more appear
 * as the reader zooms in. Every change of the picture runs as a task of one queue, so a filter or a
 * search never meets a half-done layout. Text reaches the page only through textContent. */
(function () {
  "use strict";

  var GOLDEN = Math.PI * (3 - Math.sqrt(5));
  var HIDDEN = 0.01;  // font size of a label that is not drawn (under vis-network's drawThreshold at any zoom)
  var PAD = 14;  // pixels kept free around the drawing when it is fitted
  var MAX_SCALE = 1.6;  // a small graph is not blown up beyond this
  var FOLD_PREFIX = "kg-fold:";
  var ROOMY = 1100 * 640;  // square pixels of network at which labels get their full size (D.labelPx)
  var MIN_PX = 11;  // the smallest label size, in a small window

  window.kgDisplay = function (network, nodesView, payload) {
    var D = payload.display;
    var container = network.body.container;
    var layout = payload.view.layout;
    var byId = {};
    payload.nodes.forEach(function (n) { byId[n.id] = n; });
    var TYPES = {};
    payload.legend.types.forEach(function (t) { TYPES[t.type] = t; });
    var folds = {};  // cluster id -> {key, members (most important first)}
    var applied = {};  // node or cluster id -> font size last set
    var boxes = {};  // id -> [width, height] of its label in pixels at D.labelPx (scaled by labelPx())
    var measure = document.createElement("canvas").getContext("2d");
    measure.font = D.labelPx + "px " + ((payload.options.nodes.font || {}).face || "sans-serif");

    function rankOf(id) { return byId[id] ? byId[id].rank : -1; }
    function byRank(a, b) { return rankOf(a) - rankOf(b); }
    function inSight() { return network.body.nodeIndices.slice(); }
    function isFold(id) { return Object.prototype.hasOwnProperty.call(folds, id); }

    // ---------------------------------------------------------------- the queue

    var queue = [];
    var running = false;
    var idleHooks = [];

    function enqueue(task) {
      queue.push(task);
      if (!running) { next(); }
    }

    function next() {
      var task = queue.shift();
      if (!task) {
        running = false;
        idleHooks.forEach(function (f) { f(); });
        return;
      }
      running = true;
      task(next);
    }

    // ---------------------------------------------------------------- layout

    var physicsRuns = 0;

    // physics on until the layout is stable, then off (the picture stays still while read); only for
    // up to D.physicsLimit nodes in sight, and never for the lineage's own layout
    function settle(iterations, then) {
      var n = network.body.nodeIndices.length;
      if (!payload.physics || !n || n > D.physicsLimit) { then(); return; }
      physicsRuns += 1;
      network.once("stabilizationIterationsDone", function () {
        network.setOptions({ physics: { enabled: false } });
        then();
      });
      network.setOptions({ physics: payload.physics });
      network.stabilize(iterations);
    }

    function nodeSize(id) {
      var node = network.body.nodes[id];
      return node ? (node.options.size || 10) * 1.15 : 0;
    }

    // the on-screen size of the labels: D.labelPx, smaller in a small window (never under MIN_PX)
    function labelPx() {
      var room = container.clientWidth * container.clientHeight;
      return Math.max(MIN_PX, Math.min(D.labelPx, Math.round(D.labelPx * Math.sqrt(room / ROOMY))));
    }

    function labelBox(id) {
      var k = labelPx() / D.labelPx;
      if (!boxes[id]) {
        var node = network.body.nodes[id];
        var lines = String(node && node.options.label !== undefined ? node.options.label : "").split("\n");
        var w = 0;
        lines.forEach(function (l) { w = Math.max(w, measure.measureText(l).width); });
        boxes[id] = [w, lines[0] === "" && lines.length === 1 ? 0 : lines.length * D.labelPx * 1.2];
      }
      return [boxes[id][0] * k + 4, boxes[id][1] * k + 4];
    }

    // the items in sight whose labels are always drawn: the clusters, the focus, the selection and the
    // D.topLabels most important nodes in sight
    function alwaysLabelled(ids) {
      var out = new Set(network.getSelectedNodes());
      if (payload.view.focus) { out.add(payload.view.focus); }
      ids.filter(isFold).forEach(function (id) { out.add(id); });
      ids.filter(function (id) { return !isFold(id); }).sort(byRank).slice(0, D.topLabels)
        .forEach(function (id) { out.add(id); });
      return out;
    }

    // along one axis, for items at `coord` of `size` (canvas units) with `lo` / `hi` pixels of label
    // beyond them on each side: the largest scale at which all fit in `room` pixels ...
    function axisScale(coord, size, lo, hi, room) {
      var scale = MAX_SCALE;
      for (var j = 0; j < coord.length; j++) {
        for (var i = 0; i < coord.length; i++) {
          var span = (coord[j] + size[j]) - (coord[i] - size[i]);
          if (span > 0) { scale = Math.min(scale, Math.max(room * 0.25, room - hi[j] - lo[i]) / span); }
        }
      }
      return scale;
    }

    // ... and the shift (pixels) that centres them at that scale
    function axisShift(coord, size, lo, hi, room, scale) {
      var from = -Infinity, to = Infinity;
      for (var k = 0; k < coord.length; k++) {
        from = Math.max(from, lo[k] - (coord[k] - size[k]) * scale);
        to = Math.min(to, room - hi[k] - (coord[k] + size[k]) * scale);
      }
      return from <= to ? (from + to) / 2 : from;
    }

    // the view fitted to the window: every node in sight, and the labels always drawn, inside it
    function fit() {
      var ids = inSight();
      if (!ids.length) { return; }
      var must = alwaysLabelled(ids);
      var pos = network.getPositions(ids);
      var x = [], y = [], r = [], half = [], none = [], down = [];
      ids.forEach(function (id) {
        var box = must.has(id) ? labelBox(id) : [0, 0];
        x.push(pos[id].x);
        y.push(pos[id].y);
        r.push(nodeSize(id));
        half.push(box[0] / 2);
        none.push(0);
        down.push(box[1]);
      });
      var W = container.clientWidth, H = container.clientHeight;
      var scale = Math.min(axisScale(x, r, half, half, W - 2 * PAD), axisScale(y, r, none, down, H - 2 * PAD));
      var dx = PAD + axisShift(x, r, half, half, W - 2 * PAD, scale);
      var dy = PAD + axisShift(y, r, none, down, H - 2 * PAD, scale);
      // the screen point p shows the canvas point (p - d) / scale; moveTo puts `position` at the centre
      network.moveTo({ position: { x: (W / 2 - dx) / scale, y: (H / 2 - dy) / scale }, scale: scale, animation: false });
    }

    // the nodes whose labels are always drawn, pushed apart on the screen until neither they nor
    // their labels overlap, kept inside the window (neither physics nor the precomputed layouts know
    // of labels); then fitted again. Fitting may zoom out a little (it keeps a node and its label's
    // half width inside, where the push kept the wider of the two), bringing labels back over each
    // other: pushed again, for a few rounds, until none overlap once fitted
    function declutter() {
      for (var round = 0; round < 4 && pushApart(); round++) { /* again, at the fitted scale */ }
      fit();
    }

    // one round of declutter: whether any two labels overlapped (and were pushed apart)
    function pushApart() {
      fit();
      var scale = network.getScale();
      var all = inSight();
      var always = alwaysLabelled(all);
      var pos = network.getPositions(all);
      var W = container.clientWidth, H = container.clientHeight;
      var every = all.map(function (id) {
        var must = always.has(id), box = must ? labelBox(id) : [0, 0], r = nodeSize(id) * scale;
        var p = network.canvasToDOM(pos[id]);
        return { id: id, x: p.x, y: p.y, half: Math.max(r, box[0] / 2), up: r, down: r + box[1], moved: false,
                 must: must };
      });
      stretch(every, W, H);
      var items = every.filter(function (t) { return t.must; });
      var gap = 4, overlapped = false;
      for (var it = 0; it < 200; it++) {
        var any = false;
        for (var i = 0; i < items.length; i++) {
          for (var j = i + 1; j < items.length; j++) {
            var a = items[i], b = items[j];
            var ox = a.half + b.half + gap - Math.abs(a.x - b.x);
            var oy = Math.min(a.y + a.down, b.y + b.down) - Math.max(a.y - a.up, b.y - b.up) + gap;
            if (ox <= 0 || oy <= 0) { continue; }
            any = true;
            if (ox < oy && layout !== "time") {  // the columns of a lineage are dates: texts move up or down only
              var sx = a.x < b.x || (a.x === b.x && (i + it) % 2 === 0) ? -1 : 1;
              a.x += sx * ox / 2;
              b.x -= sx * ox / 2;
            } else {
              var sy = (a.y + (a.down - a.up) / 2) < (b.y + (b.down - b.up) / 2) ? -1 : 1;
              a.y += sy * oy / 2;
              b.y -= sy * oy / 2;
            }
            a.moved = b.moved = true;
          }
        }
        items.forEach(function (t) {  // back inside the window
          t.x = Math.min(Math.max(t.x, PAD + t.half), W - PAD - t.half);
          t.y = Math.min(Math.max(t.y, PAD + t.up), H - PAD - t.down);
        });
        overlapped = overlapped || any;
        if (!any) { break; }
      }
      every.forEach(function (t) {
        if (t.moved) {
          var c = network.DOMtoCanvas({ x: t.x, y: t.y });
          network.moveNode(t.id, c.x, c.y);
        }
      });
      return overlapped;
    }

    // the picture stretched on each axis to fill the window (the physics layout is round, windows are wide)
    function stretch(items, W, H) {
      if (items.length < 3) { return; }
      ["x", "y"].forEach(function (axis) {
        var lo = Infinity, hi = -Infinity, room = axis === "x" ? W : H;
        items.forEach(function (t) { lo = Math.min(lo, t[axis]); hi = Math.max(hi, t[axis]); });
        var edge = 0;
        items.forEach(function (t) { edge = Math.max(edge, axis === "x" ? t.half : t.down); });
        var to0 = PAD + (axis === "x" ? edge : 0), to1 = room - PAD - edge;
        if (hi - lo < 1 || to1 <= to0) { return; }
        var k = Math.min(2, (to1 - to0) / (hi - lo));
        if (k <= 1) { return; }
        var mid = (lo + hi) / 2, centre = (to0 + to1) / 2;
        items.forEach(function (t) { t[axis] = centre + (t[axis] - mid) * k; t.moved = true; });
      });
    }

    // ---------------------------------------------------------------- labels

    function setFont(id, size) {
      if (applied[id] === size) { return; }
      var node = network.body.nodes[id];
      if (!node) { return; }
      node.setOptions({ font: { size: size } });
      applied[id] = size;
    }

    function updateLabels() {
      var ids = inSight();
      var always = alwaysLabelled(ids);
      var scale = network.getScale();
      var px = labelPx();
      var W = container.clientWidth, H = container.clientHeight;
      var pos = network.getPositions(ids);
      var order = ids.map(function (id) {
        var must = always.has(id);
        return [must ? 0 : 1, isFold(id) ? -folds[id].members.length : rankOf(id), id, must];
      }).sort(function (a, b) { return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : 1); });
      var placed = [];
      order.forEach(function (entry) {
        var id = entry[2];
        var p = network.canvasToDOM(pos[id]);
        var box = labelBox(id);
        var top = p.y + nodeSize(id) * scale + 1;
        var r = { l: p.x - box[0] / 2, r: p.x + box[0] / 2, t: top, b: top + box[1] };
        var show = entry[3] || (r.l >= 0 && r.t >= 0 && r.r <= W && r.b <= H && !placed.some(function (q) {
          return r.l < q.r && q.l < r.r && r.t < q.b && q.t < r.b;
        }));
        if (show) { placed.push(r); }
        setFont(id, show ? px / scale : HIDDEN);
      });
      network.redraw();
    }

    var pending = false;
    function scheduleLabels() {
      if (pending) { return; }
      pending = true;
      window.requestAnimationFrame(function () { pending = false; updateLabels(); });
    }

    // ---------------------------------------------------------------- folding

    function tooltip(name, count, types) {
      var box = document.createElement("div");
      var title = document.createElement("div");
      title.className = "kg-tip-title";
      title.textContent = name;
      box.appendChild(title);
      var parts = Object.keys(types).sort().map(function (t) {
        return types[t] + " " + (TYPES[t] ? TYPES[t].en : t);
      });
      var line = document.createElement("div");
      line.textContent = count + " nodes folded 个节点已折叠: " + parts.join(", ");
      box.appendChild(line);
      var hint = document.createElement("div");
      hint.className = "kg-muted";
      hint.textContent = "double-click to unfold 双击展开";
      box.appendChild(hint);
      return box;
    }

    function foldGroup(key, members) {
      var types = {};
      members.forEach(function (id) { types[byId[id].type] = (types[byId[id].type] || 0) + 1; });
      var main = Object.keys(types).sort(function (a, b) { return types[b] - types[a] || (a < b ? -1 : 1); })[0];
      var colour = TYPES[main] ? TYPES[main].color : "#999999";
      var group = payload.groups[key] || { label: key, name: key };
      var id = FOLD_PREFIX + key;
      var set = new Set(members);
      network.cluster({
        joinCondition: function (o) { return set.has(o.id); },
        clusterNodeProperties: {
          id: id, label: group.label + " · " + members.length, shape: "dot",
          size: 12 + 3.5 * Math.sqrt(members.length),
          color: { background: "#ffffff", border: colour, highlight: { background: "#f4f4f4", border: "#111111" },
                   hover: { background: "#f4f4f4", border: colour } },
          borderWidth: 3, shapeProperties: { borderDashes: [12, 8] },
          font: { size: D.labelPx, color: "#222222" },
          title: tooltip(group.name, members.length, types)
        },
        clusterEdgeProperties: { color: { color: "#a0a8b0", highlight: "#555555", hover: "#555555" }, dashes: false }
      });
      if (network.isCluster(id)) {
        folds[id] = { key: key, name: group.name, types: types, members: members.slice().sort(byRank) };
        delete applied[id];
        delete boxes[id];
      }
    }

    // a cluster's edge stands for one edge or more: its tooltip says how many (vis-network would show
    // the tooltip of one of them)
    function edgeTitles() {
      network.body.edgeIndices.forEach(function (eid) {
        if (eid.indexOf("clusterEdge:") !== 0) { return; }
        var base = network.clustering.getBaseEdges(eid);
        var box = document.createElement("div");
        box.textContent = base.length + (base.length === 1 ? " link" : " links") + " to folded nodes 条关系";
        network.body.edges[eid].setOptions({ title: box });
      });
    }

    function foldAll() {
      var visibleIds = nodesView.getIds();
      if (visibleIds.length <= D.foldAbove) { return; }
      var selected = new Set(network.getSelectedNodes());
      var groups = {};
      visibleIds.forEach(function (id) {
        var key = byId[id] && byId[id].fold;
        if (key && !selected.has(id)) { (groups[key] = groups[key] || []).push(id); }
      });
      Object.keys(groups).sort().forEach(function (key) {
        if (groups[key].length >= 2) { foldGroup(key, groups[key]); }
      });
      edgeTitles();
    }

    // children of an unfolded cluster: a sunflower around where it was, the most important in the middle
    function release(id) {
      var members = folds[id].members;
      var gap = 34;
      return function (centre) {
        var out = {};
        members.forEach(function (m, i) {
          var radius = gap * Math.sqrt(i + 0.5);
          out[m] = { x: centre.x + radius * Math.cos(i * GOLDEN), y: centre.y + radius * Math.sin(i * GOLDEN) };
        });
        return out;
      };
    }

    function openOne(id) {
      if (!isFold(id) || !network.isCluster(id)) { return []; }
      var members = folds[id].members;
      network.openCluster(id, { releaseFunction: release(id) });
      delete folds[id];
      delete applied[id];
      members.forEach(function (m) { delete applied[m]; });
      return members;
    }

    function openAll() {
      Object.keys(folds).forEach(openOne);
    }

    function restorePrecomputed() {
      if (layout !== "precomputed") { return false; }
      payload.nodes.forEach(function (n) {
        if (network.body.nodes[n.id] && n.x !== undefined) { network.moveNode(n.id, n.x, n.y); }
      });
      return true;
    }

    function clusterOf(id) {
      var path = network.clustering.findNode(id);
      return path.length > 1 ? path[0] : null;
    }

    // ---------------------------------------------------------------- tasks

    function redraw(then) {
      return function () {
        declutter();
        updateLabels();
        if (then) { then(); }
      };
    }

    // unfold the cluster that holds `id` (if one does), lay out, fit, then `then`
    function unfoldTask(id, then) {
      return function (done) {
        var cid = isFold(id) ? id : clusterOf(id);
        var finish = function () { if (then) { then(); } done(); };
        if (!cid || !openOne(cid).length) { finish(); return; }
        settle(200, redraw(finish));
      };
    }

    var api = {
      idle: function () { return !running; },
      physicsRuns: function () { return physicsRuns; },
      onIdle: function (f) { idleHooks.push(f); },
      fit: function () { enqueue(function (done) { redraw(done)(); }); },
      updateLabels: updateLabels,
      scheduleLabels: scheduleLabels,
      folds: function () {
        return Object.keys(folds).map(function (id) {
          return { id: id, key: folds[id].key, name: folds[id].name, types: folds[id].types,
                   members: folds[id].members.slice() };
        });
      },
      fold: function (id) { return isFold(id) ? api.folds().filter(function (f) { return f.id === id; })[0] : null; },
      start: function (then) {
        enqueue(function (done) {
          foldAll();
          settle(payload.physics ? payload.physics.stabilization.iterations : 0, redraw(function () { then(); done(); }));
        });
      },
      refold: function (before) {
        enqueue(function (done) {
          openAll();
          if (before) {
            before();
            applied = {};  // the filters made new nodes of those that came back: their labels are set again
          }
          foldAll();
          settle(300, redraw(done));
        });
      },
      unfold: function (id, then) { enqueue(unfoldTask(id, then)); },
      unfoldAll: function () {
        enqueue(function (done) {
          openAll();
          if (restorePrecomputed()) { redraw(done)(); return; }
          settle(300, redraw(done));
        });
      },
      reveal: function (id, then) { enqueue(unfoldTask(id, then)); }
    };

    network.on("zoom", scheduleLabels);
    network.on("dragEnd", scheduleLabels);
    network.on("resize", scheduleLabels);
    network.on("select", scheduleLabels);
    network.on("deselectNode", scheduleLabels);
    network.on("doubleClick", function (params) {
      if (params.nodes.length && isFold(params.nodes[0])) { api.unfold(params.nodes[0]); }
    });
    return api;
  };
}());
