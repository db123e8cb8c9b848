// The phones: one per number that received anything from 1414, its messages as the phone shows them, and a
// reply box that sends an inbound SMS (quick replies for a consent request's answers).

import { local, el, patch, t, time } from "./api.js";

let people = [];
let sent = []; // this session's replies, shown on their phone
let onChange = async () => {};

/** "ИӘ 123456 / ЖОҚ 123456": the answers a consent request offers, as they are written in it. */
function answers(text) {
  return [...text.matchAll(/([A-Za-zА-Яа-яӘәІіҢңҒғҮүҰұҚқӨөҺһЁё]+) (\d{6})/g)].map((m) => `${m[1]} ${m[2]}`);
}

async function reply(from, text) {
  const r = await local("/sms/inbound", { from, text });
  sent.push({ to: from, text, at: new Date().toISOString(), outcome: r.body?.outcome ?? r.status });
  await onChange();
}

function phone(number, messages) {
  const owner = people.find((p) => p.bmgPhone === number);
  const inbox = messages.map((m) => el("div", { class: "sms", "data-seq": m.seq },
    el("div", { class: "meta" }, `${m.from} · ${time(m.at)} · ${t("phones.parts", { n: m.parts })}`), m.text));
  const mine = sent.filter((s) => s.to === number).map((s) => el("div", { class: "sms out" }, s.text,
    el("div", { class: "meta" }, `${t("phones.sent")} · ${s.outcome}`)));
  const last = messages.at(-1)?.text ?? "";
  const input = el("input", { "aria-label": t("phones.replyFrom", { number }), name: "text", autocomplete: "off" });
  const box = el("form", { onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) reply(number, input.value.trim()); } },
    input, el("button", { type: "submit" }, t("phones.send")));
  const quick = answers(last).map((a) => el("button", { type: "button", onclick: () => reply(number, a) }, a));
  return el("article", { class: "phone", "data-phone": number, "aria-label": t("phones.phone", { number }) },
    el("h3", {}, number, " ", el("small", {}, owner ? owner.name : "")),
    inbox, mine,
    quick.length ? el("div", { class: "quick", role: "group", "aria-label": t("phones.quick") }, quick) : "",
    box);
}

export async function init(changed) {
  onChange = changed;
  people = (await local("/people")).body.people;
}

export async function refresh() {
  const messages = (await local("/sms/outbox")).body.messages ?? [];
  const byPhone = new Map();
  for (const m of messages) byPhone.set(m.to, [...(byPhone.get(m.to) ?? []), m]);
  // Updated in place: a phone whose messages did not change keeps what is typed in its reply box and the focus;
  // one that got a message is redrawn with what was typed put back.
  const list = document.getElementById("phone-list");
  const focused = document.activeElement?.closest?.("[data-phone]");
  const typed = focused ? focused.querySelector("input")?.value : null;
  patch(list, byPhone.size
    ? [...byPhone.entries()].map(([number, ms]) => [number, JSON.stringify([ms, document.documentElement.lang]), () => phone(number, ms)])
    : [["none", document.documentElement.lang, () => el("p", { class: "hint" }, t("phones.none"))]]);
  if (focused && !focused.isConnected) {
    const input = list.querySelector(`[data-phone="${focused.dataset.phone}"] input`);
    if (input) { input.value = typed ?? ""; input.focus(); }
  }
}
