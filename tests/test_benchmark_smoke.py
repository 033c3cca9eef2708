"""A fast smoke run of the benchmark (benchmarks/run.py) on a tiny journal.

It checks that the benchmark works and produces every figure, not how fast
publog is: performance targets are the benchmark's business, never a unit test's.
"""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
BENCH = REPO / "benchmarks"
N = 60


def _load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_generator_is_deterministic_and_links_entries(tmp_path: Path) -> None:
    make_journal = _load("make_journal")
    make_journal.write(tmp_path / "a", N)
    make_journal.write(tmp_path / "b", N)
    first = _tree(tmp_path / "a")
    assert first == _tree(tmp_path / "b")
    entries = {name for name in first if name.startswith("entries/")}
    assert len(entries) == N and "publog.yaml" in first
    linked = [text for name, text in first.items() if b"](" in text and b"This follows up on [" in text]
    assert linked, "some entries should link to earlier ones"
    for text in linked:
        target = text.split(b"This follows up on [", 1)[1].split(b"](", 1)[1].split(b")", 1)[0].decode()
        assert f"entries/{target}" in entries
    # A different seed writes a different journal.
    make_journal.write(tmp_path / "c", N, seed=1)
    assert _tree(tmp_path / "c") != first
    # publog's defaults (search on) unless asked; long entries with math and code leave the others as they are.
    assert b"search:" not in first["publog.yaml"]
    make_journal.write(tmp_path / "d", N, search=False, long=2)
    other = _tree(tmp_path / "d")
    assert b"search: false" in other.pop("publog.yaml")
    long = {name: text for name, text in other.items() if "-long-" in name}
    assert len(long) == 2 and {k: v for k, v in other.items() if k not in long} == {
        k: v for k, v in first.items() if k != "publog.yaml"}
    for text in long.values():
        assert 75_000 < len(text) < 90_000 and b"\n$$\n" in text and b" $" in text and b"```python" in text


def _peers_installed() -> bool:
    """Hugo and Eleventy are timed beside publog only when a benchmark run installed them already:
    the smoke run installs nothing."""
    found = _load("peers").installed(BENCH / "journals" / ".peers")
    return found.hugo is not None and found.eleventy is not None


@pytest.mark.slow
def test_benchmark_smoke_run(tmp_path: Path) -> None:
    work, report = tmp_path / "work", tmp_path / "figures.json"
    with_peers = _peers_installed()
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", str(N), "--repeat", "1", "--edit-after", "0.3",
         "--long", "1", "--work", str(work), "--json", str(report), *([] if with_peers else ["--no-peers"])],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"| figure | N={N} |" in proc.stdout
    assert "| target (issue 6) |" in proc.stdout
    assert f"| N={N} (median of 1) |" in proc.stdout and "| 1 long entry (median of 1) |" in proc.stdout
    assert "| target (issue 26) |" in proc.stdout

    data = json.loads(report.read_text(encoding="utf-8"))
    size = data["sizes"][str(N)]
    builds = size["builds"]
    assert set(builds) == {"cold", "nochange", "body", "title", "tags"}
    for build in builds.values():
        assert build["entries"] == N
        assert build["seconds"] > 0
    cold = builds["cold"]
    assert cold["pages"] > N and cold["written"] == cold["pages"]
    assert builds["nochange"]["written"] == 0
    for kind in ("body", "title", "tags"):
        assert 1 <= builds[kind]["written"] < cold["pages"]
    assert size["floor_1_job_s"] > 0 and size["floor_2_jobs_s"] > 0
    assert size["cold_over_floor_2_jobs"] > 0
    # Each build's stages as `publog build --timings` reported them.
    for kind in ("cold", "body", "title", "tags"):
        assert list(builds[kind]["stages"]) == ["read", "journal", "plan", "render", "write", "other"], kind
    assert list(builds["nochange"]["stages"]) == ["unchanged", "other"]
    assert 0 < size["cold_read_over_floor_2_jobs"] < size["cold_over_floor_2_jobs"]
    assert set(size["rebuild_over_cold"]) == {"nochange", "body", "title", "tags"}
    assert size["memory"]["max_rss_mb"] > 0 and size["memory"]["peak_pss_mb"] > 0
    assert size["memory"]["entries"] == N
    assert len(size["serve_edit_s"]) == 4 and all(t > 0 for t in size["serve_edit_s"])  # publog serve showed each edit
    # Targets are stated for N=4000 and N=10000, so none is judged on this journal.
    assert data["targets"] and all(t["passed"] is None for t in data["targets"])
    assert data["targets_issue_26"] and all(t["passed"] is None for t in data["targets_issue_26"])

    # Side by side: publog with its defaults and with `search: false`, cold and after an edit, with and without
    # the kept process; Hugo and Eleventy when installed.
    peers = {"hugo", "eleventy"} if with_peers else set()
    side = data["side_by_side"][str(N)]["figures"]
    expected = {f"cold:{p}" for p in {"publog", "publog-search-off", *peers}}
    expected |= {f"{k}:{p}" for k in ("edit", "kept") for p in ("publog", "publog-search-off")}
    expected |= {"edit:hugo"} if with_peers else set()
    assert set(side) == expected
    assert all(f["seconds"] > 0 and f["peak_mb"] > 0 for f in side.values())
    assert set(data["side_by_side"]["long-1"]["figures"]) == {f"cold:{p}" for p in {"publog", "publog-search-off", *peers}}

    # The edited entry was restored: the journal is still the generator's, byte for byte.
    make_journal = _load("make_journal")
    make_journal.write(tmp_path / "fresh", N)
    journal = work / str(N)
    assert not (journal / ".publog-cache").exists() and not (journal / "_site").exists()
    assert not list(work.glob(".trash-*")), "the folders moved aside for cold builds are deleted when the run ends"
    left = _tree(journal)
    assert left.pop(".bench-journal.json")  # the benchmark's stamp of what it generated
    assert left == _tree(tmp_path / "fresh")
    off = _tree(work / f"{N}-search-off")
    assert off.pop(".bench-journal.json") and b"search: false" in off.pop("publog.yaml")
    assert off == {k: v for k, v in left.items() if k != "publog.yaml"}
    assert not (work / f"{N}-search-off" / ".publog-cache").exists()


def test_the_community_generator_spreads_the_entries_over_members_and_keeps_their_links(tmp_path: Path) -> None:
    from publog.run.build import Options, build

    make_journal = _load("make_journal")
    make_journal.write_community(tmp_path / "c", N, 5)
    files = _tree(tmp_path / "c")
    per_member = {f"m{k:02d}": sum(name.startswith(f"members/m{k:02d}/") for name in files) for k in range(1, 6)}
    assert per_member == {m: N // 5 for m in per_member}
    assert any(b"](../m0" in text for text in files.values()), "some entries should link to another member's"
    result = build(tmp_path / "c", Options(strict=True))
    assert [str(p) for p in result.problems] == [] and result.entries == N


@pytest.mark.slow
def test_benchmark_smoke_run_of_a_community(tmp_path: Path) -> None:
    work, report = tmp_path / "work", tmp_path / "figures.json"
    proc = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--sizes", f"{N}/5", "--repeat", "1", "--no-memory", "--no-serve",
         "--no-daemon", "--edit-after", "0", "--no-peers", "--long", "0", "--work", str(work), "--json", str(report)],
        capture_output=True, text=True, timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"| figure | N={N}, 5 members |" in proc.stdout
    size = json.loads(report.read_text(encoding="utf-8"))["sizes"][f"{N}/5"]
    assert size["members"] == 5
    builds = size["builds"]
    assert all(b["entries"] == N for b in builds.values()) and builds["nochange"]["written"] == 0
    assert 1 <= builds["body"]["written"] < builds["cold"]["pages"]  # one member's edit: incremental
