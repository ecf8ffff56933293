"""Per-kind behaviour lives on the kind: no module outside forms/kinds asks a value kind by
its name.

A branch like `if item.kind == "percent"` outside forms/kinds is a place a new kind would
have to be added by hand (and would silently be missed). The kinds say what differs instead
(`Kind.measure`, `multiline`, `tallies`…). The names are taken from the registry, so a kind
added tomorrow is covered too. Structural kinds (`section`, `table`) are not value kinds and
may be asked for.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

from forms.kinds import CATEGORY, VALUE_KINDS

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("forms", "store", "aggregate", "exports", "webapp")
SCRIPTS = ("decuong_cli.py",)
NAMES = frozenset(VALUE_KINDS)
#: Categories (number, text, date…) are what an expression's type checks speak of; two of
#: them share a name with a kind, so a table of categories is not a table of kinds.
CATEGORIES = frozenset(CATEGORY.values())
#: A side of a comparison that reads a kind: `item.kind`, `kind`, `col_kind`, `spec["type"]`.
KIND_WORD = re.compile(r"kind|type", re.IGNORECASE)


def sources() -> Iterator[Path]:
    """Every .py, .html and .js file of the packages except the kinds themselves."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in (".py", ".html", ".js") or "__pycache__" in path.parts:
                continue
            if path.is_relative_to(ROOT / "forms" / "kinds"):
                continue
            yield path
    for script in SCRIPTS:
        yield ROOT / script


def _names_in(node: ast.AST) -> list[str]:
    """The value-kind names a literal is or holds: "percent", ("text", "long_text")."""
    if isinstance(node, ast.Constant) and node.value in NAMES:
        return [node.value]
    if isinstance(node, ast.Tuple | ast.List | ast.Set):
        return [e.value for e in node.elts if isinstance(e, ast.Constant) and e.value in NAMES]
    if isinstance(node, ast.Call) and getattr(node.func, "id", "") in ("frozenset", "set"):
        return [name for arg in node.args for name in _names_in(arg)]
    return []


def _of_kinds(names: list[str]) -> bool:
    """Two or more kinds' names, one at least not also a category's."""
    return len(names) >= 2 and not CATEGORIES.issuperset(names)


def python_branches(source: str) -> Iterator[tuple[int, str]]:
    """(line, why) of each place a Python module picks a value kind by name: a comparison
    of something named kind/type with a kind's name (==, !=, in, not in, match), a literal
    holding two or more kinds' names (a list of kinds, a table keyed by kind)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            for literal in operands:
                names = _names_in(literal)
                others = [ast.unparse(o) for o in operands if o is not literal]
                if names and any(KIND_WORD.search(other) for other in others):
                    yield node.lineno, f"compares a kind with {', '.join(names)}"
                    break
        elif isinstance(node, ast.Dict):
            keys = [k.value for k in node.keys
                    if isinstance(k, ast.Constant) and k.value in NAMES]
            if _of_kinds(keys):
                yield node.lineno, f"a table keyed by kind names ({', '.join(keys)})"
        elif isinstance(node, ast.Tuple | ast.List | ast.Set) and _of_kinds(_names_in(node)):
            yield node.lineno, f"a list of kinds ({', '.join(_names_in(node))})"
        elif isinstance(node, ast.match_case):
            names = _names_in(getattr(node.pattern, "value", ast.Constant(None)))
            if names:
                yield node.pattern.lineno, f"a case for {names[0]}"


def _quoted(names: frozenset[str]) -> str:
    return "(?:" + "|".join(re.escape(n) for n in sorted(names)) + ")"


_Q = r"""['"]""" + _quoted(NAMES) + r"""['"]"""
#: Jinja and JavaScript: `item.kind == 'percent'`, `kind === "percent"`, `'x' == c.kind`,
#: `kind in ('text', 'long_text')`, and an object keyed by kinds (`percent: {…}`).
TEMPLATE_BRANCHES = (
    re.compile(r"(?:kind|type)\w*\s*(?:===?|!==?)\s*" + _Q, re.IGNORECASE),
    re.compile(_Q + r"\s*(?:===?|!==?)\s*[\w.\[\]'\"]*(?:kind|type)", re.IGNORECASE),
    re.compile(r"(?:kind|type)\w*\s+(?:not\s+)?in\s*[(\[][^)\]]*" + _Q, re.IGNORECASE),
    re.compile(r"^\s*['\"]?" + _quoted(NAMES) + r"['\"]?\s*:\s*[{\[]"),
)


def template_branches(source: str) -> Iterator[tuple[int, str]]:
    for number, line in enumerate(source.splitlines(), start=1):
        if any(pattern.search(line) for pattern in TEMPLATE_BRANCHES):
            yield number, "picks a value kind by name"


def branches(path: Path) -> Iterator[str]:
    source = path.read_text(encoding="utf-8")
    found = python_branches(source) if path.suffix == ".py" else template_branches(source)
    for line, why in found:
        yield f"{path.relative_to(ROOT)}:{line}: {why}"


def test_no_module_outside_the_kinds_branches_on_a_value_kind_name() -> None:
    found = [place for path in sources() for place in branches(path)]
    assert not found, ("Per-kind behaviour belongs on the kind (forms/kinds/base.py `Kind`); "
                       "these places ask a value kind by name:\n" + "\n".join(found))


def test_the_scan_reads_every_kind_of_source() -> None:
    """The scan above is only worth something if it reads the files it claims to."""
    seen = {path.suffix for path in sources()}
    assert seen == {".py", ".html", ".js"}
    assert ROOT / "webapp" / "templates" / "_outline.html" in set(sources())
    assert ROOT / "webapp" / "static" / "numbers.js" in set(sources())


def test_the_scan_finds_the_branches_it_exists_to_stop() -> None:
    """Each shape of branch the registry replaced is reported with its line."""
    python = ('unit = item.unit or ("%" if item.kind == "percent" else None)\n'
              'x = [i for i in items if i.kind in ("text", "long_text")]\n'
              'WHOLE_KINDS = ("integer", "money")\n'
              'LABELS = {"integer": "số nguyên", "money": "số tiền"}\n'
              'if "yes_no" != spec.kind:\n    pass\n'
              'match item.kind:\n    case "date":\n        pass\n')
    assert sorted(line for line, _ in python_branches(python)) == [1, 2, 2, 3, 4, 5, 8]
    template = ("{% if item.kind == 'long_text' %} long{% endif %}\n"
                '    return kind === "percent" ? text + " %" : text;\n'
                "{% if spec.kind in ('select_one', 'yes_no') %}\n"
                '    money: { whole: true, min: 0 },\n'
                "<p>Mục có/không: chọn 'yes_no' trong cột type</p>\n")
    assert [line for line, _ in template_branches(template)] == [1, 2, 3, 4]


def test_words_that_merely_mention_a_kind_are_not_branches() -> None:
    """A message naming a kind, a column called "date", a structural kind: not branches."""
    python = ('MESSAGE = "Chỉ mục \'select_one\' mới có \'choices\'."\n'
              'row = {"date": today}\n'
              'if item.kind == "table":\n    pass\n'
              'if request.args.get("sort") == "date":\n    pass\n'
              'WORDS = {"number": "số", "text": "văn bản", "date": "ngày tháng"}\n')
    assert list(python_branches(python)) == []
