"""Tools for annotating the real-news set (issue 17); see docs/annotation-guide.md.

    python benchmarks/realnews_annotate.py views DIR            # numbered sentences to read (texts: keep out of git)
    python benchmarks/realnews_annotate.py check DIR [STORY...] # every problem in DIR/<story>.json
    python benchmarks/realnews_annotate.py convert DIR OUT      # references -> offsets (tests/data/realnews/gold)
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from realnews_data import check, convert, load_stories, render_view


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] not in ("views", "check", "convert"):
        print(__doc__)
        return 2
    command, folder = argv[0], Path(argv[1])
    if command == "views":
        folder.mkdir(parents=True, exist_ok=True)
        for story in load_stories():
            (folder / f"{story.id}.txt").write_text(render_view(story), encoding="utf-8")
        print(f"wrote {len(list(folder.glob('*.txt')))} views to {folder}")
        return 0
    wanted = argv[2:] if command == "check" else None
    failures = 0
    out = Path(argv[2]) if command == "convert" else None
    for story in load_stories(ids=wanted):
        path = folder / f"{story.id}.json"
        if not path.exists():
            continue
        try:
            annotation = json.loads(path.read_text(encoding="utf-8"))
        except ValueError as error:
            print(f"{path}: not valid JSON ({error})")
            failures += 1
            continue
        problems = check(story, annotation)
        for problem in problems:
            print(f"{story.id}: {problem}")
        failures += bool(problems)
        if command == "check" and not problems:
            print(f"{story.id}: ok")
        if out is not None and not problems:
            out.mkdir(parents=True, exist_ok=True)
            (out / f"{story.id}.json").write_text(json.dumps(convert(story, annotation), indent=1) + "\n", encoding="utf-8")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
