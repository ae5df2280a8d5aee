"""benchmarks/bench.py: its rows and goals, what it measures of a process, its report,
and one tiny run of every row against a real store (slow: real processes are the point).

No test here asserts on a timing: the benchmark's figures are read by people.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "benchmarks" / "bench.py"

#: Every command the goals of benchmarks/README.md name, by the row that times it.
GOAL_ROWS = {
    "add": "light",
    "edit": "light",
    "delete": "light",
    "undo": "light",
    "log": "light",
    "client-list": "light",
    "client-show": "light",
    "task-list": "light",
    "task-show": "light",
    "info": "light",
    "change": "light",
    "estimate": "light",
    "decide": "light",
    "history": "light",
    "review": "at 1M",
    "report-month": "at 1M",
    "report-all": "whole",
    "start": "quick",
    "stop": "quick",
    "status": "quick",
}


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench"] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        if hasattr(module, "SPAWNER"):
            module.SPAWNER.close()
        sys.modules.pop("bench", None)


def test_every_command_of_the_goals_has_a_row_with_its_goal(bench):
    goals = {"light": bench.LIGHT, "at 1M": bench.AT_1M, "whole": bench.WHOLE, "quick": bench.QUICK}
    assert {key: bench.ROW_BY_KEY[key].goal for key in GOAL_ROWS} == {
        key: goals[kind] for key, kind in GOAL_ROWS.items()
    }
    assert (bench.LIGHT.ms, bench.LIGHT.ratio, bench.QUICK.ratio) == (150, 7.5, 3)
    assert (bench.AT_1M.ms, bench.AT_1M.size) == (300, 1_000_000)
    assert (bench.WHOLE.ms, bench.WHOLE.mib, bench.WHOLE.size) == (2000, 100, 1_000_000)
    assert (bench.IMPORT_GOAL.ms, bench.IMPORT_GOAL.mib) == (10_000, 100)


def test_only_times_the_rows_named_and_always_the_baseline(bench):
    assert bench.parse_args(["--only", "log,status"]).rows == ["pass", "status", "log"]
    assert bench.parse_args([]).rows == [row.key for row in bench.ROWS]


def test_only_refuses_a_row_it_does_not_have(bench, capsys):
    with pytest.raises(SystemExit) as stopped:
        bench.parse_args(["--only", "status,nosuch"])
    assert stopped.value.code == 2
    assert "no row nosuch; the rows are pass, floor, status" in capsys.readouterr().err


def test_a_goal_names_each_bound_a_median_exceeds(bench):
    assert bench.LIGHT.misses(149.0, 7.4, 300.0) == []
    assert bench.LIGHT.misses(160.0, 8.0, None) == ["160 ms > 150 ms", "x8.0 > x7.5"]
    assert bench.WHOLE.misses(1900.0, 95.0, 120.0) == ["120 MiB > 100 MiB"]
    assert bench.WHOLE.applies(1_000_000) and not bench.WHOLE.applies(100_000)
    assert bench.LIGHT.applies(0) and bench.LIGHT.applies(1_000_000)


TOUCH_64_MIB = "b = bytearray(64 * 2**20); b[::4096] = b'x' * len(b[::4096])"


def test_a_process_is_timed_with_its_own_peak_memory_not_the_benchmarks(bench):
    # A child's max RSS starts from the high-water mark of the process it is forked
    # from: this one is made to peak at 256 MiB, and must not show in the figures.
    ballast = bytearray(256 * 2**20)
    ballast[::4096] = b"x" * len(ballast[::4096])
    seconds, big = bench.run_measured([sys.executable, "-c", TOUCH_64_MIB], {})
    _seconds, small = bench.run_measured([sys.executable, "-c", "pass"], {})
    del ballast
    assert seconds > 0
    assert big is not None and 64 <= big < 200
    assert small is not None and small < 64


def test_a_process_that_fails_stops_the_benchmark_with_its_stderr(bench):
    with pytest.raises(bench.BenchError, match="exited with 1") as failed:
        bench.run_measured([sys.executable, "-c", "raise SystemExit('broken store')"], {})
    assert "broken store" in str(failed.value)


def _result(bench, medians: dict[str, float], peaks: dict[str, float]) -> dict:
    return {
        "samples": {name: [ms, ms] for name, ms in medians.items()},
        "max_rss_mib": {name: [peaks.get(name, 30.0)] for name in medians},
        "fixture": {"build_seconds": 1.0, "built": "2026-12-06"},
        "reused": False,
        "store": {"entries": 0, "month_entries": 0, "running": 0, "bytes": 4096},
    }


def test_the_report_holds_each_row_to_its_goal_with_the_peak_memory(bench, capsys):
    rows = ["python -c pass", "mansioni status", "mansioni info", "mansioni report (whole history)"]
    results = {
        "0": _result(bench, dict(zip(rows, (20.0, 40.0, 100.0, 300.0), strict=True)), {}),
        "1000000": _result(
            bench,
            dict(zip(rows, (20.0, 70.0, 110.0, 2500.0), strict=True)),
            {"mansioni report (whole history)": 180.0},
        ),
    }
    # decide is not timed where its task has no entries to judge (N=0): a "-" there
    results["1000000"]["samples"]["mansioni decide"] = [120.0]
    results["1000000"]["max_rss_mib"]["mansioni decide"] = [30.0]
    meta = {"skipped": ["mansioni history: `mansioni history --help` exited with 2"]}
    bench.report_sizes(results, meta)
    out = capsys.readouterr().out
    assert "2500.0 ms (x125.0), 180 MiB" in out  # the memory goal's row shows its peak
    goals = out[out.index("goals (") :]
    assert "over: x3.5 > x3" in goals  # status at 1M: 70 ms over a 20 ms python
    assert "over: 2500 ms > 2000 ms, 180 MiB > 100 MiB" in goals
    assert "x1.10" in goals.split("mansioni info")[1].splitlines()[0]  # flat, from N=0 to 1M
    assert "goals missed: 2" in out
    decide = [" ".join(line.split()) for line in out.splitlines() if "mansioni decide" in line]
    assert decide == [
        "mansioni decide <=150 ms, <=x7.5 - 120.0 ms (x6.0)",  # median
        "mansioni decide - 120.0 ms",  # min
        "mansioni decide - 30 MiB",  # peak memory
        "mansioni decide <=150 ms, <=x7.5 - ok",  # goals: no growth from a single size
    ]
    assert "mansioni history: `mansioni history --help` exited with 2" in out


def test_a_row_whose_command_the_tool_lacks_is_left_out_with_a_note(
    bench, monkeypatch, tmp_path, isolated_home, capsys
):
    monkeypatch.setattr(bench, "SCRATCH", tmp_path)
    monkeypatch.setitem(
        bench.ROW_BY_KEY, "history", bench.Row("history", "mansioni history", needs=(("nosuch",),))
    )
    rows, notes = bench.available_rows(bench.find_tool(), ["pass", "history"])
    assert [row.key for row in rows] == ["pass"]
    assert notes == ["mansioni history: `mansioni nosuch --help` exited with 2"]
    assert "the row is skipped" in capsys.readouterr().out


@pytest.mark.slow
def test_one_tiny_run_times_every_row_and_leaves_the_store_reusable(
    bench, monkeypatch, tmp_path, isolated_home
):
    stores = tmp_path / "stores"
    monkeypatch.setattr(bench, "STORES", stores)
    monkeypatch.setattr(bench, "TEMPLATE", stores / "_template")
    monkeypatch.setattr(bench, "SCRATCH", stores / "_scratch")
    monkeypatch.setattr(bench, "BYTECODE_CACHE", None)  # main sets it; put it back after
    # One client with the timer's task and the story's: 3 commands make the template.
    monkeypatch.setattr(bench, "CLIENTS", ("Studio Rossi",))
    monkeypatch.setattr(bench, "TASKS", ("newsletter", "inbox"))
    saved = tmp_path / "results.json"
    argv = ["--sizes", "10", "--runs", "1", "--warmup", "0", "--keep", "--json", str(saved)]
    assert bench.main([*argv, "--import-sizes", "10", "--import-runs", "1"]) == 0

    results = json.loads(saved.read_text())
    timed = results["results"]["10"]
    names = [row.name for row in bench.ROWS]
    assert results["meta"]["skipped"] == []
    assert {name: len(values) for name, values in timed["samples"].items()} == dict.fromkeys(
        names, 1
    )
    assert all(mib > 0 for values in timed["max_rss_mib"].values() for mib in values)
    assert list(timed["max_rss_mib"]) == names
    imported = results["imports"]["10"]
    assert all(len(values) == 1 for values in imported["max_rss_mib"].values())
    # The writes (add, edit, undo, delete, change, estimate, decide) left the fixture
    # as it was: the next run reuses the store. The timer's entry is the one addition.
    assert bench.store_ok(stores / "10", 10) is not None
    assert timed["store"]["entries"] == 11


def test_the_figures_come_out_as_the_readmes_markdown_table(bench):
    rows = ["python -c pass", "mansioni status", "mansioni report (whole history)"]
    results = {
        "0": _result(bench, dict(zip(rows, (20.0, 40.0, 300.0), strict=True)), {}),
        "1000000": _result(
            bench,
            dict(zip(rows, (20.0, 70.0, 2500.0), strict=True)),
            {"mansioni report (whole history)": 180.0},
        ),
    }
    lines = bench.markdown(results, {}).splitlines()
    assert lines[0] == "| row | goal | N=0 | N=1,000,000 | goal met |"
    assert lines[2:] == [
        "| `python -c pass` |  | 20 ms (x1.0) | 20 ms (x1.0) |  |",
        "| `mansioni status` | <=x3 | 40 ms (x2.0) | 70 ms (x3.5) | no: over x3 at 1M |",
        "| `mansioni report (whole history)` | <=2 s, <=100 MiB at 1M | 300 ms (x15.0), 30 MiB"
        " | 2500 ms (x125.0), 180 MiB | no: over 2000 ms at 1M; over 100 MiB at 1M |",
    ]
