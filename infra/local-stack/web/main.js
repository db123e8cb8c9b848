// The console's shell: the three views (by the address's #fragment), the shared clock, and the polling
// that keeps each view live.

import { local } from "./api.js";
import * as citizen from "./citizen.js";
import * as phones from "./phones.js";
import * as operator from "./operator.js";
import * as verify from "./verify.js";

const views = { citizen, phones, operator, verify };
let current = "citizen";

function show(name) {
  current = views[name] ? name : "citizen";
  for (const key of Object.keys(views)) document.getElementById(key).hidden = key !== current;
  for (const a of document.querySelectorAll("nav a")) {
    if (a.dataset.view === current) a.setAttribute("aria-current", "page"); else a.removeAttribute("aria-current");
  }
  refresh();
}

async function clock() {
  const r = await local("/clock");
  document.getElementById("clock-now").textContent = (r.body?.now ?? "").replace("T", " ").replace(/\.\d+/, "");
}

async function advance(seconds) {
  await local("/clock/advance", { seconds });
  await refresh();
}

let busy = false;
async function refresh() {
  if (busy) return;
  busy = true;
  try { await Promise.all([clock(), views[current].refresh()]); } finally { busy = false; }
}

document.getElementById("advance-minute").addEventListener("click", () => advance(60));
document.getElementById("advance-hour").addEventListener("click", () => advance(3600));
window.addEventListener("hashchange", () => show(location.hash.slice(1)));

await citizen.init(refresh);
await phones.init(refresh);
await operator.init(refresh);
await verify.init();
show(location.hash.slice(1));
setInterval(refresh, 1000);
