// The DistTrain dashboard: polls the coordinator's /api/telemetry (GetTelemetryResponse as protobuf
// JSON: lowerCamelCase names, int64 as strings, enums by name) and /api/job, and draws plain SVG.
"use strict";
(function () {
  const POLL_MS = 1000;
  const HISTORY = 600;
  const PHASES = [
    ["dataWait", "data wait", "#94a3b8"],
    ["forward", "forward", "#2563eb"],
    ["backward", "backward", "#7c3aed"],
    ["optimizer", "optimizer", "#059669"],
    ["communicationWait", "communication wait", "#dc2626"],
  ];
  const SVG = "http://www.w3.org/2000/svg";
  const $ = (id) => document.getElementById(id);
  const num = (v) => (v === undefined || v === null || v === "" ? 0 : Number(v));
  const fixed = (v, digits) => (Number.isFinite(v) ? v.toFixed(digits) : "–");
  const health = (h) => (h || "RANK_HEALTH_UNSPECIFIED").replace("RANK_HEALTH_", "").toLowerCase();

  function el(tag, attrs, text) {
    const node = tag.startsWith("svg:") ? document.createElementNS(SVG, tag.slice(4)) : document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function bytes(n) {
    if (!n) return "–";
    const units = ["B", "KiB", "MiB", "GiB", "TiB"];
    let i = 0;
    while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
    return n.toFixed(i ? 1 : 0) + " " + units[i];
  }

  // A line plot of (t, y) points: axes, min/max labels, one polyline. data-points says how many it drew.
  function linePlot(svg, points, digits) {
    svg.replaceChildren();
    const W = 600, H = 220, L = 52, R = 8, T = 8, B = 22;
    svg.appendChild(el("svg:line", { class: "axis", x1: L, y1: H - B, x2: W - R, y2: H - B }));
    svg.appendChild(el("svg:line", { class: "axis", x1: L, y1: T, x2: L, y2: H - B }));
    svg.dataset.points = String(points.length);
    if (points.length === 0) {
      svg.appendChild(el("svg:text", { x: L + 10, y: H / 2 }, "no data yet"));
      return;
    }
    const t0 = points[0][0], t1 = Math.max(points[points.length - 1][0], t0 + 1);
    let lo = Math.min(...points.map((p) => p[1])), hi = Math.max(...points.map((p) => p[1]));
    if (hi === lo) { hi += Math.abs(hi) * 0.1 || 1; lo -= Math.abs(lo) * 0.1 || 0; }
    const x = (t) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
    const y = (v) => H - B - ((v - lo) / (hi - lo)) * (H - B - T);
    svg.appendChild(el("svg:text", { x: 2, y: T + 10 }, hi.toFixed(digits)));
    svg.appendChild(el("svg:text", { x: 2, y: H - B }, lo.toFixed(digits)));
    svg.appendChild(el("svg:text", { x: L, y: H - 6 }, new Date(t0).toLocaleTimeString()));
    svg.appendChild(el("svg:text", { x: W - R - 60, y: H - 6 }, new Date(t1).toLocaleTimeString()));
    const line = points.map((p) => x(p[0]).toFixed(1) + "," + y(p[1]).toFixed(1)).join(" ");
    svg.appendChild(el("svg:polyline", { class: "line", points: line }));
    if (points.length === 1) svg.appendChild(el("svg:circle", { cx: x(points[0][0]), cy: y(points[0][1]), r: 3 }));
  }

  // One stacked horizontal bar per rank: its mean phase times per step; the bar's full width is the slowest step.
  function phaseBars(svg, ranks) {
    svg.replaceChildren();
    const rows = ranks.filter((r) => r.latest && r.latest.phases);
    // Drawn in the element's own pixels, so that the labels keep their size at any width.
    const W = Math.max(svg.clientWidth || 600, 300), L = 70, R = 70, ROW = 22;
    const H = Math.max(ROW * rows.length + 8, 30);
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.style.height = H + "px";
    svg.dataset.ranks = String(rows.length);
    if (rows.length === 0) {
      svg.appendChild(el("svg:text", { x: 10, y: 20 }, "no steps reported yet"));
      return;
    }
    const widest = Math.max(...rows.map((r) => Math.max(num(r.latest.phases.step), PHASES.reduce((s, [k]) => s + num(r.latest.phases[k]), 0))), 1e-9);
    rows.forEach((r, i) => {
      const p = r.latest.phases, y = 4 + i * ROW;
      const g = el("svg:g", { "data-rank": String(num(r.latest.identity && r.latest.identity.rank)) });
      g.appendChild(el("svg:text", { x: 4, y: y + 14 }, "rank " + num(r.latest.identity && r.latest.identity.rank)));
      let x = L;
      for (const [key, label, color] of PHASES) {
        const w = (num(p[key]) / widest) * (W - L - R);
        if (w > 0) {
          const rect = el("svg:rect", { x: x.toFixed(1), y, width: w.toFixed(1), height: ROW - 6, fill: color, "data-phase": key });
          rect.appendChild(el("svg:title", {}, `${label}: ${fixed(num(p[key]) * 1000, 1)} ms`));
          g.appendChild(rect);
          x += w;
        }
      }
      g.appendChild(el("svg:text", { x: W - R + 4, y: y + 14 }, fixed(num(p.step) * 1000, 1) + " ms"));
      svg.appendChild(g);
    });
  }

  function rankRows(tbody, ranks) {
    tbody.replaceChildren();
    for (const r of ranks) {
      const t = r.latest || {}, id = t.identity || {}, c = t.collective || {};
      const h = health(r.health);
      const tr = el("tr", { "data-rank": String(num(id.rank)), "data-health": h, "data-step": String(num(t.step)) });
      const collective = c.name ? `${c.name} #${num(c.sequence)}${c.waiting ? " (waiting)" : ""}` : "–";
      const cells = [num(id.rank), id.host || "–", num(id.pid) || "–", num(id.round), num(t.epoch), num(t.step),
        fixed(num(r.samplesPerSecond), 1), t.phases ? fixed(num(t.phases.step), 3) : "–", t.hasLoss ? fixed(num(t.loss), 4) : "–",
        collective, bytes(num(t.rssBytes)), h, r.healthReason || ""];
      cells.forEach((v, i) => tr.appendChild(el("td", i === 11 ? { class: "health" } : {}, String(v))));
      tbody.appendChild(tr);
    }
  }

  function alerts(box, ranks) {
    box.replaceChildren();
    const bad = ranks.filter((r) => ["straggler", "stuck", "failed"].includes(health(r.health)));
    box.dataset.count = String(bad.length);
    for (const r of bad) {
      const id = (r.latest && r.latest.identity) || {};
      const h = health(r.health);
      box.appendChild(el("div", { class: h, "data-rank": String(num(id.rank)) },
        `rank ${num(id.rank)} on ${id.host || "?"} (pid ${num(id.pid)}) is ${h}: ${r.healthReason || "no reason given"}`));
    }
  }

  function failures(box, list) {
    box.dataset.count = String(list.length);
    if (list.length === 0) {
      box.replaceChildren(el("p", { class: "muted" }, "none reported"));
      return;
    }
    box.replaceChildren();
    list.forEach((f, i) => {
      const id = f.identity || {}, c = f.collective || {};
      const div = el("div", { class: "failure", id: i === 0 ? "first-failure" : `failure-${i}`, "data-rank": String(num(id.rank)) });
      div.appendChild(el("h3", {}, (i === 0 ? "first failure (root cause): " : "later: ") +
        `rank ${num(id.rank)} on ${id.host || "?"} (pid ${num(id.pid)}, round ${num(id.round)})`));
      div.appendChild(el("p", { class: "when" }, `at ${new Date(num(f.unixMs)).toISOString()}, after step ${num(f.step)}; ` +
        (c.name ? `last collective ${c.name} #${num(c.sequence)}${c.waiting ? ", waiting in it" : ""}` : "no collective issued")));
      div.appendChild(el("p", { class: "exception" }, `${f.exceptionType || "?"}: ${f.message || ""}`));
      if (i === 0 && f.stackTrace) div.appendChild(el("pre", { class: "stack" }, f.stackTrace));
      box.appendChild(div);
    });
  }

  function job(j) {
    $("regroupings").textContent = j.round > 0 ? String(j.round - 1) : "–";
    $("regroupings").title = "rounds after the first: restarts after failures and membership changes";
    const ck = j.latestCheckpoint;
    $("latest-checkpoint").textContent = !j.checkpointsEnabled ? "off" : ck ? `step ${ck.step}` : "none yet";
    if (ck) $("latest-checkpoint").title = `${ck.name}, ${ck.createdUtc}`;
    const tbody = $("nodes").querySelector("tbody");
    tbody.replaceChildren();
    for (const n of j.nodes || []) {
      const tr = el("tr", { "data-node": n.nodeId });
      [n.nodeId, n.host, n.nodeRank, `${n.baseRank}–${n.baseRank + n.localWorldSize - 1}`].forEach((v) => tr.appendChild(el("td", {}, String(v))));
      tbody.appendChild(tr);
    }
  }

  function telemetry(s) {
    const ranks = (s.ranks || []).slice().sort((a, b) => num(a.latest && a.latest.identity && a.latest.identity.rank) - num(b.latest && b.latest.identity && b.latest.identity.rank));
    const history = s.history || [];
    $("round").textContent = String(num(s.round));
    $("rank-count").textContent = String(ranks.length);
    $("rank-count").dataset.ranks = String(ranks.length);
    const steps = ranks.map((r) => num(r.latest && r.latest.step)).concat(history.length ? [num(history[history.length - 1].step)] : []);
    $("highest-step").textContent = steps.length ? String(Math.max(...steps)) : "–";
    $("samples-per-second").textContent = fixed(num(s.samplesPerSecond), 1);
    linePlot($("loss-plot"), history.filter((p) => p.hasLoss).map((p) => [num(p.unixMs), num(p.loss)]), 4);
    linePlot($("throughput-plot"), history.map((p) => [num(p.unixMs), num(p.samplesPerSecond)]), 0);
    phaseBars($("phase-bars"), ranks);
    rankRows($("ranks").querySelector("tbody"), ranks);
    alerts($("alerts"), ranks);
    failures($("failures"), s.failures || []);
  }

  function legend() {
    const box = $("phase-legend");
    for (const [, label, color] of PHASES) {
      const span = el("span", {});
      span.appendChild(el("i", { style: `background:${color}` }));
      span.appendChild(document.createTextNode(label));
      box.appendChild(span);
    }
  }

  async function poll() {
    const connection = $("connection");
    try {
      const [t, j] = await Promise.all([
        fetch(`api/telemetry?history=${HISTORY}`, { cache: "no-store" }),
        fetch("api/job", { cache: "no-store" }),
      ]);
      if (!t.ok || !j.ok) throw new Error(`HTTP ${t.status}/${j.status}`);
      telemetry(await t.json());
      job(await j.json());
      connection.dataset.state = "live";
      connection.textContent = "live · " + new Date().toLocaleTimeString();
    } catch (e) {
      connection.dataset.state = "down";
      connection.textContent = "coordinator unreachable (" + e.message + "); retrying";
    } finally {
      setTimeout(poll, POLL_MS);
    }
  }

  legend();
  poll();
})();
