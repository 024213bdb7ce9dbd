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
    assert err.strip().splitlines()[-1] == "storydiff: one article to compare: storydiff needs at least two different articles"


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


def test_output_folder_must_exist(tmp_path):
    target = tmp_path / "no" / "such" / "r.html"
    done = run("compare", BRIDGE, "-o", target)
    assert done.returncode == 5
    assert done.stderr.decode().strip() == f"storydiff: cannot write {target}: the folder {target.parent} does not exist"
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("value", ["yesterday", "2020-13-45"])
def test_a_date_that_is_no_day_is_a_usage_error(value):
    done = run("compare", BRIDGE / "eastport-gazette.html", BRIDGE / "metro-wire.json", "--date", value)
    assert done.returncode == 2
    assert f"--date {value!r} is not a date" in done.stderr.decode()


def test_piping_into_head_is_no_error():
    process = subprocess.Popen([sys.executable, "-m", "storydiff", "compare", str(BRIDGE)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    process.stdout.readline()
    process.stdout.close()  # what `| head -1` does after its line
    assert process.wait(timeout=120) == 0
    assert process.stderr.read() == b""


def test_a_report_written_into_the_folder_is_not_compared_next_time(tmp_path):
    import shutil

    folder = tmp_path / "story"
    shutil.copytree(BRIDGE, folder)
    for _ in range(2):
        done = run("compare", folder, "-o", folder / "report.html", "-q")
        assert done.returncode == 0, done.stderr.decode()
    data = json.loads(run("compare", folder, "-f", "json").stdout)
    assert data["summary"]["articles"] == 3


def test_the_word_cap_is_documented_and_can_be_raised(tmp_path):
    help_text = " ".join(run("compare", "--help").stdout.decode().split())
    assert "--max-words" in help_text and "10000" in help_text and "square of the length" in help_text
    long = tmp_path / "long.txt"
    long.write_text(" ".join(f"The council met again on day {i} and talked about the harbour." for i in range(1200)), encoding="utf-8")
    done = run("compare", long, BRIDGE / "metro-wire.json", BRIDGE / "eastport-gazette.html", "-q")
    assert done.returncode == 3
    assert "the cap is 10,000): split it into its articles, or raise the cap (--max-words" in done.stderr.decode()


def test_naming_an_input_as_the_output_is_a_usage_error_and_changes_nothing(tmp_path):
    import shutil

    folder = tmp_path / "story"
    shutil.copytree(BRIDGE, folder)
    before = (folder / "metro-wire.json").read_bytes()
    done = run("compare", folder / "metro-wire.json", folder / "coastline-daily.txt", "-o", folder / "metro-wire.json")
    assert done.returncode == 2 and "it is one of the inputs" in done.stderr.decode()
    assert (folder / "metro-wire.json").read_bytes() == before


def test_a_result_redirected_into_the_folder_is_not_an_input(tmp_path):
    import shutil

    folder = tmp_path / "story"
    shutil.copytree(BRIDGE, folder)
    with open(folder / "out.json", "wb") as handle:
        done = subprocess.run([sys.executable, "-m", "storydiff", "compare", str(folder), "-f", "json"], stdout=handle, stderr=subprocess.PIPE, timeout=120)
    assert done.returncode == 0, done.stderr.decode()
    assert json.loads((folder / "out.json").read_text(encoding="utf-8"))["summary"]["articles"] == 3


def test_stdin_by_name_is_read():
    data = (BRIDGE / "coastline-daily.txt").read_bytes()
    done = run("compare", "/dev/stdin", BRIDGE / "metro-wire.json", "-q", stdin=data)
    assert done.returncode == 0, done.stderr.decode()
