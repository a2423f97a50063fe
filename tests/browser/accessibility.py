"""The axe-core accessibility check in the browser tests: axe is vendored under vendor/axe-core/ and injected
into the page under test; it is never part of the pages the app serves.

Only violations of the WCAG 2.0/2.1/2.2 A and AA rules with a serious or critical impact fail a test.
"""

from pathlib import Path

AXE_SCRIPT = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_VERSION = "4.14.1"  # pinned: see vendor/README.md to update
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
FAILING_IMPACTS = ("serious", "critical")

# The app's Content-Security-Policy refuses inline scripts, and Playwright injects a script file's text inline:
# contexts that run axe bypass the policy (the smoke tests check the policy itself).
CONTEXT_OPTIONS = {"bypass_csp": True}


def axe_violations(page) -> list[dict]:
    """The serious and critical WCAG A/AA violations on the page as it is now.

    Each is ``{"rule", "impact", "help", "targets"}``; targets are CSS selectors of the offending elements.
    """
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_SCRIPT))
    version = page.evaluate("axe.version")
    assert version == AXE_VERSION, f"vendored axe-core is {version}, the tests pin {AXE_VERSION}"
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})""",
        WCAG_TAGS)
    return [{"rule": v["id"], "impact": v["impact"], "help": v["help"],
             "targets": [" ".join(map(str, node["target"])) for node in v["nodes"]]}
            for v in results["violations"] if v["impact"] in FAILING_IMPACTS]


def describe(where: str, violations: list[dict]) -> list[str]:
    """One line per violation: the page, the rule and its impact, and the elements at fault."""
    return [f"{where}: {v['rule']} ({v['impact']}: {v['help']}) on {len(v['targets'])} element(s): "
            + ", ".join(v["targets"]) for v in violations]
