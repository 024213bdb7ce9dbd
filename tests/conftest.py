"""Shared fixtures. Tests that read the real data in ../shared skip cleanly when it is absent."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("STORYDIFF_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
IRAQ = SHARED / "examples" / "iraq-withdrawal"


def shared_path(*parts: str) -> Path:
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"needs the shared data set at {path}")
    return path


@pytest.fixture(scope="session")
def iraq_comparison():
    """The real example pair, compared once for every test that reads it."""
    import storydiff

    shared_path("examples", "iraq-withdrawal")
    return storydiff.compare([str(IRAQ / "presstv.txt"), str(IRAQ / "middleeasteye.txt")])


@pytest.fixture(scope="session")
def bridge_comparison():
    """The bundled made-up example: three outlets, three input forms."""
    import storydiff

    return storydiff.compare([str(EXAMPLES / "halvern-bridge")])
