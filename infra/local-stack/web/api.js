// Calls to the documented API (with a local token per person) and to the /_local routes.

const tokens = new Map();
let language = "en";
/** The console's own words, `key -> {kk, ru, en}` (`web/i18n.json`, held complete by a test). */
let texts = {};

export async function loadTexts() {
  texts = await (await fetch("/web/i18n.json")).json();
}

/** The console's text `key` in the chosen language, `{name}`s filled from `vars`. */
export function t(key, vars = {}) {
  const text = texts[key]?.[language] ?? texts[key]?.en ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ""));
}

/** Every element of the page that names a text (`data-i18n`, `data-i18n-label` for `aria-label`) in the chosen
 *  language. */
export function applyTexts() {
  for (const e of document.querySelectorAll("[data-i18n]")) e.textContent = t(e.dataset.i18n);
  for (const e of document.querySelectorAll("[data-i18n-label]")) e.setAttribute("aria-label", t(e.dataset.i18nLabel));
}

/** The reader's language: sent as `Accept-Language`, set on `<html lang>` (a screen reader reads by it), and
 *  remembered for the next visit. */
export function setLanguage(lang) {
  language = lang;
  document.documentElement.lang = lang;
  applyTexts();
  try { localStorage.setItem("lang", lang); } catch { /* storage may be off: the choice lasts the visit */ }
}

/** The language chosen on an earlier visit, if any. */
export function rememberedLanguage() {
  try { return localStorage.getItem("lang"); } catch { return null; }
}
export function currentLanguage() { return language; }

/** The stack's time (its clock can be moved ahead of this browser's). */
function stackNow() {
  return Date.parse(document.getElementById("clock-now")?.dataset.iso ?? "") || Date.now();
}

/** A token for `iin`, minted again a minute before it expires by the stack's clock (so no call is refused with
 *  401 after the clock was moved on). */
async function token(iin) {
  const known = tokens.get(iin);
  if (known && stackNow() < known.expiresAt - 60_000) return known.token;
  const r = await fetch("/_local/token", { method: "POST", body: JSON.stringify({ iin }) });
  const body = await r.json();
  tokens.set(iin, { token: body.token, expiresAt: stackNow() + (body.expiresIn ?? 3600) * 1000 });
  return body.token;
}

async function parse(r) {
  const text = await r.text();
  try { return text ? JSON.parse(text) : null; } catch { return text; }
}

/** A call to the API as `iin`, in the chosen language: { status, body }. A token that expired (the clock
 *  moved a day) is minted again once. */
export async function api(iin, method, path, body, headers = {}) {
  for (let attempt = 0; attempt < 2; attempt++) {
    const bearer = await token(iin);
    const r = await fetch(path, {
      method,
      headers: { "Authorization": `Bearer ${bearer}`, "Content-Type": "application/json", "Accept-Language": language, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 401 && attempt === 0) { tokens.delete(iin); continue; }
    return { status: r.status, body: await parse(r) };
  }
  return { status: 401, body: null };
}

/** A GET of a document (a certificate's PDF) as `iin`: { status, blob, number } or { status, body } when refused. */
export async function download(iin, path, accept) {
  const bearer = await token(iin);
  const r = await fetch(path, { headers: { "Authorization": `Bearer ${bearer}`, "Accept": accept, "Accept-Language": language } });
  if (r.status !== 200) return { status: r.status, body: await parse(r) };
  // `Link: <…/verify/RC…>; rel="related"`: the certificate's number is the check address's last part.
  const link = (r.headers.get("link") ?? "").replace(/^<([^>]*)>.*$/, "$1");
  return { status: 200, blob: await r.blob(), number: link.split("/").pop() };
}

/** A GET of a public route (no token): { status, body }. */
export async function publicGet(path) {
  const r = await fetch(path, { headers: { "Accept-Language": language } });
  return { status: r.status, body: await parse(r) };
}

/** A /_local route: GET without a body, POST with one. */
export async function local(path, body) {
  const r = body === undefined ? await fetch(`/_local${path}`) : await fetch(`/_local${path}`, { method: "POST", body: JSON.stringify(body) });
  return { status: r.status, body: await parse(r) };
}

/** An element: el("li", { class: "x" }, "text", child). */
export function el(tag, attrs = {}, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v); else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) if (c !== undefined && c !== null) e.append(c instanceof Node ? c : String(c));
  return e;
}

/** Keeps `container`'s children in step with `items` (`[key, signature, make]`) without rebuilding what did not
 *  change: an element whose key and signature are unchanged stays where it is (with the keyboard focus and the
 *  reader's place); a changed one is made anew; one no longer listed goes. */
export function patch(container, items) {
  const old = new Map([...container.children].filter((c) => c.dataset.key !== undefined).map((c) => [c.dataset.key, c]));
  for (const c of [...container.children]) if (c.dataset.key === undefined) c.remove();
  items.forEach(([key, sig, make], at) => {
    let node = old.get(key);
    if (!node || node.dataset.sig !== sig) {
      const fresh = make();
      fresh.dataset.key = key;
      fresh.dataset.sig = sig;
      if (node) node.replaceWith(fresh);
      node = fresh;
    }
    old.delete(key);
    const here = container.children[at];
    if (here !== node) container.insertBefore(node, here ?? null);
  });
  for (const gone of old.values()) gone.remove();
}

/** A problem+json body in words: its detail, with the field and rule codes. */
export function problemText(body) {
  if (!body || typeof body !== "object") return String(body ?? "");
  const where = body.field ? ` (${body.field}: ${body.rule})` : body.rule ? ` (${body.rule})` : "";
  return `${body.title ?? t("problem.error")}: ${body.detail ?? ""}${where}`;
}

const LOCALES = { kk: "kk-KZ", ru: "ru-RU", en: "en-GB" };

/** A time in the reader's format and Kazakhstan's time (UTC+5). */
export function time(iso) {
  if (!iso) return "";
  const at = new Date(iso);
  if (Number.isNaN(at.getTime())) return iso;
  return new Intl.DateTimeFormat(LOCALES[language] ?? "en-GB",
    { dateStyle: "medium", timeStyle: "medium", timeZone: "Asia/Almaty" }).format(at);
}

/** A day (`2026-12-07`) in the reader's format. */
export function day(date) {
  if (!date) return "";
  const at = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(at.getTime())) return date;
  return new Intl.DateTimeFormat(LOCALES[language] ?? "en-GB", { dateStyle: "medium", timeZone: "UTC" }).format(at);
}

/** A status code in words (the code itself stays in `data-status` for machines). */
export function statusWords(status) {
  return t(`status.${status}`);
}
