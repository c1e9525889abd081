"""YAML reading and writing for the fact files, with line numbers for every error.

The loader keeps the line of every mapping key and sequence item, refuses
duplicate keys, and leaves dates and ``yes``/``no`` as strings (so a bad date
such as ``2025-02-30`` or a country code such as ``NO`` reaches the validator,
which reports it with its file and line).
"""

from __future__ import annotations

import os
import re
import tempfile
from pathlib import Path
from typing import Any

import yaml

from ..errors import FactError
from ..paths import respect_umask

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_BOOL = "tag:yaml.org,2002:bool"
_STR = "tag:yaml.org,2002:str"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"


class LMap(dict):
    """A mapping that remembers the line of itself and of each key (1-based)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.key_lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        """The line of ``key``, or of the mapping if the key is absent."""
        return self.key_lines.get(key, self.line)


class LList(list):
    """A sequence that remembers the line of itself and of each item (1-based)."""

    line: int = 0

    def __init__(self, *args: Any):
        super().__init__(*args)
        self.item_lines: list[int] = []

    def line_of(self, index: int) -> int:
        """The line of item ``index``."""
        return self.item_lines[index] if index < len(self.item_lines) else self.line


def _resolvers(base: dict) -> dict:
    return {
        first: [(tag, rx) for tag, rx in entries if tag not in (_TIMESTAMP, _BOOL)]
        for first, entries in base.items()
    }


_STRICT_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")


# libyaml's parser (CSafeLoader) when PyYAML was built with it: about ten times faster than the
# pure-Python one; its nodes keep their marks, so every error still names its line
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_SafeLoader):
    pass


class _DuplicateKey(yaml.MarkedYAMLError):
    pass


_Loader.yaml_implicit_resolvers = _resolvers(yaml.SafeLoader.yaml_implicit_resolvers)
_Loader.add_implicit_resolver(_BOOL, _STRICT_BOOL, list("tTfF"))


def _construct(loader: _Loader, node: yaml.Node) -> Any:
    """The value of a node: a string's text at once (most nodes of a fact file; what the string
    constructor returns too), any other through the loader."""
    if node.tag == _STR and type(node) is yaml.ScalarNode:
        return node.value
    return loader.construct_object(node, deep=True)


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LMap:
    loader.flatten_mapping(node)
    result = LMap()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = _construct(loader, key_node)
        try:
            hash(key)
        except TypeError:
            raise _DuplicateKey(None, None, "a mapping key must be a plain value", key_node.start_mark) from None
        if key in result:
            first = result.key_lines[key]
            raise _DuplicateKey(
                None, None, f"duplicate key {key!r} (first at line {first})", key_node.start_mark
            )
        result[key] = _construct(loader, value_node)
        result.key_lines[key] = key_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LList:
    result = LList()
    result.line = node.start_mark.line + 1
    for child in node.value:
        result.append(_construct(loader, child))
        result.item_lines.append(child.start_mark.line + 1)
    return result


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def load_yaml(path: str | os.PathLike) -> Any:
    """Read a YAML file; raise :class:`FactError` naming the file and line on any problem."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FactError(str(path), None, "file not found") from None
    except UnicodeDecodeError as exc:
        raise FactError(str(path), None, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise FactError(str(path), None, f"cannot read: {exc.strerror}") from None
    return loads_yaml(text, str(path))


def loads_yaml(text: str, name: str = "<string>") -> Any:
    """Parse YAML text; errors name ``name`` and the line."""
    try:
        return yaml.load(text, Loader=_Loader)  # _Loader derives from (C)SafeLoader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise FactError(name, line, f"YAML error: {problem}") from None
    except yaml.YAMLError as exc:
        raise FactError(name, None, f"YAML error: {exc}") from None


class _Dumper(getattr(yaml, "CSafeDumper", yaml.SafeDumper)):  # libyaml's emitter: the same bytes, faster
    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._tags: dict[str, str] = {}

    def represent(self, data: Any) -> None:
        """Serialise ``data``: the nodes of strings, mappings and sequences (nearly all of a fact
        file) made here as SafeRepresenter makes them (block style, keys in order, a mapping or list
        met twice an alias), every other value by PyYAML's representers."""
        if self.default_flow_style is not False or self.default_style is not None or self.sort_keys:
            super().represent(data)
            return
        self.serialize(self._node(data))
        self.represented_objects, self.object_keeper, self.alias_key = {}, [], None

    def _node(self, data: Any) -> yaml.Node:
        kind = type(data)
        if kind is str:
            return yaml.ScalarNode(_STR, data)
        if kind is dict or kind is LMap or kind is list or kind is LList:
            node = self.represented_objects.get(id(data))
            if node is not None:
                return node
            value: list = []
            if kind is dict or kind is LMap:
                node = yaml.MappingNode(_MAP, value, flow_style=False)
            else:
                node = yaml.SequenceNode(_SEQ, value, flow_style=False)
            self.represented_objects[id(data)] = node
            self.object_keeper.append(data)
            if kind is dict or kind is LMap:
                value.extend((self._node(k), self._node(v)) for k, v in data.items())
            else:
                value.extend(self._node(v) for v in data)
            return node
        return self.represent_data(data)

    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        """The tag of a scalar, as PyYAML's resolver gives it, once per value: libyaml's emitter
        asks twice for every scalar it writes, and a fact file repeats most of its keys and values."""
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            if not implicit[0]:
                return self.DEFAULT_SCALAR_TAG
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


_Dumper.yaml_implicit_resolvers = _resolvers(yaml.SafeDumper.yaml_implicit_resolvers)
_Dumper.add_implicit_resolver(_BOOL, _STRICT_BOOL, list("tTfF"))


def _represent_str(dumper: _Dumper, data: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", data)


_Dumper.add_representer(LMap, _Dumper.represent_dict)
_Dumper.add_representer(LList, _Dumper.represent_list)
_Dumper.add_representer(str, _represent_str)


def dumps_yaml(data: Any) -> str:
    """Serialise to readable YAML (Unicode kept, key order kept)."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=200,
                     default_flow_style=False)


def write_text_atomic(path: str | os.PathLike, text: str) -> None:
    """Write a file so that readers see either the old or the new content, never a part; the file
    gets the permissions the umask allows."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        respect_umask(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
