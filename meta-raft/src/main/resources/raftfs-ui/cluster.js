// The raftfs cluster page: polls /api/cluster about every 500 ms and redraws.
// If the master that served this page stops answering, it polls the other masters
// (their addresses come in the JSON; /api/cluster lets pages of the cluster's own masters,
// as named in raftfs.master.peers, read it).
"use strict";

const POLL_MS = 500;
const TIMEOUT_MS = 1500;
const CHART_SECONDS = 60;

const state = {
  endpoints: [location.host], // host:port of masters, the page's own first
  current: 0,                 // index into endpoints
  leader: null,               // leader id while the cluster has one
  lastLeaderSeenAt: null,     // page time of the last poll that saw a leader
  leaderlessSince: null,      // page time of the first poll that saw none
  samples: [],                // [page time ms, leader commit index]
};

const $ = (id) => document.getElementById(id);
const num = (v) => Number(v || 0); // protobuf JSON prints 64-bit integers as strings

function bytes(n) {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? n : n.toFixed(1)) + " " + units[i];
}

function seconds(ms) { return (ms / 1000).toFixed(ms < 10000 ? 2 : 1) + " s"; }

function clock(ms) { return new Date(ms).toLocaleTimeString([], { hour12: false }) + "." + String(ms % 1000).padStart(3, "0"); }

function cell(row, text, className) {
  const td = row.insertCell();
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

async function fetchStatus(endpoint) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  try {
    const response = await fetch(location.protocol + "//" + endpoint + "/api/cluster", { signal: controller.signal, cache: "no-store" });
    if (!response.ok) throw new Error("HTTP " + response.status);
    return await response.json();
  } finally {
    clearTimeout(timer);
  }
}

// The leader as the cluster reports it: named by the answering master AND
// reporting itself LEADER (a dead leader is still named until the election).
function liveLeader(status) {
  const m = (status.masters || []).find((m) => m.id === status.leaderId);
  return m && m.role === "LEADER" ? m : null;
}

function trackLeader(status, now) {
  const leader = liveLeader(status);
  if (leader) {
    // A failover can fall between two polls (an election is often quicker than POLL_MS, and a
    // poll of a dead master waits for its timeout): a new leader counts as one then, too.
    const changed = state.leader !== null && state.leader !== leader.id;
    if (state.leaderlessSince !== null || changed) {
      const gap = now - (state.lastLeaderSeenAt ?? state.leaderlessSince);
      $("leaderless").textContent = seconds(gap);
      $("leaderless-detail").textContent =
        (state.leader || "?") + " → " + leader.id + " at " + clock(now) + " (between polls)";
      state.leaderlessSince = null;
    }
    state.leader = leader.id;
    state.lastLeaderSeenAt = now;
    $("leader").textContent = leader.id;
    $("leader").className = "big";
    $("leader-term").textContent = "term " + num(leader.term);
  } else {
    if (state.leaderlessSince === null) state.leaderlessSince = now;
    $("leader").textContent = "none";
    $("leader").className = "big noleader";
    $("leader-term").textContent = "for " + seconds(now - (state.lastLeaderSeenAt ?? state.leaderlessSince));
  }
  return leader;
}

function renderMasters(status) {
  const body = $("masters").tBodies[0];
  body.replaceChildren();
  for (const m of status.masters || []) {
    const row = body.insertRow();
    row.dataset.id = m.id;
    row.dataset.role = m.role;
    cell(row, m.id);
    cell(row, m.role, "role-" + m.role);
    const reachable = m.role !== "UNREACHABLE";
    cell(row, reachable ? num(m.term) : "–", "num");
    cell(row, reachable ? num(m.commitIndex) : "–", "num");
    cell(row, reachable ? num(m.appliedIndex) : "–", "num");
    const link = document.createElement("a");
    link.href = location.protocol + "//" + m.httpAddress + "/";
    link.textContent = m.httpAddress;
    row.insertCell().append(link);
  }
}

function renderDataNodes(status) {
  const body = $("datanodes").tBodies[0];
  body.replaceChildren();
  const serverNow = num(status.timeMillis) || Date.now();
  for (const d of status.dataNodes || []) {
    const row = body.insertRow();
    row.dataset.id = d.nodeId;
    row.dataset.alive = d.alive;
    cell(row, d.nodeId + "  " + d.httpAddress);
    cell(row, d.alive ? "alive" : "dead", d.alive ? "alive" : "dead");
    cell(row, d.adminState + (d.adminState === "DECOMMISSIONING" ? " (" + num(d.blocksToDrain) + " left)" : ""));
    cell(row, bytes(num(d.usedBytes)), "num");
    cell(row, bytes(num(d.freeBytes)), "num");
    const bar = document.createElement("div");
    bar.className = "bar";
    const fill = document.createElement("div");
    const capacity = num(d.capacityBytes);
    fill.style.width = (capacity ? (100 * num(d.usedBytes)) / capacity : 0).toFixed(1) + "%";
    bar.append(fill);
    row.insertCell().append(bar);
    cell(row, num(d.blockCount), "num");
    const last = num(d.lastHeartbeatMillis);
    cell(row, last ? seconds(Math.max(0, serverNow - last)) + " ago" : "never", "num");
  }
}

// Gateways report to the leader only: a follower's answer lists none, so the page asks the leader.
function renderGateways(status, source) {
  const body = $("gateways").tBodies[0];
  body.replaceChildren();
  const serverNow = num(status.timeMillis) || Date.now();
  for (const g of status.gateways || []) {
    const row = body.insertRow();
    row.dataset.address = g.address;
    cell(row, (g.tls ? "https://" : "http://") + g.address);
    cell(row, g.version || "");
    cell(row, g.user || "");
    cell(row, g.startTimeMillis ? new Date(num(g.startTimeMillis)).toLocaleString([], { hour12: false }) : "");
    cell(row, seconds(Math.max(0, serverNow - num(g.lastSeenMillis))) + " ago", "num");
  }
  $("gateways-source").textContent = source;
}

async function gatewaysOf(status) {
  if (status.answeredBy === status.leaderId) return [status, "as the leader saw them"];
  const leader = liveLeader(status);
  if (!leader) return [{}, "no leader: gateways report to the leader"];
  try {
    return [await fetchStatus(leader.httpAddress), "as the leader " + leader.id + " saw them"];
  } catch (e) {
    return [{}, "the leader " + leader.id + " did not answer"];
  }
}

function renderList(id, entries) {
  const list = $(id);
  list.replaceChildren();
  for (const [name, value, bad] of entries) {
    const dt = document.createElement("dt");
    dt.textContent = name;
    const dd = document.createElement("dd");
    dd.textContent = value;
    if (bad) dd.className = "bad";
    list.append(dt, dd);
  }
}

function renderTotals(status) {
  const nodes = status.dataNodes || [];
  const live = nodes.filter((d) => d.alive).length;
  renderList("totals", [
    ["files", num(status.files)],
    ["directories", num(status.directories)],
    ["blocks", num(status.blocks)],
    ["data (one replica)", bytes(num(status.bytes))],
    ["data nodes alive", live + " / " + nodes.length, live < nodes.length],
  ]);
  const repair = [
    ["under-replicated blocks", num(status.underReplicatedBlocks)],
    ["missing blocks", num(status.missingBlocks)],
    ["corrupt replicas", num(status.corruptReplicas)],
    ["copies in progress", num(status.pendingCopies)],
  ];
  renderList("repair", repair.map(([name, n]) => [name, n, n > 0 && name !== "copies in progress"]));
}

function renderEvents(status) {
  const list = $("events");
  list.replaceChildren();
  const events = (status.events || []).slice().reverse(); // newest first
  for (const e of events) {
    const li = document.createElement("li");
    li.className = "kind-" + e.kind;
    const time = document.createElement("time");
    time.textContent = clock(num(e.timeMillis));
    li.append(time, e.message);
    list.append(li);
  }
  $("events-source").textContent = "(as " + status.answeredBy + " saw them)";
}

function drawChart(leader, now) {
  if (leader) state.samples.push([now, num(leader.commitIndex)]);
  while (state.samples.length && now - state.samples[0][0] > CHART_SECONDS * 1000) state.samples.shift();
  // One bar per second: commit-index growth within that second.
  const rates = new Array(CHART_SECONDS).fill(0);
  for (let i = 1; i < state.samples.length; i++) {
    const [t0, c0] = state.samples[i - 1];
    const [t1, c1] = state.samples[i];
    const slot = CHART_SECONDS - 1 - Math.floor((now - t1) / 1000);
    if (slot >= 0 && c1 >= c0 && t1 > t0) rates[slot] += c1 - c0;
  }
  const canvas = $("chart");
  const g = canvas.getContext("2d");
  g.clearRect(0, 0, canvas.width, canvas.height);
  const max = Math.max(10, ...rates);
  const w = canvas.width / CHART_SECONDS;
  g.fillStyle = "#3b82c4";
  rates.forEach((r, i) => {
    const h = ((canvas.height - 16) * r) / max;
    g.fillRect(i * w + 1, canvas.height - h, w - 2, h);
  });
  g.fillStyle = "#1d232a";
  g.font = "11px system-ui";
  g.fillText("max " + max + "/s, last " + rates[CHART_SECONDS - 1] + "/s", 4, 12);
}

function render(status, endpoint, now) {
  const leader = trackLeader(status, now);
  renderMasters(status);
  renderDataNodes(status);
  renderTotals(status);
  renderEvents(status);
  drawChart(leader, now);
  $("source").textContent = "polling " + endpoint + " (" + status.answeredBy + ")";
  $("updated").textContent = "updated " + clock(now);
  document.body.dataset.leader = leader ? leader.id : "";
}

function learnEndpoints(status) {
  for (const m of status.masters || []) {
    if (m.httpAddress && !state.endpoints.includes(m.httpAddress)) state.endpoints.push(m.httpAddress);
  }
}

async function poll() {
  // Each failure moves on to the next master; a full round without an answer shows it.
  for (let tries = 0; tries < state.endpoints.length; tries++) {
    const endpoint = state.endpoints[state.current];
    try {
      const status = await fetchStatus(endpoint);
      learnEndpoints(status);
      render(status, endpoint, Date.now());
      renderGateways(...(await gatewaysOf(status)));
      return;
    } catch (e) {
      state.current = (state.current + 1) % state.endpoints.length;
    }
  }
  $("source").textContent = "no master answers";
  $("leader").textContent = "?";
}

async function loop() {
  const started = Date.now();
  await poll();
  setTimeout(loop, Math.max(0, POLL_MS - (Date.now() - started)));
}

loop();
