// The citizen's app: sign in as a person of the sample registries, fill the form, pre-check, sign with the
// code from 1414 (or the test EDS), submit; the service history, live, with each registration's certificate;
// the consent requests an owner answers, and the properties they own.

import { api, day, download, local, el, patch, problemText, rememberedLanguage, setLanguage, statusWords, t, time } from "./api.js";

let people = [];
let addresses = [];
let signingRequestId = null;
let onChange = async () => {};
/** Each application's details as last read, by id: read again only when its list entry changed, while it is
 *  open, or after this console changed it. */
const details = new Map();
/** Applications whose Withdraw awaits confirmation. */
const confirming = new Set();
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

/** The form's control for a problem's `field`. */
const FIELDS = { registrantIin: "registrant", rka: "rka", kind: "kind", months: "months", reason: "reason",
  movedInOn: "moved-in-on", "signature.code": "code", signature: "code", code: "code" };

function say(id, text, ok) {
  $(id).replaceChildren(el("p", { class: ok ? "ok" : "problem" }, text));
}

/** A refusal: said in `id`, and tied to the control its `field` names (`aria-invalid`, `aria-describedby`),
 *  which gets the focus. */
function refuse(id, body) {
  say(id, problemText(body), false);
  for (const c of document.querySelectorAll("#form [aria-invalid]")) {
    c.removeAttribute("aria-invalid");
    c.removeAttribute("aria-describedby");
  }
  const control = $(FIELDS[body?.field] ?? "");
  if (control) {
    control.setAttribute("aria-invalid", "true");
    control.setAttribute("aria-describedby", id);
    control.focus();
  }
}

async function precheck() {
  const r = await api(me(), "POST", "/registrations/precheck", form());
  if (r.status !== 200) return refuse("precheck-result", r.body);
  const reasons = (r.body.reasons ?? []).map((x) => el("li", { "data-code": x.code }, `${x.message} (${x.code})`));
  $("precheck-result").replaceChildren(
    el("p", { class: r.body.decision === "REJECTED" ? "problem" : "ok", "data-decision": r.body.decision },
      t("precheck.decision", { decision: t(`decision.${r.body.decision}`) }), " ", el("code", {}, r.body.decision)),
    reasons.length ? el("ul", { id: "precheck-reasons" }, reasons) : "",
  );
}

async function askCode() {
  const r = await api(me(), "POST", "/signing-codes", form());
  if (r.status !== 201) return refuse("submit-result", r.body);
  signingRequestId = r.body.signingRequestId;
  say("submit-result", t("submit.codeSent", { to: r.body.sentTo }), true);
}

async function submit(signature) {
  say("submit-result", t("submit.sending"), true);
  const key = crypto.randomUUID();
  const r = await api(me(), "POST", "/registrations", { ...form(), signature }, { "Idempotency-Key": key });
  if (r.status === 201 || r.status === 200) {
    say("submit-result", t("submit.done", { id: r.body.id, status: statusWords(r.body.status) }), true);
    $("code").value = "";
    signingRequestId = null;
  } else {
    refuse("submit-result", r.body);
  }
  await onChange();
}

async function submitWithCode() {
  if (!signingRequestId) return say("submit-result", t("submit.askFirst"), false);
  await submit({ method: "SMS_CODE", signingRequestId, code: $("code").value.trim() });
}

async function submitWithEds() {
  say("submit-result", t("submit.signing"), true);
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
  const items = list.body.items ?? [];
  await Promise.all(items.map(async (a) => {
    const sig = `${a.status}|${a.updatedAt}|${currentLanguageTag()}`;
    const known = details.get(a.id);
    const open = a.status === "SUBMITTED" || a.status === "AWAITING_CONSENT";
    if (known && known.sig === sig && !open) return;
    const r = await api(me(), "GET", `/registrations/${a.id}`);
    if (r.status === 200) details.set(a.id, { sig, body: r.body });
  }));
  patch($("history"), items.filter((a) => details.has(a.id)).map((item) => {
    const a = details.get(item.id).body;
    const sig = JSON.stringify([a, confirming.has(a.id), currentLanguageTag()]);
    return [a.id, sig, () => historyItem(a)];
  }));
}

function currentLanguageTag() { return document.documentElement.lang; }

function historyItem(a) {
  const open = a.status === "SUBMITTED" || a.status === "AWAITING_CONSENT";
  const address = addresses.find((x) => x.rka === a.rka);
  const actions = [];
  if (open && confirming.has(a.id)) {
    actions.push(el("span", { role: "group", "aria-label": t("history.confirmGroup") },
      el("button", { type: "button", class: "danger", "data-action": "confirm", onclick: () => withdraw(a.id) }, t("history.confirm")), " ",
      el("button", { type: "button", class: "secondary", "data-action": "keep", onclick: () => { confirming.delete(a.id); refocus(a.id, "withdraw"); } }, t("history.keep"))));
  } else if (open) {
    actions.push(el("button", { type: "button", class: "secondary", "data-action": "withdraw", onclick: () => { confirming.add(a.id); refocus(a.id, "confirm"); } }, t("history.withdraw")));
  }
  if (a.status === "REGISTERED") {
    actions.push(el("button", { type: "button", class: "secondary", "data-action": "certificate", onclick: () => downloadCertificate(a.id) }, t("history.certificate")));
  }
  return el("li", { "data-id": a.id, "data-status": a.status },
    el("div", {}, el("span", { class: `badge ${a.status}` }, statusWords(a.status)), " ",
      address ? words(address) : a.rka, ` · ${kindWords(a.kind, a.months)} · `, el("code", {}, a.id)),
    a.reasons?.length ? el("p", { class: "reason" }, a.reasons.map((r) => `${r.message} (${r.code})`).join("; ")) : "",
    el("ol", { class: "timeline" }, (a.timeline ?? []).map(entry)),
    ...actions,
  );
}

/** Redraws the history now and puts the focus on that application's button for `action`. */
async function refocus(id, action) {
  await history();
  document.querySelector(`#history li[data-id="${id}"] button[data-action="${action}"]`)?.focus();
}

/** "Permanent", "Temporary (6 months)" in the chosen language. */
function kindWords(kind, months) {
  return months ? `${t(`kind.${kind}`)} (${t("months.n", { n: months })})` : t(`kind.${kind}`);
}

/** The certificate as a PDF, in the chosen language, saved as a file (the API needs the token, so the PDF is
 *  fetched here and handed to the browser as a download). */
async function downloadCertificate(id) {
  const r = await download(me(), `/registrations/${id}/certificate`, "application/pdf");
  details.delete(id);
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
  patch($("properties"), items.length ? items.map((p) => [p.rka, JSON.stringify([p, currentLanguageTag()]), () => el("li", { "data-rka": p.rka },
    el("div", {}, el("strong", {}, p.address), ` · ${p.rka}${p.owners > 1 ? ` · ${t("properties.owners", { n: p.owners })}` : ""}`),
    el("p", {}, t("properties.registered"), p.registered.length
      ? p.registered.map((x) => `${x.person} (${kindWords(x.kind, x.months)}, ${t("properties.from", { date: day(x.validFrom) })}${x.validTo ? ` ${t("properties.to", { date: day(x.validTo) })}` : ""})`).join("; ")
      : t("properties.nobody")),
    p.awaitingConsent.length ? el("p", {}, t("properties.waiting"),
      p.awaitingConsent.map((c) => `${c.registrant} (${t("properties.until", { time: time(c.expiresAt) })})`).join("; ")) : "",
  )]) : [["none", currentLanguageTag(), () => el("li", { class: "hint" }, t("properties.none"))]]);
}

async function withdraw(id) {
  confirming.delete(id);
  details.delete(id);
  const r = await api(me(), "POST", `/registrations/${id}/withdraw`, {});
  if (r.status !== 200) say("submit-result", problemText(r.body), false);
  await onChange();
}

async function consents() {
  const r = await api(me(), "GET", "/consents");
  if (r.status !== 200) return;
  const items = r.body.items ?? [];
  patch($("consents"), items.length ? items.map((c) => [c.consentId, JSON.stringify([c, currentLanguageTag()]), () => el("li", { "data-consent": c.consentId },
    t("consents.asks", { registrant: c.registrant, address: c.address, kind: kindWords(c.kind, c.months) }),
    el("span", { "data-expires": c.expiresAt }, remaining(c.expiresAt)), " ",
    el("button", { type: "button", onclick: () => decide(c.consentId, "APPROVE") }, t("consents.approve")), " ",
    el("button", { type: "button", class: "secondary", onclick: () => decide(c.consentId, "DECLINE") }, t("consents.decline")),
  )]) : [["none", currentLanguageTag(), () => el("li", { class: "hint" }, t("consents.none"))]]);
  for (const span of document.querySelectorAll("#consents [data-expires]")) span.textContent = remaining(span.dataset.expires);
}

/** The owner's time left to answer, as the stack's clock counts it (updated each second). */
function remaining(expiresAt) {
  const now = Date.parse(document.getElementById("clock-now")?.dataset.iso ?? "") || Date.now();
  const left = Math.max(0, Math.floor((Date.parse(expiresAt) - now) / 1000));
  return t("consents.left", { min: Math.floor(left / 60), sec: String(left % 60).padStart(2, "0"), until: time(expiresAt) });
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
  fillPeople();
  fillAddresses();
  const yesterday = new Date(Date.now() - 86400000).toISOString().slice(0, 10);
  $("moved-in-on").value = yesterday;
  $("person").addEventListener("change", () => { $("registrant").value = me(); signingRequestId = null; onChange(); });
  $("lang").addEventListener("change", () => { setLanguage($("lang").value); fillPeople(); fillAddresses(); onChange(); });
  const remembered = rememberedLanguage();
  if (remembered && [...$("lang").options].some((o) => o.value === remembered)) $("lang").value = remembered;
  $("kind").addEventListener("change", () => { $("months-label").hidden = $("kind").value !== "TEMPORARY"; });
  $("precheck").addEventListener("click", precheck);
  $("ask-code").addEventListener("click", askCode);
  $("submit-code").addEventListener("click", submitWithCode);
  $("submit-eds").addEventListener("click", submitWithEds);
  setLanguage($("lang").value);
  fillPeople();
}

/** The sample people to sign in as and to register, in the chosen language; the choices kept. */
function fillPeople() {
  const option = (p) => el("option", { value: p.iin }, `${p.name} — ${p.iin}${p.bmgPhone ? "" : ` (${t("people.noBmg")})`}`);
  for (const id of ["person", "registrant"]) {
    const chosen = $(id).value;
    $(id).replaceChildren(...people.map(option));
    if (chosen) $(id).value = chosen;
  }
}

export async function refresh() {
  await Promise.all([history(), consents(), properties()]);
}

export { people };
