"""The command line: formats, output files, errors on one line, documented exit codes."""

import json
import subprocess
import sys

import pytest

from .conftest import EXAMPLES

BRIDGE = EXAMPLES / "halvern-bridge"


def run(*args, stdin: bytes | None = None):
    return subprocess.run(
        [sys.executable, "-m", "storydiff", *map(str, args)], input=stdin, capture_output=True, timeout=120
    )


@pytest.fixture(scope="module")
def bridge_json():
    done = run("compare", BRIDGE, "--format", "json")
    assert done.returncode == 0, done.stderr.decode()
    return json.loads(done.stdout)


def test_json_to_stdout(bridge_json):
    assert bridge_json["summary"]["articles"] == 3
    assert {a["outlet"] for a in bridge_json["articles"]} == {"Coastline Daily", "The Eastport Gazette", "Metro Wire Service"}


def test_summary_by_default():
    done = run("compare", BRIDGE / "eastport-gazette.html", BRIDGE / "metro-wire.json")
    assert done.returncode == 0
    out = done.stdout.decode()
    assert "Reported by all" in out and "Only in Metro Wire Service" in out


def test_output_file_format_from_suffix(tmp_path):
    for name, marker in (("report.html", "<!DOCTYPE html>"), ("report.md", "# "), ("report.json", '{\n  "schema_version"')):
        target = tmp_path / name
        done = run("compare", BRIDGE, "-o", target, "-q")
        assert done.returncode == 0, done.stderr.decode()
        assert target.read_text(encoding="utf-8").lstrip().startswith(marker)


def test_skipped_inputs_exit_3_with_one_line_each(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    done = run("compare", BRIDGE, empty, tmp_path / "missing.html", "-q")
    assert done.returncode == 3
    lines = done.stderr.decode().strip().splitlines()
    assert lines == [
        f"storydiff: skipped {empty}: the input is empty",
        f"storydiff: skipped {tmp_path / 'missing.html'}: no such file or directory",
    ]


def test_nothing_to_compare_exits_4(tmp_path):
    done = run("compare", BRIDGE / "metro-wire.json", tmp_path / "missing.txt")
    assert done.returncode == 4
    err = done.stderr.decode()
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == "storydiff: one article to compare: storydiff needs at least two"


def test_usage_errors_exit_2(tmp_path):
    assert run("compare", BRIDGE, "--format", "xml").returncode == 2
    assert run("compare", BRIDGE, "-o", tmp_path / "report.pdf").returncode == 2
    assert run("compare").returncode == 2
    assert run("compare", BRIDGE, "--outlet", "A", "--outlet", "B").returncode == 2


def test_stdin_and_overrides():
    text = (BRIDGE / "coastline-daily.txt").read_bytes()
    done = run("compare", "-", BRIDGE / "metro-wire.json", "--outlet", "Pasted", "--date", "", "--date", "2026-03-05", "-f", "json", stdin=text)
    assert done.returncode == 0, done.stderr.decode()
    data = json.loads(done.stdout)
    assert [a["outlet"] for a in data["articles"]] == ["Pasted", "Metro Wire Service"]
    assert [a["published"] for a in data["articles"]] == [None, "2026-03-05"]
    assert data["articles"][0]["source"] == "stdin"


def test_version():
    done = run("--version")
    assert done.returncode == 0 and done.stdout.decode().startswith("storydiff ")
