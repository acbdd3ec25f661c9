"""The web client runs under the server's Content-Security-Policy: Chromium loads the
login page, a demo inspector logs in and the home screen renders, and the browser
reports no violation of the policy (neither a ``securitypolicyviolation`` event nor
a console message about it) on the way, beyond the one refusal the policy is for
(``EXPECTED_REFUSAL``). Real server process with the demo data,
Debian's Chromium.
"""

import pytest

from tests.e2e.conftest import PHONE, Phone

pytestmark = pytest.mark.e2e
# Flet's client asks jsdelivr for the Rive runtime at start-up, whether or not the app shows a Rive
# animation (it shows none). The policy refuses that third-party script on purpose (no CDN, no code
# from elsewhere); it is the one refusal expected, and nothing else may be refused.
EXPECTED_REFUSAL = "https://cdn.jsdelivr.net/npm/@rive-app/"

# Every violation the page sees, kept in the page: installed before any of its scripts run.
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.effectiveDirective} blocked ${e.blockedURI || '(inline)'} at ${e.sourceFile}:${e.lineNumber}`));
"""


def test_web_client_runs_under_the_csp_with_no_violation(server_process, browser, artifacts):
    server = server_process(ui=True, extra=("--demo",)).start(timeout=120)
    context = browser.new_context(viewport=PHONE, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    csp_messages: list[str] = []
    page.on("console", lambda m: csp_messages.append(m.text) if "Content Security Policy" in m.text else None)
    documents = []
    page.on("response", lambda r: documents.append(r) if r.request.resource_type == "document" else None)
    phone = Phone(page, artifacts, "xuncha")

    phone.open(server.url)
    policy = documents[0].headers.get("content-security-policy", "")
    # the page really is under a policy that refuses what the client does not need
    assert "script-src 'self' 'wasm-unsafe-eval' 'sha256-" in policy and "'unsafe-inline'" not in \
        policy.split("script-src")[1].split(";")[0], policy
    assert "frame-ancestors 'none'" in policy and "object-src 'none'" in policy, policy

    phone.login("xuncha", until="拍照 / 选照片")  # the home screen: the client runs, websocket and all
    page.wait_for_load_state("networkidle")
    phone.shot("home")

    violations = [v for v in page.evaluate("() => window.__cspViolations") if EXPECTED_REFUSAL not in v]
    messages = [m for m in csp_messages if EXPECTED_REFUSAL not in m]
    assert violations == [] and messages == [], (violations, messages)
