"""Commands at once on one store (two adding remarks while a third plans; twenty editing one
remark): nothing lost, nothing locked, no traceback."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import EXAMPLES, make_runner
from tests.helpers import start_focusblock

pytestmark = [
    pytest.mark.slow,  # three processes for 400 writes
    pytest.mark.both_stores("locking and concurrency: writers and a planner at once"),
]

WORKER = textwrap.dedent(
    """
    import sys
    from click.testing import CliRunner
    from focusblock.cli import cli

    target, tag, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    runner = CliRunner()
    failures = []
    for i in range(count):
        result = runner.invoke(cli, ["--db", target, "remark", "add", "Acme", f"{tag} remark {i}"])
        if result.exit_code != 0:
            failures.append((i, result.exit_code, result.output[-300:], repr(result.exception)))
    print(len(failures))
    for failure in failures[:5]:
        print(failure, file=sys.stderr)
    """
)


def test_two_writers_and_a_planner_lose_nothing(store_target, tmp_path):
    run = make_runner(store_target)
    run(
        "account",
        "add",
        "Acme",
        "--need",
        "n",
        "--consequence",
        "c",
        "--decision-date",
        "2027-01-01",
    )
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", WORKER, store_target, tag, "200"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for tag in ("first", "second")
    ]
    plans = []
    while any(w.poll() is None for w in writers):
        plan = subprocess.run(
            [
                sys.executable,
                "-m",
                "focusblock",
                "--db",
                store_target,
                "plan",
                "--busy",
                str(EXAMPLES / "calendar.ics"),
                "--out",
                str(tmp_path / "plan.ics"),
            ],
            capture_output=True,
            text=True,
            timeout=120,
        )
        plans.append(plan.returncode)
        assert plan.returncode == 0, plan.stderr
    outputs = [w.communicate(timeout=300) for w in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "0", err
    texts = {r["text"] for r in json.loads(run("remark", "list", "--all", "--json").stdout)}
    expected = {f"{tag} remark {i}" for tag in ("first", "second") for i in range(200)}
    assert texts == expected
    assert plans and all(code == 0 for code in plans)
    print(f"2 x 200 remark add with {len(plans)} plans meanwhile: {len(texts)} remarks, all exit 0")


def test_parallel_edits_of_one_remark_are_kept_or_refused_in_one_line(store_target, run):
    """20 `remark edit` of one remark at once: each is stored (its text is the remark's or
    one of its earlier versions) or, having lost a race it could not retry past, says so
    in one line with exit 9; none is lost, none ends in a traceback or exit 1."""
    run("account", "add", "Acme")
    remark_id = json.loads(run("remark", "add", "Acme", "first words", "--json").stdout)["id"]
    edits = [
        start_focusblock(store_target, "remark", "edit", str(remark_id), "--text", f"edit {n}")
        for n in range(20)
    ]
    results = [(n, e.wait(timeout=300), *e.communicate()) for n, e in enumerate(edits)]
    codes = sorted(code for _, code, _, _ in results)
    print(f"20 parallel remark edit: exit codes {codes}")
    for n, code, out, err in results:
        assert code in (0, 9), (n, code, err)
        assert "Traceback" not in err, err
        if code == 0:
            assert out.startswith(f"Updated remark #{remark_id}"), out
        else:  # one line (after the line a SQLite command says when it has to wait)
            said = [line for line in err.splitlines() if not line.startswith("waiting for")]
            assert len(said) == 1 and said[0].startswith("Error: another focusblock"), err
            assert said[0].endswith("nothing was saved; run it again"), err
    stored = [f"edit {n}" for n, code, _, _ in results if code == 0]
    shown = json.loads(run("remark", "show", str(remark_id), "--json").stdout)
    history = [version["text"] for version in shown["history"]]
    final = shown["remark"]["text"]
    assert final in stored
    # each stored edit replaced the one before it: the first words, then every edit but
    # the last as an earlier version, each once
    assert history[0] == "first words"
    assert sorted([*history[1:], final]) == sorted(stored)
