"""Everything in examples/ runs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

pytestmark = pytest.mark.slow  # the demo script, a subprocess per command


def test_demo_script_runs(tmp_path):
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    result = subprocess.run(
        ["bash", str(EXAMPLES / "demo.sh"), str(tmp_path / "demo")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "Added 42 remarks" in result.stdout
    assert "Kestrel Robotics" in result.stdout
    assert "Traceback" not in result.stderr
    # the plan wrote into the demo store's own week folder, and said where
    (ics,) = (tmp_path / "demo" / "weeks").glob("*/focusblock-*.ics")
    assert str(ics) in result.stdout
