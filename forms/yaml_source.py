"""Read YAML keeping where each value stands, so every outline problem can name file:line:column.

PyYAML's composer gives nodes with marks; we build plain dicts and lists from them and keep the
marks alongside. Duplicate mapping keys, which PyYAML would silently overwrite, are reported.

Anchors and aliases (`&name`, `*name`) are refused where they stand: the outline format never
needs them, and an alias is a reference that building plain values expands — six levels of
nine aliases in 339 bytes expand to half a million nodes (seconds and hundreds of MB). Refusing
them at the first one costs nothing; counting expanded nodes would still let a file grow
every value it repeats.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml
from yaml.constructor import SafeConstructor


@dataclass(frozen=True)
class Pos:
    line: int  # 1-based
    column: int  # 1-based
    quoted: bool = False  # a quoted scalar's text starts one column after its mark


class LocDict(dict):
    """A mapping that remembers the position of each key and value."""

    pos: Pos
    key_pos: dict[str, Pos]
    value_pos: dict[str, Pos]


class LocList(list):
    """A sequence that remembers the position of each element."""

    pos: Pos
    item_pos: list[Pos]


@dataclass
class ReadResult:
    data: Any
    problems: list[tuple[Pos, str, dict[str, Any]]] = field(default_factory=list)
    # (position, code name, template arguments)


def _pos(node: yaml.Node) -> Pos:
    mark = node.start_mark
    quoted = isinstance(node, yaml.ScalarNode) and node.style in ("'", '"')
    return Pos(mark.line + 1, mark.column + 1, quoted)


class _AliasFound(Exception):
    def __init__(self, mark: Any, what: str, name: str) -> None:
        super().__init__(name)
        self.mark, self.what, self.name = mark, what, name


class _Loader(yaml.SafeLoader):
    """SafeLoader that stops at the first anchor or alias, before composing anything it names."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            raise _AliasFound(event.start_mark, "bí danh", str(event.anchor))
        if getattr(event, "anchor", None) is not None:
            raise _AliasFound(event.start_mark, "neo", str(event.anchor))
        return super().compose_node(parent, index)


def read_yaml(text: str) -> ReadResult:
    """Compose `text` into located Python values; syntax errors, anchors and aliases become
    positioned problems."""
    try:
        root = yaml.compose(text, Loader=_Loader)
    except _AliasFound as found:
        mark = found.mark
        pos = Pos(mark.line + 1, mark.column + 1) if mark is not None else Pos(1, 1)
        return ReadResult(None, [(pos, "YAML_ALIAS", {"what": found.what, "name": found.name})])
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        detail = exc.problem or exc.context or "không đọc được"
        if exc.context and exc.context_mark and exc.problem_mark:
            detail += f" ({exc.context}, bắt đầu ở dòng {exc.context_mark.line + 1})"
        return ReadResult(None, [(Pos(line, column), "YAML_SYNTAX", {"detail": detail})])
    except yaml.YAMLError as exc:  # pragma: no cover - non-marked errors are rare
        return ReadResult(None, [(Pos(1, 1), "YAML_SYNTAX", {"detail": str(exc)})])
    result = ReadResult(None)
    if root is None:
        return result
    constructor = SafeConstructor()
    result.data = _build(root, constructor, result.problems)
    return result


def _build(node: yaml.Node, constructor: SafeConstructor, problems: list) -> Any:
    if isinstance(node, yaml.MappingNode):
        out = LocDict()
        out.pos, out.key_pos, out.value_pos = _pos(node), {}, {}
        for key_node, value_node in node.value:
            key = _build(key_node, constructor, problems)
            key = str(key) if not isinstance(key, str) else key
            if key in out:
                problems.append((_pos(key_node), "DUPLICATE_YAML_KEY",
                                 {"key": key, "first": out.key_pos[key].line}))
                continue
            out[key] = _build(value_node, constructor, problems)
            out.key_pos[key] = _pos(key_node)
            out.value_pos[key] = _pos(value_node)
        return out
    if isinstance(node, yaml.SequenceNode):
        seq = LocList()
        seq.pos, seq.item_pos = _pos(node), []
        for child in node.value:
            seq.append(_build(child, constructor, problems))
            seq.item_pos.append(_pos(child))
        return seq
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.YAMLError:
        return node.value
