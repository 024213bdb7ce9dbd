"""Files that ship inside the package: the tokenizer, the JSON schema, and later lexicons."""

from __future__ import annotations

import os
from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    return Path(str(files(__name__).joinpath(name)))


def data_files(name: str, variable: str) -> list[str]:
    """A packaged data file and the user's own files of the same shape, listed in the environment
    variable `variable` (separated like PATH): curated data users extend without editing the package."""
    extra = os.environ.get(variable, "")
    return [str(resource_path(name))] + [p for p in extra.split(os.pathsep) if p]


def word_list(path: Path) -> frozenset[str]:
    """The words of a language-data file: white-space separated, lines starting with # left out."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return frozenset(w for line in lines if not line.lstrip().startswith("#") for w in line.split())
