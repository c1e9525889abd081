"""Where the ontology, query packs, data and build output live.

A source checkout (``pip install -e .``) reads ``ontology/``, ``queries/`` and
``data/`` beside the package; an installed wheel carries copies in
``kg/_resources``. The data and build folders can be moved with options or the
environment variables ``KG_DATA_DIR`` and ``KG_BUILD_DIR``.
"""

from __future__ import annotations

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
REPO_DIR = PACKAGE_DIR.parent
RESOURCES = PACKAGE_DIR / "_resources"


def _resource(name: str) -> Path:
    """A shipped folder: the checkout's copy if present, else the wheel's."""
    local = REPO_DIR / name
    if local.is_dir():
        return local
    return RESOURCES / name


def ontology_dir() -> Path:
    """The folder holding ``kg.ttl``, ``shapes.ttl`` and the SKOS vocabularies."""
    return _resource("ontology")


def queries_dir() -> Path:
    """The folder holding the SPARQL query packs."""
    return _resource("queries")


def data_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The fact folder: the option, else ``$KG_DATA_DIR``, else ``./data`` if it holds
    ``authorities.yaml``, else the shipped data."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KG_DATA_DIR")
    if env:
        return Path(env)
    cwd = Path.cwd() / "data"
    if is_data_dir(cwd):
        return cwd
    return _resource("data")


def build_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The build output folder: the option, else ``$KG_BUILD_DIR``, else ``./kg-build``."""
    if explicit:
        return Path(explicit)
    env = os.environ.get("KG_BUILD_DIR")
    if env:
        return Path(env)
    return Path.cwd() / "kg-build"


def ontology_files() -> list[Path]:
    """The ontology and vocabulary Turtle files (not the shapes), in a stable order."""
    return sorted(p for p in ontology_dir().glob("*.ttl") if p.name != "shapes.ttl")


def derived_queries() -> list[Path]:
    """The CONSTRUCT queries whose results make the derived graph (``ontology/derived/*.rq``)."""
    return sorted((ontology_dir() / "derived").glob("*.rq"))


def shapes_file() -> Path:
    """The SHACL shapes."""
    return ontology_dir() / "shapes.ttl"


def is_data_dir(folder: Path) -> bool:
    """Whether ``folder`` holds fact files: an authority registry (``authorities.yaml`` or ``authorities/``)."""
    return (folder / "authorities.yaml").is_file() or (folder / "authorities").is_dir()
