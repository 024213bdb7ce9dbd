"""`storydiff build-bias-model BABE.csv`: train the sentence bias classifier from your copy of BABE."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ..training.bias_model import EPOCHS
from . import app
from ._output import ExitCode, error, stderr


@app.command("build-bias-model")
def build_bias_model(
    babe: Annotated[Path, typer.Argument(help="BABE's final_labels_SG2.csv (';'-separated), from your own copy of the data set.")],
    epochs: Annotated[int, typer.Option("--epochs", help="Training epochs.", min=1)] = EPOCHS,
) -> None:
    """Fine-tune the sentence bias classifier on BABE (AGPL-3.0) into your cache; it never leaves
    your machine. Takes 10 to 20 minutes on two cores; needs `pip install 'storydiff[train]'`."""
    from storydiff.story.bias import model_dir

    if not babe.is_file():
        error(f"{babe}: no such file")
        raise typer.Exit(ExitCode.USAGE)
    try:
        import torch  # noqa: F401
        import transformers  # noqa: F401
    except ImportError:
        error("building the classifier needs torch and transformers: pip install 'storydiff[train]'")
        raise typer.Exit(ExitCode.ERROR) from None
    from storydiff.training.bias_model import build

    try:
        with stderr.status("training…") as status:
            path = build(babe, model_dir(), epochs=epochs, progress=lambda m: status.update(m))
    except ValueError as exc:
        error(str(exc))
        raise typer.Exit(ExitCode.USAGE) from None
    stderr.print(f"storydiff: the bias classifier is in {path.parent}; comparisons now flag biased sentences")
