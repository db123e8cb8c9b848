// Check a certificate: what an employer does with the number or the QR code's address. Calls the public
// `GET /verify/{number}` (no token) and shows the answer as text.

import { day, el, problemText, publicGet, t } from "./api.js";

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
    out.replaceChildren(el("p", { class: "bad" }, t("verify.badNumber")));
    return;
  }
  const r = await publicGet(`/verify/${encodeURIComponent(number)}`);
  if (r.status === 200 && r.body?.genuine) {
    const c = r.body;
    const state = c.state === "CURRENT" ? t("verify.current") : t("verify.closed", { date: day(c.lastDay) });
    const kind = c.months ? `${t(`kind.${c.kind}`)} (${t("months.n", { n: c.months })})` : t(`kind.${c.kind}`);
    out.replaceChildren(el("div", { class: "ok", "data-genuine": "true", "data-state": c.state },
      el("p", {}, el("strong", {}, t("verify.genuine")), t("verify.issued", { number: c.documentNumber, date: day(c.issuedAt.slice(0, 10)) })),
      el("p", {}, `${c.holder} · ${c.address} (${c.rka}) · ${kind}, ${t("properties.from", { date: day(c.validFrom) })}${c.validTo ? ` ${t("properties.to", { date: day(c.validTo) })}` : ""}`),
      el("p", {}, state),
    ));
  } else if (r.status === 404) {
    out.replaceChildren(el("p", { class: "bad", "data-genuine": "false" }, t("verify.notGenuine")));
  } else {
    out.replaceChildren(el("p", { class: "bad" }, problemText(r.body)));
  }
}

export async function init() {
  $("verify-form").addEventListener("submit", check);
}

export async function refresh() {}
