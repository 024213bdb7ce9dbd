"""Paths as people give them: unreadable, dangling, special, or storydiff's own output. Each is one
skipped input with its reason; none stops the run."""

import os
import shutil
from pathlib import Path

import pytest

from storydiff import IngestOptions, read_articles

from .conftest import EXAMPLES

BODY = (
    "The city council voted on Tuesday to close the old ferry terminal by the end of the year, "
    "ending ninety years of service across the bay. Council members said the terminal needed repairs "
    "costing more than it could raise, and that a new bus link would replace the crossing."
)


def _reasons(skipped):
    return {s.source: s.reason for s in skipped}


def test_a_path_that_cannot_be_looked_at_is_skipped_not_fatal(tmp_path, monkeypatch):
    good = tmp_path / "good.txt"
    good.write_text(BODY, encoding="utf-8")
    locked = tmp_path / "locked" / "a.txt"
    original = Path.stat

    def stat(self, *args, **kwargs):  # what a folder without search permission does (root ignores modes)
        if self == locked:
            raise PermissionError(13, "Permission denied", str(self))
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Path, "stat", stat)
    articles, skipped = read_articles([str(locked), str(good)])
    assert len(articles) == 1
    assert "permission denied" in _reasons(skipped)[str(locked)]


def test_a_dangling_link_and_system_files_are_skipped(tmp_path):
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "nowhere.txt")
    articles, skipped = read_articles([str(link), "/proc/self/mem", "/proc/cpuinfo", "/dev/null"])
    reasons = _reasons(skipped)
    assert articles == []
    assert "broken symbolic link" in reasons[str(link)]
    assert "special file of the system" in reasons["/proc/self/mem"]
    assert "special file of the system" in reasons["/proc/cpuinfo"]
    assert "not a regular file (a device)" in reasons["/dev/null"]


def test_a_pipe_given_by_name_is_read_like_stdin(tmp_path):
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)  # what `<(cat a.txt)` and /dev/stdin hand over

    def write():
        with open(fifo, "w", encoding="utf-8") as handle:
            handle.write(BODY)

    writer = threading.Thread(target=write)
    writer.start()
    articles, skipped = read_articles([str(fifo)])
    writer.join(timeout=10)
    assert skipped == [] and "ferry terminal" in articles[0].text


def test_a_directory_walk_counts_what_it_cannot_read(tmp_path):
    for name in ("a.txt", "b.txt"):
        (tmp_path / name).write_text(f"{BODY} It was filed as {name}.", encoding="utf-8")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "photo.jpg").write_bytes(b"\xff\xd8\xff")  # not an article file: not counted
    articles, skipped = read_articles([str(tmp_path)])
    assert len(articles) == 2
    reasons = _reasons(skipped)  # a pipe in a folder is never waited on; each failure named
    assert set(reasons) == {str(tmp_path / "gone.txt"), str(tmp_path / "pipe.txt")}
    assert "broken symbolic link" in reasons[str(tmp_path / "gone.txt")]
    assert "named pipe" in reasons[str(tmp_path / "pipe.txt")]


def test_a_walk_names_the_first_failures_and_counts_the_rest(tmp_path):
    from storydiff.ingest._sources import NAMED_FAILURES

    (tmp_path / "good.txt").write_text(BODY, encoding="utf-8")
    for i in range(NAMED_FAILURES + 3):
        (tmp_path / f"gone{i:02d}.txt").symlink_to(tmp_path / "nowhere.txt")
    articles, skipped = read_articles([str(tmp_path)])
    assert len(articles) == 1 and len(skipped) == NAMED_FAILURES + 1
    assert skipped[-1] .source == str(tmp_path) and skipped[-1].reason.startswith("and 3 more files or folders")


def test_storydiff_never_reads_its_own_reports(tmp_path, bridge_comparison):
    folder = tmp_path / "story"
    shutil.copytree(EXAMPLES / "halvern-bridge", folder)
    (folder / "report.html").write_text(bridge_comparison.to_html(), encoding="utf-8")
    (folder / "report.json").write_text(bridge_comparison.to_json(), encoding="utf-8")
    (folder / "report.md").write_text(bridge_comparison.to_markdown(), encoding="utf-8")
    articles, skipped = read_articles([str(folder)])
    assert len(articles) == 3 and skipped == []  # in a folder: left out, like a photo
    articles, skipped = read_articles([str(folder / "report.md")])
    assert articles == [] and "its own output" in skipped[0].reason  # named: said why


def test_the_file_being_written_is_no_input(tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text(BODY, encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(BODY.replace("Tuesday", "Monday"), encoding="utf-8")
    articles, skipped = read_articles([str(tmp_path)], options=IngestOptions(exclude=frozenset({str(target)})))
    assert [a.source for a in articles] == [str(other)]
    articles, skipped = read_articles([str(target)], options=IngestOptions(exclude=frozenset({str(target)})))
    assert articles == [] and "writes its result to" in skipped[0].reason
