"""A missing browser, Java or Python package skips the readers' tools tests on a developer's machine,
and fails them in CI (CI set), so CI cannot go green by skipping them."""

from __future__ import annotations

import pytest

import readers_support
from readers_support import need_chromium, need_java, need_module


@pytest.mark.parametrize("ci", ["", "false", "0"])
def test_missing_tools_skip_outside_ci(monkeypatch: pytest.MonkeyPatch, tmp_path, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(readers_support, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    for need in (need_chromium, need_java, lambda: need_module("no_such_module_here", "no-such-package")):
        with pytest.raises(pytest.skip.Exception, match="is missing .*outside CI this test skips"):
            need()


@pytest.mark.parametrize("ci", ["true", "1", "yes"])
def test_missing_tools_fail_in_ci(monkeypatch: pytest.MonkeyPatch, tmp_path, ci: str) -> None:
    monkeypatch.setenv("CI", ci)
    monkeypatch.setattr(readers_support, "CHROMIUM", str(tmp_path / "chromium"))
    monkeypatch.setenv("PATH", str(tmp_path))
    for need in (need_chromium, need_java, lambda: need_module("no_such_module_here", "no-such-package")):
        with pytest.raises(pytest.fail.Exception, match="CI is set, so this is a failure, not a skip"):
            need()


def test_ci_unset_is_not_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    assert not readers_support.in_ci()
