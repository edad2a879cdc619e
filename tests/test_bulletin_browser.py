"""The HTML bulletin in a real browser (Debian's chromium, headless): no horizontal overflow at
1,400 px, and it prints to a PDF. Skipped only when chromium is not installed (`.ci/run`
installs it). `UPDATE_SCREENSHOT=1` also writes docs/bulletin.png, the README's screenshot."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.test_bulletin import seed_bulletin

from liuxia_tracker.i18n import Language
from liuxia_tracker.render.bulletin_html import render

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium fonts-noto-cjk)"
)
ROOT = Path(__file__).resolve().parents[1]

# Writes the widths into the page, so --dump-dom shows what the browser measured.
_MEASURE = """
<script>
window.addEventListener("load", () => {
  const out = document.createElement("pre");
  out.id = "measured";
  out.textContent = "scroll=" + document.documentElement.scrollWidth + " inner=" + window.innerWidth;
  document.body.appendChild(out);
});
</script>
"""


def chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    return subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("browser")
    path = folder / "bulletin.html"
    path.write_text(render(seed_bulletin("2023-Q2", "2023-07-31"), Language.ZH), "utf-8")
    return path


def test_no_horizontal_overflow_at_1400_pixels(page: Path, tmp_path: Path) -> None:
    measured = page.with_name("measured.html")
    measured.write_text(page.read_text("utf-8").replace("</body>", _MEASURE + "</body>"), "utf-8")
    done = chromium(
        "--window-size=1400,900", "--virtual-time-budget=3000", "--dump-dom",
        measured.as_uri(), profile=tmp_path / "profile",
    )  # fmt: skip
    found = re.search(r"scroll=(\d+) inner=(\d+)", done.stdout)
    assert found is not None, done.stderr[-2000:]
    scroll, inner = int(found[1]), int(found[2])
    assert inner == 1400
    assert scroll <= inner


def test_it_prints_to_pdf(page: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "bulletin.pdf"
    done = chromium(
        f"--print-to-pdf={pdf}", "--no-pdf-header-footer", page.as_uri(),
        profile=tmp_path / "profile",
    )  # fmt: skip
    assert pdf.exists(), done.stderr[-2000:]
    content = pdf.read_bytes()
    assert content.startswith(b"%PDF") and content.count(b"/Type /Page") >= 2


def test_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "bulletin.png"
    done = chromium(
        "--window-size=1400,1800", "--hide-scrollbars", f"--screenshot={shot}", page.as_uri(),
        profile=tmp_path / "profile",
    )  # fmt: skip
    assert shot.exists(), done.stderr[-2000:]
    assert shot.read_bytes().startswith(b"\x89PNG")
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copy(shot, ROOT / "docs" / "bulletin.png")
