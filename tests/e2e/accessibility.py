"""axe-core, from the axe-playwright-python package (no download at test time).

Every page a browser test loads is audited: the browser fixture's contexts inject axe-core into
each document and run it on `load`, with the WCAG 2.2 rules on (axe leaves `target-size`, its one
wcag22aa rule, off by default). The serious and critical violations are reported back to Python
through a binding; a test that loaded a page with any of them fails at teardown.
"""

import contextlib
import json
from pathlib import Path

import axe_playwright_python
from playwright.sync_api import Error as PlaywrightError

SERIOUS = ["serious", "critical"]
AXE_OPTIONS = {"rules": {"target-size": {"enabled": True}}, "resultTypes": ["violations"]}
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()

# Runs in every document of an audited context, top frame only. The audit's promise is kept so
# that an explicit `serious_violations(page)` waits for it: axe refuses two runs at once.
AUDIT_ON_LOAD = f"""
{AXE_SOURCE}
if (window.top === window) {{
  window.addEventListener("load", () => {{
    window.__axeAudit = axe.run(document, {json.dumps(AXE_OPTIONS)}).then((results) => {{
      const serious = results.violations.filter((v) => {json.dumps(SERIOUS)}.includes(v.impact));
      window.__reportAxe(location.href, serious.map((v) => ({{
        id: v.id, help: v.help, targets: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
      }})));
    }}).catch(() => {{}});
  }});
}}
"""


class AuditedBrowser:
    """The session's Chromium; each context it makes audits every page it loads."""

    def __init__(self, browser):
        self._browser = browser
        self.audited_urls: set[str] = set()
        self.violations: list[str] = []

    def __getattr__(self, name):
        return getattr(self._browser, name)

    def new_context(self, **options):
        context = self._browser.new_context(**options)
        context.add_init_script(script=AUDIT_ON_LOAD)
        context.expose_binding("__reportAxe", self._record)
        return context

    def new_page(self, **options):
        return self.new_context(**options).new_page()

    def _record(self, source, url: str, violations: list[dict]) -> None:
        # Called from the browser's event loop: only remember, never call back into Playwright.
        self.audited_urls.add(url.split("?")[0])
        self.violations += [f"{url}: {v['id']}: {v['help']} {v['targets']}" for v in violations]


def serious_violations(page) -> list[str]:
    """The serious and critical axe-core violations on the page as it is now, as readable lines."""
    violations = page.evaluate(
        """async (options) => {
            await window.__axeAudit;
            return (await axe.run(document, options)).violations;
        }""",
        AXE_OPTIONS,
    )
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} nodes)"
        for violation in violations
        if violation["impact"] in SERIOUS
    ]


def finish_audit(page) -> None:
    """Wait for the audit of the page's last document, so a test's last page is audited too."""
    with contextlib.suppress(PlaywrightError):  # closed by its test: nothing left to audit
        page.evaluate("async () => { await window.__axeAudit; }")
