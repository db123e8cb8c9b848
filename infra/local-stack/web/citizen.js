// The citizen's app: sign in as a person of the sample registries, fill the form, pre-check, sign with the
// code from 1414 (or the test EDS), submit; the service history, live, with each registration's certificate;
// the consent requests an owner answers, and the properties they own.

import { api, download, local, el, problemText, setLanguage, time } from "./api.js";

let people = [];
let addresses = [];
let signingRequestId = null;
let onChange = async () => {};
const $ = (id) => document.getElementById(id);
const me = () => $("person").value;

function words(a) {
  const lang = $("lang").value;
  return a.address[lang] ?? a.address.en;
}

function fillAddresses() {
  const chosen = $("rka").value;
  $("rka").replaceChildren(...addresses.map((a) => el("option", { value: a.rka }, `${words(a)} — ${a.rka}`)));
  if (chosen) $("rka").value = chosen;
}

function form() {
  const f = {
    registrantIin: $("registrant").value,
    rka: $("rka").value,
    kind: $("kind").value,
    reason: $("reason").value,
    movedInOn: $("moved-in-on").value,
  };
  if (f.kind === "TEMPORARY") f.months = Number($("months").value);
  return f;
}

function say(id, text, ok) {
  $(id).replaceChildren(el("p", { class: ok ? "ok" : "problem" }, text));
}

async function precheck() {
  const r = await api(me(), "POST", "/registrations/precheck", form());
  if (r.status !== 200) return say("precheck-result", problemText(r.body), false);
  const reasons = (r.body.reasons ?? []).map((x) => el("li", { "data-code": x.code }, `${x.message} (${x.code})`));
  $("precheck-result").replaceChildren(
    el("p", { class: r.body.decision === "REJECTED" ? "problem" : "ok" }, `Decision: ${r.body.decision}`),
    reasons.length ? el("ul", { id: "precheck-reasons" }, reasons) : "",
  );
}

async function askCode() {
  const r = await api(me(), "POST", "/signing-codes", form());
  if (r.status !== 201) return say("submit-result", problemText(r.body), false);
  signingRequestId = r.body.signingRequestId;
  say("submit-result", `A code was sent to ${r.body.sentTo}: read it in Phones.`, true);
}

async function submit(signature) {
  say("submit-result", "Submitting…", true);
  const key = crypto.randomUUID();
  const r = await api(me(), "POST", "/registrations", { ...form(), signature }, { "Idempotency-Key": key });
  if (r.status === 201 || r.status === 200) {
    say("submit-result", `Submitted: ${r.body.id} (${r.body.status})`, true);
    $("code").value = "";
    signingRequestId = null;
  } else {
    say("submit-result", problemText(r.body), false);
  }
  await onChange();
}

async function submitWithCode() {
  if (!signingRequestId) return say("submit-result", "Ask for a signing code first.", false);
  await submit({ method: "SMS_CODE", signingRequestId, code: $("code").value.trim() });
}

async function submitWithEds() {
  say("submit-result", "Signing with the test EDS…", true);
  const r = await local("/eds/sign", { iin: me(), form: form(), scheme: $("eds-scheme").value });
  if (r.status !== 201) return say("submit-result", problemText(r.body), false);
  await submit({ method: "EDS", cms: r.body.cms });
}

function entry(e) {
  return el("li", { "data-event": e.event }, el("time", {}, time(e.at)), el("strong", {}, e.title), e.detail ? ` — ${e.detail}` : "");
}

async function history() {
  const list = await api(me(), "GET", "/registrations?limit=10");
  if (list.status !== 200) return;
  const items = await Promise.all((list.body.items ?? []).map((a) => api(me(), "GET", `/registrations/${a.id}`)));
  $("history").replaceChildren(...items.filter((r) => r.status === 200).map(({ body: a }) => {
    const open = a.status === "SUBMITTED" || a.status === "AWAITING_CONSENT";
    const address = addresses.find((x) => x.rka === a.rka);
    return el("li", { "data-id": a.id, "data-status": a.status },
      el("div", {}, el("span", { class: `badge ${a.status}` }, a.status), " ",
        address ? words(address) : a.rka, ` · ${a.kind}${a.months ? ` ${a.months}` : ""} · `, el("code", {}, a.id)),
      a.reasons?.length ? el("p", { class: "reason" }, a.reasons.map((r) => `${r.message} (${r.code})`).join("; ")) : "",
      el("ol", { class: "timeline" }, (a.timeline ?? []).map(entry)),
      open ? el("button", { type: "button", class: "secondary", onclick: () => withdraw(a.id) }, "Withdraw") : "",
      a.status === "REGISTERED" ? el("button", { type: "button", class: "secondary", onclick: () => downloadCertificate(a.id) }, "Download certificate") : "",
    );
  }));
}

/** The certificate as a PDF, in the chosen language, saved as a file (the API needs the token, so the PDF is
 *  fetched here and handed to the browser as a download). */
async function downloadCertificate(id) {
  const r = await download(me(), `/registrations/${id}/certificate`, "application/pdf");
  if (r.status !== 200) { say("submit-result", problemText(r.body), false); return; }
  const a = el("a", { href: URL.createObjectURL(r.blob), download: `certificate-${r.number}.pdf` });
  document.body.append(a);
  a.click();
  a.remove();
  await onChange();
}

async function properties() {
  const r = await api(me(), "GET", "/properties");
  if (r.status !== 200) return;
  const items = r.body.items ?? [];
  $("properties").replaceChildren(...(items.length ? items.map((p) => el("li", { "data-rka": p.rka },
    el("div", {}, el("strong", {}, p.address), ` · ${p.rka}${p.owners > 1 ? ` · ${p.owners} owners` : ""}`),
    el("p", {}, "Registered here: ", p.registered.length
      ? p.registered.map((x) => `${x.person} (${x.kind}${x.months ? ` ${x.months}` : ""}, from ${x.validFrom}${x.validTo ? ` to ${x.validTo}` : ""})`).join("; ")
      : "nobody"),
    p.awaitingConsent.length ? el("p", {}, "Waiting for your consent: ",
      p.awaitingConsent.map((c) => `${c.registrant} (until ${time(c.expiresAt)})`).join("; ")) : "",
  )) : [el("li", { class: "hint" }, "You own no property in the register.")]));
}

async function withdraw(id) {
  const r = await api(me(), "POST", `/registrations/${id}/withdraw`, {});
  if (r.status !== 200) say("submit-result", problemText(r.body), false);
  await onChange();
}

async function consents() {
  const r = await api(me(), "GET", "/consents");
  if (r.status !== 200) return;
  const items = r.body.items ?? [];
  $("consents").replaceChildren(...(items.length ? items.map((c) => el("li", { "data-consent": c.consentId },
    `${c.registrant} asks to be registered at ${c.address} (${c.kind}${c.months ? `, ${c.months} months` : ""}); until ${time(c.expiresAt)} `,
    el("button", { type: "button", onclick: () => decide(c.consentId, "APPROVE") }, "Approve"), " ",
    el("button", { type: "button", class: "secondary", onclick: () => decide(c.consentId, "DECLINE") }, "Decline"),
  )) : [el("li", { class: "hint" }, "No open requests.")]));
}

async function decide(id, decision) {
  const r = await api(me(), "POST", `/consents/${id}/decision`, { decision });
  if (r.status !== 200) say("submit-result", problemText(r.body), false);
  await onChange();
}

export async function init(changed) {
  onChange = changed;
  people = (await local("/people")).body.people;
  addresses = (await local("/addresses")).body.addresses;
  const option = (p) => el("option", { value: p.iin }, `${p.name} — ${p.iin}${p.bmgPhone ? "" : " (no BMG phone)"}`);
  $("person").replaceChildren(...people.map(option));
  $("registrant").replaceChildren(...people.map(option));
  fillAddresses();
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  $("moved-in-on").value = yesterday;
  $("person").addEventListener("change", () => { $("registrant").value = me(); signingRequestId = null; onChange(); });
  $("lang").addEventListener("change", () => { setLanguage($("lang").value); fillAddresses(); onChange(); });
  $("kind").addEventListener("change", () => { $("months-label").hidden = $("kind").value !== "TEMPORARY"; });
  $("precheck").addEventListener("click", precheck);
  $("ask-code").addEventListener("click", askCode);
  $("submit-code").addEventListener("click", submitWithCode);
  $("submit-eds").addEventListener("click", submitWithEds);
  setLanguage($("lang").value);
}

export async function refresh() {
  await Promise.all([history(), consents(), properties()]);
}

export { people };
