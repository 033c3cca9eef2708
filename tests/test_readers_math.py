"""Math on a phone: a formula in a sentence that is wider than the column scrolls in its place, and the page
does not scroll sideways (as 17 of lil-log's 37 posts did at 390 px); a short one stays in its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import entry, write
from publog.cli.main import main
from readers_support import axe_problems, chromium, horizontal_overflow, serve

pytestmark = pytest.mark.slow

LONG = (r"$\mathcal{L}(\theta) = \mathbb{E}_{x \sim p_\text{data}}\left[\log p_\theta(x)\right] - \beta \, "
        r"D_\text{KL}\left(q_\phi(z \mid x) \,\|\, p(z)\right) + \lambda \sum_{i=1}^{N} \lVert \theta_i \rVert^2$")


def test_a_long_formula_in_a_sentence_scrolls_in_place_on_a_phone(tmp_path: Path) -> None:
    root = write(tmp_path / "journal", {
        "publog.yaml": "title: Maths\nbase_url: https://example.org/\n",
        "entries/2024-01-01-loss.md": entry("The loss", "2024-01-01", f"The loss is {LONG} in full, and $a+b$ is short."),
    })
    assert main(["build", str(root), "--no-daemon", "--out", str(tmp_path / "site")]) == 0
    with serve(tmp_path / "site") as url, chromium() as browser:
        page = browser.new_page(viewport={"width": 390, "height": 844})
        page.goto(url + "2024/loss/")
        assert horizontal_overflow(page) == 0
        wide = page.locator(".content .math-inline")
        assert wide.count() == 1 and wide.evaluate("m => m.scrollWidth > m.clientWidth")  # scrolls in its place
        short = page.locator(".content math").last
        text_line = page.locator(".content p").first.bounding_box()
        assert short.bounding_box()["width"] < 100 and short.bounding_box()["y"] >= text_line["y"]
        problems, _ = axe_problems(page, "phone")
        assert problems == []
