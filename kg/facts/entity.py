"""An entity of the dataset: a record kind of the model, its key, its field values and its sources."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..model.spec import model


@dataclass
class Source:
    """One report of a fact: the document, its items and the extractor's confidence."""

    doc_id: str
    items: list[str]
    confidence: float | None = None


@dataclass(frozen=True)
class LegalBasisRef:
    """A resolved legal basis: an instrument key and the articles applied."""

    instrument: str
    articles: tuple[int, ...] = ()


class Entity:
    """One merged or resolved record. Field values are read as attributes (``inst.title``; a field
    not given reads as None, or [] for a list field); they are written through :attr:`values`."""

    __slots__ = ("doc_id", "field_confidence", "field_origin", "key", "record", "reports", "values")

    def __init__(self, record: str, key: str, values: dict[str, Any] | None = None, *, doc_id: str | None = None,
                 reports: list[Source] | None = None):
        self.record = record  # the record kind of the model (instrument, action ...)
        self.key = key
        self.values: dict[str, Any] = dict(values or {})
        self.doc_id = doc_id  # the reporting document, for facts that belong to one
        self.reports: list[Source] = list(reports or [])  # the documents and items that report it
        self.field_confidence: dict[str, float] = {}
        self.field_origin: dict[str, str] = {}  # where each merged value came from

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        spec = model().kinds[object.__getattribute__(self, "record")].fields.get(name)
        if spec is None:
            raise AttributeError(f"a {self.record} has no field {name!r}")
        return [] if spec.many or spec.type in ("items", "path", "legal-basis", "parties") else None

    def copy(self) -> Entity:
        """A copy whose values, reports and provenance can change without changing this one."""
        values = {k: list(v) if isinstance(v, list) else v for k, v in self.values.items()}
        other = Entity(self.record, self.key, values, doc_id=self.doc_id, reports=self.reports)
        other.field_confidence = dict(self.field_confidence)
        other.field_origin = dict(self.field_origin)
        return other

    def list(self, name: str) -> list:
        """The list value of a field, created empty if absent (to append to)."""
        return self.values.setdefault(name, [])

    def __repr__(self) -> str:
        return f"Entity({self.record} {self.key!r})"
