// The operator's console, like Step Functions': executions with status, start and end (filtered by status);
// one execution's graph, Map iterations and event history (ids only, as in AWS); the metrics totals.

import { local, el, patch, statusWords, t, time } from "./api.js";
import { statuses, draw } from "./graph.js";

let definition = null;
let selected = null;

async function metrics() {
  const totals = (await local("/metrics")).body?.totals ?? {};
  document.querySelector("#metrics tbody").replaceChildren(...Object.entries(totals)
    .map(([k, v]) => el("tr", { "data-metric": k }, el("th", { scope: "row" }, k), el("td", {}, v))));
}

async function executions() {
  const filter = document.getElementById("status-filter").value;
  const all = (await local("/executions")).body?.executions ?? [];
  // Updated in place: a focused row keeps the focus; the open one is marked `aria-current`.
  patch(document.querySelector("#executions tbody"), all.filter((e) => !filter || e.status === filter).map((e) => [
    e.name, JSON.stringify([e, e.name === selected, document.documentElement.lang]), () => el("tr", {
      tabindex: 0, "data-execution": e.name, "aria-current": e.name === selected ? "true" : undefined,
      onclick: () => open(e.name), onkeydown: (k) => { if (k.key === "Enter" || k.key === " ") { k.preventDefault(); open(e.name); } },
    }, el("td", {}, el("code", {}, e.name)), el("td", {}, el("span", { class: `badge ${e.status}`, "data-status": e.status }, statusWords(e.status))),
      el("td", {}, time(e.startDate)), el("td", {}, time(e.stopDate)))]));
}

async function open(name) {
  selected = name;
  await Promise.all([detail(), executions()]);
}

function details(e) {
  const d = { ...(e.details ?? {}) };
  delete d.name;
  return Object.keys(d).length ? el("pre", {}, JSON.stringify(d, null, 1)) : "";
}

async function detail() {
  if (!selected) return;
  const r = await local(`/executions/${selected}`);
  if (r.status !== 200) return;
  const view = r.body;
  document.getElementById("execution").hidden = false;
  document.getElementById("execution-name").textContent = view.name;
  const badge = document.getElementById("execution-status");
  badge.textContent = statusWords(view.status);
  badge.dataset.status = view.status;
  badge.className = `badge ${view.status}`;
  const states = statuses(definition, view);
  document.getElementById("graph").replaceChildren(draw(definition, states));
  // The graph's states as text, for a screen reader and for anyone who does not read colours.
  patch(document.querySelector("#graph-states tbody"), [...states.entries()].map(([name, status]) => [
    name, `${status}|${document.documentElement.lang}`, () => el("tr", { "data-state": name, "data-status": status },
      el("th", { scope: "row" }, name), el("td", {}, t(`state.${status}`))),
  ]));
  const iterations = new Map();
  for (const e of view.history) {
    if (e.type.startsWith("MapIteration")) iterations.set(e.details.index, e.type.replace("MapIteration", ""));
  }
  document.querySelector("#iterations tbody").replaceChildren(...[...iterations.entries()]
    .map(([i, s]) => el("tr", { "data-iteration": i }, el("td", {}, i), el("td", {}, s))));
  document.querySelector("#events tbody").replaceChildren(...view.history.map((e) => el("tr", { "data-type": e.type },
    el("td", {}, e.id), el("td", {}, e.type), el("td", {}, e.details?.name ?? e.details?.resource ?? ""),
    el("td", {}, time(e.timestamp)), el("td", {}, details(e)))));
}

export async function init() {
  definition = (await local("/definition")).body;
  document.getElementById("status-filter").addEventListener("change", executions);
}

export async function refresh() {
  await Promise.all([metrics(), executions(), detail()]);
}
