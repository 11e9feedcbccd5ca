"""The start-chat asset without Docker: the lambdas/ folder, plus pure-Python packages copied from the
environment that synthesizes (the pinned versions of requirements.txt), for the few the layer lacks."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from importlib.metadata import distribution
from pathlib import Path
from typing import Any

import jsii
from aws_cdk import BundlingOptions, DockerImage, ILocalBundling
from aws_cdk import aws_lambda as lambda_

# The start-chat asset: lambdas/ without the bot's code hook (zipped alone in its own function).
ASSET_EXCLUDES = ("triage_bot", "**/__pycache__", "*.pyc", "**/openapi.json", "**/.mypy_cache")


def lambda_code(source: Path, packages: Sequence[str]) -> lambda_.Code:
    """``source`` as the function's code; with ``packages`` (distribution names), those copied in too."""
    if not packages:
        return lambda_.Code.from_asset(str(source), exclude=list(ASSET_EXCLUDES))
    return lambda_.Code.from_asset(
        str(source),
        exclude=list(ASSET_EXCLUDES),
        bundling=BundlingOptions(
            # Never pulled: local bundling always succeeds (synth stays offline, no Docker).
            image=DockerImage.from_registry("local-bundling-only"),
            local=PurePythonPackages(source, packages),
        ),
    )


@jsii.implements(ILocalBundling)
class PurePythonPackages:
    """Copies ``source`` and the installed files of ``packages`` into the asset folder."""

    def __init__(self, source: Path, packages: Sequence[str]) -> None:
        """``packages`` must be pure Python: the files run as they are on Lambda's arm64."""
        self.source = source
        self.packages = tuple(packages)

    def try_bundle(self, output_dir: str, *_options: Any, **_keywords: Any) -> bool:
        """Write the asset into ``output_dir``; always succeeds (the bundling options do not apply)."""
        ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "openapi.json", ".mypy_cache")
        shutil.copytree(self.source, output_dir, ignore=ignore, dirs_exist_ok=True)
        for package in self.packages:
            for file in distribution(package).files or ():
                path = Path(str(file.locate()))
                skipped = "__pycache__" in file.parts or ".." in file.parts or path.suffix == ".pyc"
                if skipped or not path.is_file():
                    continue
                target = Path(output_dir, *file.parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
        return True
