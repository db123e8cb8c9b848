// Check a certificate: what an employer does with the number or the QR code's address. Calls the public
// `GET /verify/{number}` (no token) and shows the answer as text.

import { el, problemText, publicGet } from "./api.js";

const $ = (id) => document.getElementById(id);

/** The number in what was typed: the number itself, or the last part of a check address. */
function numberOf(input) {
  const text = input.trim();
  const tail = text.split("?")[0].split("#")[0].replace(/\/+$/, "").split("/").pop() ?? "";
  return tail.toUpperCase();
}

async function check(event) {
  event.preventDefault();
  const number = numberOf($("verify-input").value);
  const out = $("verify-result");
  if (!/^RC[0-9A-Z]{26}$/.test(number)) {
    out.replaceChildren(el("p", { class: "bad" }, "That is not a certificate number (RC and 26 letters and digits)."));
    return;
  }
  const r = await publicGet(`/verify/${encodeURIComponent(number)}`);
  if (r.status === 200 && r.body?.genuine) {
    const c = r.body;
    const state = c.state === "CURRENT" ? "in force" : `closed, last day ${c.lastDay}`;
    out.replaceChildren(el("div", { class: "ok", "data-genuine": "true", "data-state": c.state },
      el("p", {}, el("strong", {}, "Genuine."), ` Certificate ${c.documentNumber}, issued ${c.issuedAt.slice(0, 10)}.`),
      el("p", {}, `${c.holder} · ${c.address} (${c.rka}) · ${c.kind}${c.months ? ` ${c.months} months` : ""}, from ${c.validFrom}${c.validTo ? ` to ${c.validTo}` : ""}`),
      el("p", {}, `The registration is ${state}.`),
    ));
  } else if (r.status === 404) {
    out.replaceChildren(el("p", { class: "bad", "data-genuine": "false" }, "Not genuine: no certificate has this number."));
  } else {
    out.replaceChildren(el("p", { class: "bad" }, problemText(r.body)));
  }
}

export async function init() {
  $("verify-form").addEventListener("submit", check);
}

export async function refresh() {}
