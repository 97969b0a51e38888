"""axe-core in the browser tests: npm's package, installed once by the test setup into
artifacts/npm (not committed), injected into the page as a script."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

AXE_VERSION = "4.10.2"
AXE_DIR = Path(__file__).resolve().parents[2] / "artifacts" / "npm"


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core from npm, installed once by the test setup into artifacts/ (not committed)."""
    path = AXE_DIR / "node_modules" / "axe-core" / "axe.min.js"
    if not path.exists():
        AXE_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run(  # noqa: S603
            [  # noqa: S607 - npm from PATH, as make test installs it
                "npm",
                "install",
                "--no-save",
                "--no-audit",
                "--no-fund",
                "--prefix",
                str(AXE_DIR),
                f"axe-core@{AXE_VERSION}",
            ],
            check=True,
            capture_output=True,
            timeout=300,
        )
    return path.read_text()


def axe_violations(page, axe_source: str) -> list[dict]:
    # Evaluated through the DevTools protocol: a <script> tag would be refused by the CSP.
    page.evaluate(axe_source)
    result = page.evaluate("async () => (await axe.run(document)).violations")
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]]} for v in result
    ]
