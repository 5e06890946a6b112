/// The operator's status page (`GET /` on the admin face): one self-contained HTML document, no
/// external assets, that polls `/v1/fleet` and `/v1/history` at the pass interval and draws the fleet.
///
/// Elements the browser test reads: `#fleet-name`, `#free-slots`, `#sizing` (the demand policy's
/// thresholds and any burst expected), `#tiles` with one `.tile` per
/// server (its `data-state` is the planner's state of it: starting, active, standby, unhealthy, outdated or unknown), `#chart`, `#plans`, `#gone` (why servers went, failed launches),
/// `#loans` (with `ha`: what each follower holds on loan, or what this follower holds).
enum StatusPage {
    static let html = #"""
<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>gamefleet</title>
<style>
  :root { --bg:#0f1419; --panel:#182029; --text:#e6e9ec; --muted:#8a96a3; --line:#2a3642;
          --active:#3fb950; --starting:#58a6ff; --standby:#d29922; --unhealthy:#f85149; --outdated:#a371f7; }
  * { box-sizing: border-box; }
  body { margin:0; font:14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; background:var(--bg); color:var(--text); }
  header { display:flex; flex-wrap:wrap; gap:8px 24px; align-items:baseline; padding:14px 20px; border-bottom:1px solid var(--line); }
  header h1 { margin:0; font-size:20px; }
  .pill { padding:1px 8px; border-radius:10px; background:var(--line); color:var(--muted); font-size:12px; }
  .pill.bad { background:#5a1d1d; color:#ffb4ae; } .pill.good { background:#1d3b24; color:#9be9a8; }
  main { display:grid; grid-template-columns: minmax(0,3fr) minmax(0,2fr); gap:16px; padding:16px 20px; }
  section { background:var(--panel); border:1px solid var(--line); border-radius:8px; padding:12px 14px; min-width:0; }
  h2 { margin:0 0 10px; font-size:13px; text-transform:uppercase; letter-spacing:.06em; color:var(--muted); }
  .figures { display:flex; flex-wrap:wrap; gap:18px; margin-bottom:10px; }
  .figure b { display:block; font-size:24px; } .figure span { color:var(--muted); font-size:12px; }
  #tiles { display:grid; grid-template-columns:repeat(auto-fill, minmax(92px, 1fr)); gap:8px; }
  .tile { position:relative; height:64px; border-radius:6px; background:#0b0f13; border:2px solid var(--line); overflow:hidden; }
  .tile .fill { position:absolute; left:0; bottom:0; width:100%; opacity:.35; }
  .tile .label { position:relative; padding:4px 6px; font-size:11px; line-height:1.25; }
  .tile .label b { font-size:13px; }
  .tile[data-state=active] { border-color:var(--active); } .tile[data-state=active] .fill { background:var(--active); }
  .tile[data-state=starting] { border-color:var(--starting); } .tile[data-state=starting] .fill { background:var(--starting); }
  .tile[data-state=standby] { border-color:var(--standby); } .tile[data-state=standby] .fill { background:var(--standby); }
  .tile[data-state=unhealthy] { border-color:var(--unhealthy); } .tile[data-state=unhealthy] .fill { background:var(--unhealthy); }
  .tile[data-state=outdated] { border-color:var(--outdated); } .tile[data-state=outdated] .fill { background:var(--outdated); }
  .tile[data-state=unknown] { border-style:dashed; }
  .legend { display:flex; flex-wrap:wrap; gap:10px; margin-top:10px; color:var(--muted); font-size:12px; }
  .legend i { display:inline-block; width:10px; height:10px; border-radius:2px; margin-right:4px; vertical-align:-1px; }
  #chart { width:100%; height:220px; display:block; }
  #plans, #gone { list-style:none; margin:0; padding:0; max-height:340px; overflow:auto; font:12px/1.45 ui-monospace, SFMono-Regular, Menlo, monospace; }
  #plans li, #gone li { padding:3px 0; border-bottom:1px solid var(--line); }
  #plans .when, #gone .when { color:var(--muted); }
  .kind-launch { color:var(--starting); } .kind-stop { color:var(--unhealthy); } .kind-standby { color:var(--standby); } .kind-activate { color:var(--active); }
  dl { display:grid; grid-template-columns:max-content 1fr; gap:4px 12px; margin:0; font-size:12px; }
  dt { color:var(--muted); } dd { margin:0; overflow-wrap:anywhere; }
  .error { color:#ffb4ae; }
  @media (max-width: 900px) { main { grid-template-columns: 1fr; } }
</style>
</head>
<body>
<header>
  <h1 id="fleet-name">gamefleet</h1>
  <span class="pill" id="provider"></span>
  <span class="pill" id="role"></span>
  <span class="pill" id="ready">loading…</span>
  <span class="pill" id="updated"></span>
</header>
<main>
  <section>
    <h2>Servers</h2>
    <div class="figures">
      <div class="figure"><b id="free-slots">–</b><span>free slots</span></div>
      <div class="figure"><b id="margins">–</b><span>margins (up … down)</span></div>
      <div class="figure"><b id="server-count">–</b><span>servers</span></div>
      <div class="figure"><b id="players">–</b><span>players</span></div>
      <div class="figure"><b id="alloc-rate">–</b><span>allocations/s</span></div>
      <div class="figure"><b id="backup-share">–</b><span>to backup</span></div>
    </div>
    <p id="sizing" style="color:var(--muted); margin:6px 0; font-size:12px"></p>
    <div id="tiles"></div>
    <div class="legend">
      <span><i style="background:var(--active)"></i>active</span><span><i style="background:var(--starting)"></i>starting</span>
      <span><i style="background:var(--standby)"></i>standby</span><span><i style="background:var(--unhealthy)"></i>unhealthy</span>
      <span><i style="background:var(--outdated)"></i>outdated</span><span>fill: players of capacity</span>
    </div>
  </section>
  <section>
    <h2>Free slots, last hour</h2>
    <svg id="chart" viewBox="0 0 600 220" preserveAspectRatio="none" role="img" aria-label="free slots against the margins"></svg>
    <div class="legend"><span><i style="background:#e6e9ec"></i>free slots</span><span><i style="background:var(--unhealthy)"></i>upscale margin</span>
      <span><i style="background:var(--standby)"></i>downscale margin</span><span>▲ launches ▼ stops</span></div>
  </section>
  <section>
    <h2>Recent plans</h2>
    <ul id="plans"><li class="when">no plan yet</li></ul>
  </section>
  <section>
    <h2>Why servers went, failed launches</h2>
    <ul id="gone"><li class="when">none kept</li></ul>
  </section>
  <section>
    <h2>Config and loop</h2>
    <dl id="config"></dl>
  </section>
</main>
<script>
"use strict";
const $ = (id) => document.getElementById(id);
let intervalMs = 2000;
function text(el, value) { el.textContent = value; }
function age(iso, now) {
  if (!iso) return "never";
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (s < 120) return s + "s ago";
  if (s < 7200) return Math.round(s / 60) + "m ago";
  return Math.round(s / 3600) + "h ago";
}
// Each server's state is the planner's (lastPlan.servers): the page draws it and decides nothing.
function statesOf(fleet) {
  return new Map(((fleet.lastPlan && fleet.lastPlan.servers) || []).map((s) => [s.id, s]));
}
function renderTiles(fleet, now) {
  const servers = (fleet.observed && fleet.observed.servers) || [];
  const capacity = fleet.capacity || Math.max(1, ...servers.map(s => (s.health && s.health.availableCapacity) || 0));
  const tiles = $("tiles");
  tiles.replaceChildren();
  let players = 0;
  const states = statesOf(fleet);
  for (const server of servers) {
    const judged = states.get(server.id) || { state: "unknown", reason: "not in the last plan yet" };
    if (judged.state === "stopping") continue;
    const h = server.health || {};
    const free = Math.min(capacity, Math.max(0, h.availableCapacity ?? capacity));
    const used = h.lastSuccessAt ? capacity - free : 0;
    players += used;
    const state = judged.state;
    const tile = document.createElement("div");
    tile.className = "tile";
    tile.dataset.state = state;
    tile.dataset.server = server.id;
    tile.title = server.id + "\n" + (server.address || "no address yet") + "\nlaunched " + age(server.launchedAt, now) +
      "\n" + state + (judged.reason ? ": " + judged.reason : "") + (h.consecutiveFailures ? ", " + h.consecutiveFailures + " failed probe(s)" : "");
    const fill = document.createElement("div");
    fill.className = "fill";
    fill.style.height = Math.round(100 * used / capacity) + "%";
    const label = document.createElement("div");
    label.className = "label";
    const b = document.createElement("b");
    b.textContent = used + "/" + capacity;
    label.append(b, document.createElement("br"), document.createTextNode(server.address || "…"),
                 document.createElement("br"), document.createTextNode(age(server.launchedAt, now).replace(" ago", "")));
    tile.append(fill, label);
    tiles.append(tile);
  }
  return players;
}
function renderChart(history, now) {
  const svg = $("chart");
  const W = 600, H = 220, pad = 4;
  const points = history.filter(p => Date.parse(p.at) >= now - 3600 * 1000);
  const ns = "http://www.w3.org/2000/svg";
  svg.replaceChildren();
  if (points.length === 0) return;
  // Up to an hour: a younger history spans the whole width rather than a sliver at its right edge.
  const from = Date.parse(points[0].at), span = Math.max(1000, now - from);
  const top = Math.max(1, ...points.map(p => Math.max(p.freeSlots, p.downscaleMargin))) * 1.1;
  const x = (t) => pad + 30 + (W - 2 * pad - 30) * (Date.parse(t) - from) / span;
  const y = (v) => H - 18 - (H - 30) * Math.max(0, v) / top;
  const line = (key, color, dash) => {
    const path = document.createElementNS(ns, "polyline");
    path.setAttribute("points", points.map(p => x(p.at).toFixed(1) + "," + y(p[key]).toFixed(1)).join(" "));
    path.setAttribute("fill", "none"); path.setAttribute("stroke", color); path.setAttribute("stroke-width", "2");
    if (dash) path.setAttribute("stroke-dasharray", "5 4");
    svg.append(path);
  };
  for (const v of [0, Math.round(top / 2.2), Math.round(top / 1.1)]) {
    const label = document.createElementNS(ns, "text");
    label.setAttribute("x", "2"); label.setAttribute("y", (y(v) + 4).toFixed(1));
    label.setAttribute("fill", "#8a96a3"); label.setAttribute("font-size", "10");
    label.textContent = v;
    svg.append(label);
  }
  const minutes = Math.round(span / 60000);
  const caption = document.createElementNS(ns, "text");
  caption.setAttribute("x", (W - pad).toFixed(1)); caption.setAttribute("y", "12"); caption.setAttribute("text-anchor", "end");
  caption.setAttribute("fill", "#8a96a3"); caption.setAttribute("font-size", "10");
  caption.textContent = (minutes >= 1 ? "last " + minutes + " min" : "last " + Math.round(span / 1000) + " s");
  svg.append(caption);
  line("upscaleMargin", "#f85149", true);
  line("downscaleMargin", "#d29922", true);
  line("freeSlots", "#e6e9ec", false);
  for (const p of points) {
    const planned = p.planned || {};
    for (const [kind, glyph, color] of [["launch", "▲", "#58a6ff"], ["stop", "▼", "#f85149"]]) {
      if (!planned[kind]) continue;
      const t = document.createElementNS(ns, "text");
      t.setAttribute("x", x(p.at).toFixed(1)); t.setAttribute("y", kind === "launch" ? H - 4 : H - 10);
      t.setAttribute("fill", color); t.setAttribute("font-size", "10"); t.setAttribute("text-anchor", "middle");
      t.textContent = glyph;
      const title = document.createElementNS(ns, "title");
      title.textContent = planned[kind] + " " + kind + "(s) at " + new Date(p.at).toLocaleTimeString();
      t.append(title);
      svg.append(t);
    }
  }
}
function renderPlans(history) {
  const list = $("plans");
  const recent = history.filter(p => (p.actions || []).length > 0).slice(-30).reverse();
  list.replaceChildren();
  if (recent.length === 0) { const li = document.createElement("li"); li.className = "when"; li.textContent = "no action in the kept history"; list.append(li); return; }
  for (const pass of recent) {
    for (const action of pass.actions) {
      const li = document.createElement("li");
      const when = document.createElement("span"); when.className = "when"; when.textContent = new Date(pass.at).toLocaleTimeString() + " ";
      const kind = action.split(" ")[0];
      const body = document.createElement("span"); body.className = "kind-" + kind; body.textContent = action;
      li.append(when, body);
      list.append(li);
    }
  }
}
function renderGone(fleet, now) {
  const rows = [];
  for (const s of fleet.recentlyStopped || []) {
    rows.push([s.stoppedAt, "stopped " + s.taskID + ": " + (s.stopCode || "no code") + (s.stoppedReason ? " (" + s.stoppedReason + ")" : "")]);
  }
  for (const f of fleet.launchFailures || []) {
    rows.push([f.at, "launch failed" + (f.host ? " on " + f.host : "") + ": " + (f.reason || f.error)]);
  }
  rows.sort((a, b) => (Date.parse(b[0]) || 0) - (Date.parse(a[0]) || 0));
  const list = $("gone");
  list.replaceChildren();
  if (rows.length === 0) { const li = document.createElement("li"); li.className = "when"; li.textContent = "none kept"; list.append(li); return; }
  for (const [at, what] of rows.slice(0, 20)) {
    const li = document.createElement("li");
    const when = document.createElement("span"); when.className = "when"; when.textContent = age(at, now) + " ";
    const body = document.createElement("span"); body.className = what.startsWith("launch") ? "error" : "kind-stop"; body.textContent = what;
    li.append(when, body);
    list.append(li);
  }
}
// With ha: on the leader, the slots each follower holds on loan; on a follower, what it holds.
function loansText(fleet) {
  const servers = (m) => Object.entries(m || {}).map(([id, n]) => n + " on " + id.split("/").pop().slice(0, 12)).join(", ");
  if (fleet.borrowed) {
    const b = fleet.borrowed;
    return "holds " + b.holding + " slot" + (b.holding === 1 ? "" : "s") + " lent by the leader" + (b.holding ? " (" + servers(b.servers) + ")" : "")
      + ", target " + b.target + (b.expiresInSeconds != null ? ", expires in " + b.expiresInSeconds.toFixed(1) + " s" : "")
      + "; when out: " + (b.whenOut === "full" ? "answer as a full fleet" : "forward to the leader")
      + (b.leaderReachable ? "" : "; the leader cannot be reached") + (b.expiredUnused ? "; " + b.expiredUnused + " expired unused" : "");
  }
  if (!fleet.loans) return "none (not leading)";
  if (fleet.loans.length === 0) return "none lent";
  return fleet.loans.map((l) => l.follower + " holds " + l.holding + (l.holding ? " (" + servers(l.servers) + ")" : "") + ", target " + l.target
    + " at " + l.ratePerSecond.toFixed(1) + "/s, expires in " + l.expiresInSeconds.toFixed(1) + " s").join("; ");
}
function renderConfig(fleet, now) {
  const rows = [
    ["config", (fleet.config && fleet.config.path) + ((fleet.config && fleet.config.version) ? " version " + fleet.config.version : "") + " (" + (fleet.config && fleet.config.hash) + ")"],
    ["source read", (fleet.config && fleet.config.readError) ? fleet.config.readError.message + " (" + fleet.config.readError.failures + " failed in a row, the first " + age(fleet.config.readError.since, now) + "; running config kept" + (fleet.config.readError.nextAttemptAt ? ", next read " + fleet.config.readError.nextAttemptAt : "") + ")" : "ok"],
    ["loaded", age(fleet.config && fleet.config.loadedAt, now)],
    ["last reload", age(fleet.config && fleet.config.lastReloadAt, now)],
    ["reload errors", (fleet.config && fleet.config.lastReloadErrors || []).join("\n") || "none"],
    ["last pass", age(fleet.lastPassAt, now) + (fleet.lastPassDurationMs != null ? ", took " + Math.round(fleet.lastPassDurationMs) + " ms" : "")],
    ["pass error", fleet.lastPassError || "none"],
    ["limits", ((fleet.lastPlan && fleet.lastPlan.limits) || []).join("; ") || "none"],
  ];
  if (fleet.ha) rows.push(["loans", loansText(fleet)]);
  if (fleet.ha && fleet.ha.config) rows.push(["replicas' config", fleet.ha.config.text]);
  const dl = $("config");
  dl.replaceChildren();
  for (const [k, v] of rows) {
    const dt = document.createElement("dt"); dt.textContent = k;
    const dd = document.createElement("dd"); dd.textContent = v;
    if (k === "loans") dd.id = "loans";
    if (((k === "reload errors" || k === "pass error") && v !== "none") || (k === "source read" && v !== "ok")
        || (k === "replicas' config" && fleet.ha.config.drift)) dd.className = "error";
    dl.append(dt, dd);
  }
}
async function refresh() {
  try {
    const [fleetResponse, historyResponse] = await Promise.all([
      fetch("v1/fleet", { cache: "no-store", credentials: "same-origin" }),
      fetch("v1/history", { cache: "no-store", credentials: "same-origin" })]);
    if (!fleetResponse.ok) throw new Error("/v1/fleet answered " + fleetResponse.status);
    const fleet = await fleetResponse.json();
    const history = historyResponse.ok ? ((await historyResponse.json()).passes || []) : [];
    const now = Date.now();
    if (fleet.intervalMs) intervalMs = Math.max(500, fleet.intervalMs);
    text($("fleet-name"), fleet.fleet);
    text($("provider"), "provider " + fleet.provider + (fleet.dryRun ? ", dry run" : ""));
    const ha = fleet.ha;
    text($("role"), (fleet.role || "single replica") + (ha && ha.leaseVersion
      ? " · replica " + ha.replicaId + " · lease " + ha.leaseVersion.slice(0, 8) + ", " + (ha.leaseAgeSeconds || 0).toFixed(1) + " s" : ""));
    const ready = $("ready");
    ready.textContent = fleet.ready ? "ready" : "not ready";
    ready.className = "pill " + (fleet.ready && !fleet.lastPassError ? "good" : "bad");
    const summary = fleet.lastPlan && fleet.lastPlan.summary;
    text($("free-slots"), summary ? summary.freeSlots : "–");
    text($("margins"), summary ? summary.upscaleMargin + " … " + summary.downscaleMargin : "–");
    text($("server-count"), summary ? summary.servers : "–");
    // The demand policy's sizing as the plan published it (the seasonal text is the planner's own).
    const sizing = summary && summary.sizing;
    const seasonal = sizing && sizing.forecast && sizing.forecast.seasonal;
    text($("sizing"), sizing ? "sizing (" + sizing.policy + "): keep " + sizing.upscaleAt + " to " + sizing.downscaleAt + " free slots" + (seasonal ? "; " + seasonal.text : "") : "");
    const players = renderTiles(fleet, now);
    text($("players"), players);
    const window = history.slice(-30);
    const seconds = window.length > 1 ? (Date.parse(window[window.length - 1].at) - Date.parse(window[0].at)) / 1000 : 0;
    const sum = (key) => window.slice(1).reduce((n, p) => n + ((p.allocations && p.allocations[key]) || 0), 0);
    const requests = sum("server") + sum("backup") + sum("none");
    text($("alloc-rate"), seconds > 0 ? (requests / seconds).toFixed(1) : "–");
    text($("backup-share"), requests > 0 ? (100 * (sum("backup") + sum("none")) / requests).toFixed(1) + "%" : "–");
    renderChart(history, now);
    renderPlans(history);
    renderGone(fleet, now);
    renderConfig(fleet, now);
    text($("updated"), "updated " + new Date(now).toLocaleTimeString());
  } catch (error) {
    const ready = $("ready");
    ready.textContent = "cannot reach gamefleet: " + error.message;
    ready.className = "pill bad";
  }
  setTimeout(refresh, intervalMs);
}
refresh();
</script>
</body>
</html>
"""#
}
