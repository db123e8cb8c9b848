// The console's shell: the three views (by the address's #fragment), the shared clock, and the polling
// that keeps each view live.

import { loadTexts, local, time } from "./api.js";
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
  const out = document.getElementById("clock-now");
  out.dataset.iso = r.body?.now ?? "";
  out.textContent = time(out.dataset.iso);
}

async function advance(seconds) {
  await local("/clock/advance", { seconds });
  await refresh();
}

let busy = false;
async function refresh() {
  if (busy) return;
  busy = true;
  // The clock first: tokens are renewed by the stack's time, which the clock control may have moved on.
  try { await clock(); await views[current].refresh(); } finally { busy = false; }
}

document.getElementById("advance-minute").addEventListener("click", () => advance(60));
document.getElementById("advance-hour").addEventListener("click", () => advance(3600));
window.addEventListener("hashchange", () => show(location.hash.slice(1)));

await loadTexts();
await citizen.init(refresh);
await phones.init(refresh);
await operator.init(refresh);
await verify.init();
show(location.hash.slice(1));
setInterval(refresh, 1000);
