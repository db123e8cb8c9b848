"""The web console in a real browser (Debian's chromium, driven by Playwright): run by the Rust test
`tests/tests/browser.rs` against a local stack on a random port. Usage: console_test.py BASE_URL SCREENSHOT_DIR.

Each journey clicks what a person would; a failed expectation exits non-zero with what was on the page."""

import os
import re
import sys

from playwright.sync_api import expect, sync_playwright

BASE, OUT = sys.argv[1], sys.argv[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
DAULET, AIGERIM, GULNARA, YERLAN = "880702300117", "900315400017", "791205400313", "950909300613"
TIMUR = "050404501115"
PHONE_DAULET, PHONE_AIGERIM = "+77010000002", "+77010000001"
FLAT_AIGERIM = "0201500000000001"
FLAT_CO_OWNED = "0201500000000002"
NO_BMG_KK = "Өтініш берушінің телефон нөмірі Мобильді азаматтар базасында (БМГ) жоқ."
NO_BMG_RU = "Номер телефона заявителя не зарегистрирован в базе мобильных граждан (БМГ)."
expect.set_options(timeout=10_000)


AXE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "infra", "node_modules", "axe-core", "axe.min.js")


def axe_violations(page):
    """axe-core (WCAG 2.1 A and AA rules) on what the page shows now: each violation with its nodes."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=AXE)
    result = page.evaluate(
        "async () => (await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })).violations"
        ".map((v) => `${v.id}: ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)"
    )
    return result


def tab_to(page, selector, limit=120):
    """Presses Tab until the focus is on `selector`: it must be reachable by keyboard."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} is not reachable with Tab")


def choose(page, selector, typed):
    """Picks an option of a select by keyboard: Tab to it, type the start of the option's text."""
    tab_to(page, selector)
    page.keyboard.type(typed)


def with_the_keyboard_only(page):
    # Timur asks to register at Aigerim's flat, she approves, he reads REGISTERED: no mouse.
    page.keyboard.press("Escape")
    tab_to(page, 'nav a[data-view="citizen"]')
    page.keyboard.press("Enter")
    choose(page, "#person", "Timur")
    expect(page.locator("#person")).to_have_value(TIMUR)
    choose(page, "#rka", "Astana, Mangilik")
    expect(page.locator("#rka")).to_have_value(FLAT_AIGERIM)
    choose(page, "#reason", "Rental")
    tab_to(page, "#submit-eds")
    page.keyboard.press("Enter")
    app_id = submitted_id(page)
    item = page.locator(f'#history li[data-id="{app_id}"]')
    expect(item).to_have_attribute("data-status", "AWAITING_CONSENT")
    choose(page, "#person", "Aigerim")
    expect(page.locator("#person")).to_have_value(AIGERIM)
    request = page.locator("#consents li[data-consent]")
    expect(request).to_have_count(1)
    tab_to(page, "#consents li[data-consent] button:not(.secondary)")
    page.keyboard.press("Enter")
    expect(request).to_have_count(0)
    choose(page, "#person", "Timur")
    expect(page.locator(f'#history li[data-id="{app_id}"]')).to_have_attribute("data-status", "REGISTERED")


def a_refused_field_is_named_and_focused(page):
    fill_form(page, DAULET, DAULET, FLAT_AIGERIM, "FAMILY_MEMBER")
    page.locator("#moved-in-on").fill("2099-01-01")
    page.get_by_role("button", name="Pre-check").click()
    control = page.locator("#moved-in-on")
    expect(control).to_have_attribute("aria-invalid", "true")
    expect(control).to_have_attribute("aria-describedby", "precheck-result")
    expect(control).to_be_focused()
    page.locator("#moved-in-on").fill("2026-12-01")


def the_language_is_remembered_and_set_on_the_page(page):
    view(page, "Citizen app")
    page.get_by_label("Language").select_option("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    page.reload()
    expect(page.locator("#lang")).to_have_value("ru")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.locator("#precheck")).to_have_text("Предварительная проверка")
    page.locator("#lang").select_option("en")
    expect(page.locator("html")).to_have_attribute("lang", "en")


def the_consoles_own_words_follow_the_language(page):
    view(page, "Citizen app")
    page.locator("#person").select_option(DAULET)
    page.locator("#lang").select_option("kk")
    expect(page.get_by_role("link", name="Азамат қосымшасы")).to_be_visible()
    expect(page.locator("#precheck")).to_have_text("Алдын ала тексеру")
    expect(page.locator('#history li[data-status="REGISTERED"] .badge').first).to_have_text("Тіркелді")
    page.locator("#lang").select_option("ru")
    expect(page.locator("#precheck")).to_have_text("Предварительная проверка")
    expect(page.locator('#history li[data-status="REGISTERED"] .badge').first).to_have_text("Зарегистрировано")
    page.locator("#lang").select_option("en")
    expect(page.locator("#precheck")).to_have_text("Pre-check")


def every_view_in_every_language_passes_axe(page, app_id):
    found = []
    for lang in ["kk", "ru", "en"]:
        page.locator('nav a[data-view="citizen"]').click()
        page.locator("#lang").select_option(lang)
        page.locator("#person").select_option(DAULET)
        for name in ["citizen", "phones", "verify", "operator"]:
            page.locator(f'nav a[data-view="{name}"]').click()
            if name == "operator":
                row = page.locator(f'#executions tr[data-execution="{app_id}"]')
                row.focus()
                page.keyboard.press("Enter")
                expect(page.locator("#execution-name")).to_have_text(app_id)
            found += [f"{lang} {name}: {v}" for v in axe_violations(page)]
    page.locator('nav a[data-view="citizen"]').click()
    page.locator("#lang").select_option("en")
    assert not found, "axe-core found:\n" + "\n".join(found)


def view(page, name):
    page.get_by_role("link", name=name).click()


def fill_form(page, person, registrant, rka, reason):
    view(page, "Citizen app")
    page.get_by_label("Signed in as").select_option(person)
    page.get_by_label("Who is registered").select_option(registrant)
    page.get_by_label("Address").select_option(rka)
    page.get_by_label("Reason").select_option(reason)


def submitted_id(page):
    result = page.locator("#submit-result")
    expect(result).to_contain_text("Submitted")
    return re.search(r"(app-[0-9a-f-]+)", result.inner_text()).group(1)


def open_execution(page, app_id):
    view(page, "Operator console")
    row = page.locator(f'#executions tr[data-execution="{app_id}"]')
    row.focus()
    page.keyboard.press("Enter")  # keyboard-usable: a row opens with Enter
    expect(page.locator("#execution-name")).to_have_text(app_id)


def state(page, name):
    return page.locator(f'#graph [data-state="{name}"]')


def registration_with_the_owners_consent_from_the_phone(page):
    fill_form(page, DAULET, DAULET, FLAT_AIGERIM, "FAMILY_MEMBER")
    page.get_by_role("button", name="Pre-check").click()
    expect(page.locator("#precheck-result")).to_contain_text("CONSENT_REQUIRED")
    page.get_by_role("button", name="Get a signing code").click()
    expect(page.locator("#submit-result")).to_contain_text("A code was sent")
    view(page, "Phones")
    phone = page.locator(f'[data-phone="{PHONE_DAULET}"]')
    expect(phone.locator(".sms").last).to_contain_text("1414")
    code = re.search(r"\b(\d{6})\b", phone.locator(".sms").last.inner_text()).group(1)
    view(page, "Citizen app")
    page.get_by_label("Signing code from 1414").fill(code)
    page.get_by_role("button", name="Sign with the code and submit").click()
    app_id = submitted_id(page)
    view(page, "Phones")
    owner = page.locator(f'[data-phone="{PHONE_AIGERIM}"]')
    expect(owner.locator(".quick button").first).to_contain_text("ИӘ")
    page.screenshot(path=f"{OUT}/phones.png", full_page=True)
    owner.locator(".quick button").first.click()
    expect(owner.locator(".sms.out")).to_contain_text("APPROVED")
    view(page, "Citizen app")
    item = page.locator(f'#history li[data-id="{app_id}"]')
    expect(item).to_have_attribute("data-status", "REGISTERED")
    expect(item.locator('[data-event="CONSENT_APPROVED"]')).to_have_count(1)
    page.screenshot(path=f"{OUT}/citizen.png", full_page=True)
    return app_id


def the_graph_shows_the_path_taken(page, app_id):
    open_execution(page, app_id)
    expect(page.locator("#execution-status")).to_have_attribute("data-status", "SUCCEEDED")
    for name in ["CheckEligibility", "RouteDecision", "RequestConsents", "AwaitOwnerConsent", "Finalize"]:
        expect(state(page, name)).to_have_attribute("data-status", "succeeded")
    for name in ["ConsentExpired", "RecordFailure", "RegistrationFailed"]:
        expect(state(page, name)).to_have_attribute("data-status", "not-reached")
    expect(page.locator('#iterations tr[data-iteration="0"]')).to_contain_text("Succeeded")
    expect(page.locator('#events tr[data-type="ExecutionSucceeded"]')).to_have_count(1)
    assert "880702300117" not in page.locator("#events").inner_text(), "the history carries ids only"


def an_expiry_through_the_clock_buttons(page):
    fill_form(page, GULNARA, GULNARA, FLAT_AIGERIM, "FAMILY_MEMBER")
    page.get_by_role("button", name="Sign with EDS (test PKI) and submit").click()
    app_id = submitted_id(page)
    item = page.locator(f'#history li[data-id="{app_id}"]')
    expect(item).to_have_attribute("data-status", "AWAITING_CONSENT")
    expect(item).to_contain_text("signed with EDS: certificate")
    expect(item).to_contain_text("(GOST)")
    open_execution(page, app_id)
    expect(state(page, "AwaitOwnerConsent")).to_have_attribute("data-status", "waiting")
    expect(state(page, "RequestConsents")).to_have_attribute("data-status", "running")
    page.get_by_role("button", name="+1 minute").click()
    expect(page.locator("#execution-status")).to_have_attribute("data-status", "RUNNING")
    page.get_by_role("button", name="+1 hour").click()
    expect(page.locator("#execution-status")).to_have_attribute("data-status", "SUCCEEDED")
    expect(state(page, "AwaitOwnerConsent")).to_have_attribute("data-status", "caught")
    expect(state(page, "ConsentExpired")).to_have_attribute("data-status", "failed")
    expect(state(page, "RequestConsents")).to_have_attribute("data-status", "caught")
    expect(state(page, "Finalize")).to_have_attribute("data-status", "succeeded")
    expect(page.locator('#events tr[data-type="TaskTimedOut"]')).to_have_count(1)
    page.get_by_label("Status").select_option("SUCCEEDED")
    expect(page.locator(f'#executions tr[data-execution="{app_id}"]')).to_have_count(1)
    page.get_by_label("Status").select_option("RUNNING")
    expect(page.locator(f'#executions tr[data-execution="{app_id}"]')).to_have_count(0)
    page.get_by_label("Status").select_option("")
    page.screenshot(path=f"{OUT}/operator.png", full_page=True)
    view(page, "Citizen app")
    page.get_by_label("Signed in as").select_option(GULNARA)
    expect(item).to_have_attribute("data-status", "CANCELLED")
    expect(item).to_contain_text("CONSENT_EXPIRED")


def a_refusal_in_kazakh_and_russian(page):
    fill_form(page, YERLAN, YERLAN, FLAT_AIGERIM, "RENTAL")
    page.get_by_role("button", name="Sign with EDS (test PKI) and submit").click()
    app_id = submitted_id(page)
    item = page.locator(f'#history li[data-id="{app_id}"]')
    expect(item).to_have_attribute("data-status", "REJECTED")
    page.locator("#lang").select_option("kk")
    expect(item.locator(".reason")).to_contain_text(NO_BMG_KK)
    expect(item.locator(".badge")).to_have_text("Бас тартылды")
    page.locator("#lang").select_option("ru")
    expect(item.locator(".reason")).to_contain_text(NO_BMG_RU)
    expect(item.locator(".badge")).to_have_text("Отказано")
    expect(item.locator('[data-event="SUBMITTED"]')).to_contain_text("подписано ЭЦП")
    page.screenshot(path=f"{OUT}/refusal-ru.png", full_page=True)
    page.locator("#lang").select_option("en")


def an_owner_answers_in_the_app(page):
    # Gulnara asks once more, and Aigerim approves in her app instead of by SMS.
    fill_form(page, GULNARA, GULNARA, FLAT_AIGERIM, "FAMILY_MEMBER")
    page.get_by_role("button", name="Sign with EDS (test PKI) and submit").click()
    app_id = submitted_id(page)
    page.get_by_label("Signed in as").select_option(AIGERIM)
    request = page.locator("#consents li[data-consent]")
    expect(request).to_have_count(1)
    request.get_by_role("button", name="Approve").click()
    expect(page.locator("#consents li[data-consent]")).to_have_count(0)
    page.get_by_label("Signed in as").select_option(GULNARA)
    expect(page.locator(f'#history li[data-id="{app_id}"]')).to_have_attribute("data-status", "REGISTERED")


def a_pending_application_is_withdrawn(page):
    fill_form(page, DAULET, DAULET, FLAT_CO_OWNED, "RENTAL")
    page.get_by_role("button", name="Sign with EDS (test PKI) and submit").click()
    app_id = submitted_id(page)
    item = page.locator(f'#history li[data-id="{app_id}"]')
    expect(item).to_have_attribute("data-status", "AWAITING_CONSENT")
    # The focus stays on Withdraw across the once-a-second refreshes (the list is updated in place).
    item.get_by_role("button", name="Withdraw").focus()
    page.wait_for_timeout(2500)
    assert page.evaluate("document.activeElement.textContent") == "Withdraw", "the focus was lost by a refresh"
    page.keyboard.press("Enter")
    # Withdraw asks first; "Keep it" changes nothing.
    expect(item.get_by_role("button", name="Confirm withdrawal")).to_be_focused()
    item.get_by_role("button", name="Keep it").click()
    expect(item).to_have_attribute("data-status", "AWAITING_CONSENT")
    item.get_by_role("button", name="Withdraw").click()
    item.get_by_role("button", name="Confirm withdrawal").click()
    expect(item).to_have_attribute("data-status", "CANCELLED")
    expect(item).to_contain_text("WITHDRAWN")
    expect(item.get_by_role("button", name="Withdraw")).to_have_count(0)


def a_certificate_is_downloaded_and_checked(page, app_id):
    # Daulet, registered at Aigerim's (the first journey), downloads his certificate; anyone checks its number.
    view(page, "Citizen app")
    page.get_by_label("Signed in as").select_option(DAULET)
    item = page.locator(f'#history li[data-id="{app_id}"]')
    with page.expect_download() as download:
        item.get_by_role("button", name="Download certificate").click()
    path = download.value.path()
    with open(path, "rb") as f:
        assert f.read(5) == b"%PDF-", "the download is a PDF"
    number = re.search(r"(RC[0-9A-Z]{26})", download.value.suggested_filename).group(1)
    expect(item.locator('[data-event="CERTIFICATE_ISSUED"]')).to_have_count(1)
    # Aigerim, the owner, sees him registered at her flat.
    page.get_by_label("Signed in as").select_option(AIGERIM)
    expect(page.locator(f'#properties li[data-rka="{FLAT_AIGERIM}"]')).to_contain_text("Serikov D.")
    view(page, "Check a certificate")
    page.get_by_label("Certificate number or QR code link").fill(f"{BASE}/verify/{number}")
    page.get_by_role("button", name="Check").click()
    expect(page.locator('#verify-result [data-genuine="true"]')).to_contain_text("Genuine")
    expect(page.locator("#verify-result")).not_to_contain_text(DAULET)
    page.screenshot(path=f"{OUT}/verify.png", full_page=True)
    page.get_by_label("Certificate number or QR code link").fill("RC" + "0" * 26)
    page.get_by_role("button", name="Check").click()
    expect(page.locator('#verify-result [data-genuine="false"]')).to_contain_text("Not genuine")


def what_people_type_is_shown_as_text(page):
    # An attacker's reply (any phone can text 1414) and what 1414 answers to it are text, never markup.
    view(page, "Phones")
    phone = page.locator(f'[data-phone="{PHONE_DAULET}"]')
    hostile = '<img src=x onerror="window.__xss=1">'
    phone.get_by_label(f"Reply from {PHONE_DAULET}").fill(hostile)
    phone.get_by_role("button", name="Send").click()
    expect(phone.locator(".sms.out").last).to_contain_text(hostile)
    assert page.evaluate("window.__xss") is None, "a reply was run as markup"
    assert page.locator("#phones img").count() == 0


def the_metrics_count_what_happened(page):
    view(page, "Operator console")
    expect(page.locator('#metrics tr[data-metric="ApplicationsRegistered"] td')).to_have_text("3")
    expect(page.locator('#metrics tr[data-metric="ApplicationsSubmitted"] td')).to_have_text("6")


def a_day_later_no_call_is_refused(page):
    # The stack's clock moves a day on (the tokens' lifetime): the console renews them before they expire, so
    # no request is answered 401 (the failed-request check of main() sees every response).
    view(page, "Citizen app")
    page.locator("#person").select_option(DAULET)
    page.request.post(f"{BASE}/_local/clock/advance", data='{"seconds": 86400}')
    page.wait_for_timeout(2500)
    expect(page.locator(f'#history li[data-status="REGISTERED"]').first).to_be_visible()


def on_a_phone_sized_screen(browser):
    page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
    page.goto(f"{BASE}/#citizen")
    expect(page.get_by_label("Signed in as")).to_be_visible()
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"the citizen app scrolls sideways by {overflow}px on a phone"
    page.screenshot(path=f"{OUT}/citizen-phone.png", full_page=True)
    page.close()


def main():
    os.makedirs(OUT, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        errors = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        # No request fails in any journey: no network error, no 5xx, and no call left refused 401 (an expired
        # token). A poll already on its way when the test moves the stack's clock behind the console's back can
        # meet the authorizer with a token the clock has just outrun; api.js then mints one and asks again at
        # once, so a 401 counts when the same call never succeeds afterwards. Refusals the journeys ask for (422,
        # 404 of a made-up number) are answers, not failures.
        failed = []
        answered = []
        page.on("requestfailed", lambda r: failed.append(f"{r.method} {r.url}: {r.failure}"))
        page.on("response", lambda r: r.status >= 500 and failed.append(f"{r.request.method} {r.url}: {r.status}"))
        page.on("response", lambda r: answered.append((r.request.method, r.url, r.status)))
        page.goto(f"{BASE}/")
        expect(page).to_have_title(re.compile("Residence registration"))
        app_id = registration_with_the_owners_consent_from_the_phone(page)
        the_graph_shows_the_path_taken(page, app_id)
        page.screenshot(path=f"{OUT}/operator-registered.png", full_page=True)
        a_certificate_is_downloaded_and_checked(page, app_id)
        every_view_in_every_language_passes_axe(page, app_id)
        the_language_is_remembered_and_set_on_the_page(page)
        the_consoles_own_words_follow_the_language(page)
        with_the_keyboard_only(page)
        a_refused_field_is_named_and_focused(page)
        an_expiry_through_the_clock_buttons(page)
        a_refusal_in_kazakh_and_russian(page)
        an_owner_answers_in_the_app(page)
        a_pending_application_is_withdrawn(page)
        what_people_type_is_shown_as_text(page)
        the_metrics_count_what_happened(page)
        a_day_later_no_call_is_refused(page)
        on_a_phone_sized_screen(browser)
        assert not errors, f"JavaScript errors: {errors}"
        for i, (method, url, status) in enumerate(answered):
            if status == 401 and not any(m == method and u == url and st < 400 for m, u, st in answered[i + 1:]):
                failed.append(f"{method} {url}: 401, never answered after")
        assert not failed, "failed requests:\n" + "\n".join(failed)
        browser.close()
    print("browser suite: 16 journeys passed")


if __name__ == "__main__":
    main()
