"""What every journey does: log in, check accessibility with axe-core, take screenshots."""

from __future__ import annotations

import json
from pathlib import Path

from tests.e2e.conftest import AXE, DEMO_PASSWORD, SCREENSHOTS

#: axe-core impacts that fail a journey (WCAG 2.1 AA is the bar for Dutch public bodies).
BLOCKING_IMPACTS = {"serious", "critical"}
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def log_in(page, email: str, password: str = DEMO_PASSWORD) -> None:  # noqa: ANN001
    page.goto("/account/login")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Wachtwoord").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url("**/")


def assert_accessible(page) -> None:  # noqa: ANN001
    """Run axe-core on the current page; fail on serious or critical violations."""
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )
    blocking = [
        {
            "id": violation["id"],
            "impact": violation["impact"],
            "help": violation["help"],
            "targets": [node["target"] for node in violation["nodes"]][:5],
        }
        for violation in result["violations"]
        if violation["impact"] in BLOCKING_IMPACTS
    ]
    assert not blocking, f"{page.url}:\n{json.dumps(blocking, indent=2, ensure_ascii=False)}"


def screenshot(page, name: str) -> Path:  # noqa: ANN001
    """Save a full-page screenshot as ``test-artifacts/screenshots/<name>.png``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
