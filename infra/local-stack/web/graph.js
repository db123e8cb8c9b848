// The state machine drawn from the deployed definition, each state coloured by what happened in one
// execution: succeeded, failed, caught, in progress, waiting for a task token, not reached. A Map's
// iteration states are drawn inside it.

const W = 190, H = 38, GAP_X = 40, GAP_Y = 46, PAD = 12;

/** The function a Task state calls (what the history's `resource` names). */
function functionOf(state) {
  const arn = state.Parameters?.FunctionName ?? state.Resource ?? "";
  return arn.split(":").pop();
}

function processor(state) { return state.ItemProcessor ?? state.Iterator; }

/** Every state by name (a Map's states too), with the Map it is in. */
function flatten(states, parent = null, out = new Map()) {
  for (const [name, s] of Object.entries(states)) {
    out.set(name, { name, state: s, parent });
    if (s.Type === "Map") flatten(processor(s).States, name, out);
  }
  return out;
}

function targets(s) {
  const t = [];
  if (s.Next) t.push({ to: s.Next, kind: "next" });
  if (s.Default) t.push({ to: s.Default, kind: "next" });
  for (const c of s.Choices ?? []) t.push({ to: c.Next, kind: "next" });
  for (const c of s.Catch ?? []) t.push({ to: c.Next, kind: "catch" });
  return t;
}

/** What happened to each state, from the execution's history. */
export function statuses(definition, view) {
  const all = flatten(definition.States);
  const seen = new Map(); // name -> { entered, exited, failedInside, failed, waiting, open }
  const get = (n) => seen.get(n) ?? seen.set(n, { entered: 0, exited: 0, failedInside: false, failed: false, waiting: false, open: 0 }).get(n);
  const openTask = (fn) => [...seen.entries()].reverse()
    .find(([n, s]) => s.open > 0 && all.get(n)?.state.Type === "Task" && functionOf(all.get(n).state) === fn)?.[0];
  const openMap = () => [...seen.entries()].reverse().find(([n, s]) => s.open > 0 && all.get(n)?.state.Type === "Map")?.[0];
  for (const e of view.history ?? []) {
    const d = e.details ?? {};
    if (e.type === "MapStateFailed") { const n = openMap(); if (n) get(n).failedInside = true; }
    else if (e.type.endsWith("StateEntered")) { const s = get(d.name); s.entered++; s.open++; s.waiting = false; }
    else if (e.type.endsWith("StateExited")) { const s = get(d.name); s.exited++; s.open = Math.max(0, s.open - 1); s.waiting = false; }
    else if (e.type.endsWith("StateFailed")) { const s = get(d.name); s.failed = true; s.open = Math.max(0, s.open - 1); }
    else if (e.type === "TaskSubmitted") { const n = openTask(d.resource); if (n) get(n).waiting = true; }
    else if (e.type === "TaskFailed" || e.type === "TaskTimedOut") { const n = openTask(d.resource); if (n) { get(n).failedInside = true; get(n).waiting = false; } }
  }
  const ended = view.status !== "RUNNING";
  const result = new Map();
  for (const [name, { state }] of all) {
    const s = seen.get(name);
    let status = "not-reached";
    if (s && s.entered > 0) {
      if (s.failed || (state.Type === "Fail")) status = "failed";
      else if (s.open > 0 && s.waiting && !ended) status = "waiting";
      else if (s.open > 0 && !ended) status = "running";
      else if (s.open > 0) status = "failed";
      else if (s.failedInside) status = "caught";
      else status = "succeeded";
    }
    result.set(name, status);
  }
  return result;
}

/** Levels: the longest path from the start over every transition (the definition is acyclic). */
function levels(states, start) {
  const level = new Map([[start, 0]]);
  let changed = true;
  for (let round = 0; changed && round < 50; round++) {
    changed = false;
    for (const [name, s] of Object.entries(states)) {
      if (!level.has(name)) continue;
      for (const t of targets(s)) {
        const l = level.get(name) + 1;
        if (t.to in states && (level.get(t.to) ?? -1) < l) { level.set(t.to, l); changed = true; }
      }
    }
  }
  return level;
}

function svg(tag, attrs = {}, ...children) {
  const e = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
}

function size(s) {
  if (s.Type !== "Map") return { w: W, h: H };
  const inner = Object.keys(processor(s).States).length;
  return { w: W + 2 * PAD, h: H + 22 + inner * (H + 14) + PAD };
}

/** Draws `definition` with `status` (from `statuses`) into an SVG element. */
export function draw(definition, status) {
  const states = definition.States;
  const level = levels(states, definition.StartAt);
  const rows = [];
  for (const [name, l] of [...level.entries()].sort((a, b) => a[1] - b[1])) (rows[l] ??= []).push(name);
  const box = new Map();
  let y = PAD;
  let width = 0;
  for (const row of rows.filter(Boolean)) {
    let x = PAD;
    let tallest = 0;
    for (const name of row) {
      const { w, h } = size(states[name]);
      box.set(name, { x, y, w, h });
      x += w + GAP_X;
      tallest = Math.max(tallest, h);
    }
    width = Math.max(width, x);
    y += tallest + GAP_Y;
  }
  const root = svg("svg", { width, height: y, viewBox: `0 0 ${width} ${y}`, "data-graph": "" });
  root.append(svg("defs", {}, svg("marker", { id: "arrow", viewBox: "0 0 10 10", refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: "auto-start-reverse" },
    svg("path", { d: "M 0 0 L 10 5 L 0 10 z", fill: "#5b6b7c" }))));
  const taken = (from, to) => status.get(from) !== "not-reached" && status.get(to) !== "not-reached";
  for (const [name, s] of Object.entries(states)) {
    const a = box.get(name);
    for (const t of targets(s)) {
      const b = box.get(t.to);
      if (!a || !b) continue;
      const x1 = a.x + a.w / 2 + (t.kind === "catch" ? 30 : 0), y1 = a.y + a.h, x2 = b.x + b.w / 2 + (t.kind === "catch" ? 30 : 0), y2 = b.y;
      const cls = `edge ${t.kind}${taken(name, t.to) && (t.kind === "next" || status.get(name) === "caught") ? " taken" : ""}`;
      root.append(svg("path", { class: cls, d: `M ${x1} ${y1} C ${x1} ${y1 + 20}, ${x2} ${y2 - 20}, ${x2} ${y2}`, "data-from": name, "data-to": t.to }));
    }
  }
  const node = (name, s, x, y) => svg("g", { class: `node ${status.get(name)}`, "data-state": name, "data-status": status.get(name) },
    svg("rect", { x, y, width: W, height: H }),
    svg("text", { x: x + 8, y: y + 16 }, name),
    svg("text", { x: x + 8, y: y + 31, fill: "#37474f" }, `${s.Type} · ${status.get(name).replace("-", " ")}`));
  for (const [name, s] of Object.entries(states)) {
    const b = box.get(name);
    if (!b) continue;
    if (s.Type === "Map") {
      const g = svg("g", { class: `map node ${status.get(name)}`, "data-state": name, "data-status": status.get(name) },
        svg("rect", { x: b.x, y: b.y, width: b.w, height: b.h }),
        svg("text", { x: b.x + 8, y: b.y + 16 }, `${name} (Map)`),
        svg("text", { x: b.x + 8, y: b.y + 31, fill: "#37474f" }, status.get(name).replace("-", " ")));
      let iy = b.y + H + 10;
      for (const [inner, is] of Object.entries(processor(s).States)) {
        g.append(node(inner, is, b.x + PAD, iy));
        iy += H + 14;
      }
      root.append(g);
    } else {
      root.append(node(name, s, b.x, b.y));
    }
  }
  return root;
}
