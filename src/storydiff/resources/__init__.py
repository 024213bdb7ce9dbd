"""Files that ship inside the package: the tokenizer, the JSON schema, and later lexicons."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path


def resource_path(name: str) -> Path:
    return Path(str(files(__name__).joinpath(name)))
