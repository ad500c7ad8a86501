"""Two processes adding remarks while a third plans: nothing lost, nothing locked."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest

from tests.conftest import EXAMPLES, make_runner

pytestmark = [
    pytest.mark.slow,  # three processes for 160 writes
    pytest.mark.both_stores("locking and concurrency: writers and a planner at once"),
]

# Remarks each writer adds: enough for the two writers to interleave with each other and with
# several plans (each plan's process takes about a second to start); it was 200 each, in
# twice the time, for the same proof.
WRITES = 80

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
            [sys.executable, "-c", WORKER, store_target, tag, str(WRITES)],
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
    expected = {f"{tag} remark {i}" for tag in ("first", "second") for i in range(WRITES)}
    assert texts == expected
    assert plans and all(code == 0 for code in plans)
    print(f"2 x {WRITES} remark add, {len(plans)} plans meanwhile: {len(texts)} remarks, all 0")
