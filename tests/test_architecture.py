"""The package layout is the architecture: these tests keep it true as the code grows.

forms → store → aggregate → exports → webapp: each package imports only those before it, SQL
lives only in store/, no package names a shipped outline, and no module grows past ~400 lines
(the size at which a module usually holds more than one job).
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: The packages in layering order: each may import only the ones before it.
LAYERS = ("forms", "store", "aggregate", "exports", "webapp")
MAX_LINES = 400

# A SQL statement in a string, or a call that would run one, outside store/.
SQL = re.compile(r"\b(SELECT\s+[\w*]|INSERT\s+INTO|DELETE\s+FROM|UPDATE\s+\w+\s+SET|CREATE\s+"
                 r"(TABLE|INDEX|TRIGGER))\b|\.execute(script|many)?\(|\bimport sqlite3\b")


def package_modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def imported_packages(path: Path) -> set[tuple[str, int]]:
    """(top-level project package, line) for every absolute import in `path`."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        for name in names:
            top = name.split(".")[0]
            if top in LAYERS or top == "decuong_cli":
                found.add((top, node.lineno))
    return found


def where(path: Path, line: int | None = None) -> str:
    rel = path.relative_to(ROOT).as_posix()
    return f"{rel}:{line}" if line else rel


@pytest.mark.parametrize("package", LAYERS)
def test_a_package_imports_only_the_packages_below_it(package):
    allowed = set(LAYERS[: LAYERS.index(package) + 1])
    wrong = sorted(f"{where(path, line)} imports {top}"
                   for path in package_modules(package)
                   for top, line in imported_packages(path) if top not in allowed)
    assert not wrong, "\n".join(wrong)


def test_the_layering_rule_sees_an_upward_import(tmp_path):
    (tmp_path / "bad.py").write_text("import os\nfrom webapp.app import create_app\n")
    assert imported_packages(tmp_path / "bad.py") == {("webapp", 2)}


@pytest.mark.parametrize("package", [p for p in LAYERS if p != "store"] + ["decuong_cli.py"])
def test_sql_lives_only_in_store(package):
    paths = [ROOT / package] if package.endswith(".py") else package_modules(package)
    wrong = [f"{where(path, number)}: {line.strip()}"
             for path in paths
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if SQL.search(line)]
    assert not wrong, "\n".join(wrong)


def test_the_sql_rule_sees_a_query():
    assert SQL.search('rows = conn.execute("SELECT code FROM units")')
    assert SQL.search('db.executescript("CREATE TABLE t (a)")')
    assert not SQL.search("# select the unit's latest revision")


def test_no_module_in_the_packages_is_over_400_lines():
    paths = [p for package in LAYERS for p in package_modules(package)] + [ROOT / "decuong_cli.py"]
    long = sorted(f"{where(p)}: {n} lines" for p in paths
                  if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES)
    assert not long, "\n".join(long)


def test_no_package_names_a_shipped_outline_except_the_demo():
    """Outlines are data: the code serves any outline, so none is named in it. The one
    exception is the demo round, which opens a shipped outline by name on purpose."""
    ids = [p.name.removesuffix(".yaml") for p in (ROOT / "outlines").glob("*.yaml")]
    assert ids
    exempt = {ROOT / "store" / "demo.py"}
    sources = [p for package in LAYERS for suffix in ("*.py", "*.html", "*.js")
               for p in sorted((ROOT / package).rglob(suffix)) if p not in exempt]
    wrong = [f"{where(p)} names {outline_id}" for p in sources
             for outline_id in ids if outline_id in p.read_text(encoding="utf-8")]
    assert not wrong, "\n".join(wrong)


def test_the_readme_layout_table_names_every_package():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme[readme.index("## Layout"):]
    table = table[: table.index("\n## ", 1)]
    listed = set(re.findall(r"^\| `([\w./]+)/` \|", table, flags=re.M))
    on_disk = {p.name for p in ROOT.iterdir()
               if p.is_dir() and ((p / "__init__.py").exists() or p.name in {"outlines", "tests",
                                                                           "bench", "deploy"})}
    assert listed == on_disk


IGNORE = re.compile(r"#\s*type:\s*ignore(?P<code>\[[\w-]+(,\s*[\w-]+)*\])?(?P<rest>.*)$")


def ignore_problems(text: str) -> list[tuple[int, str]]:
    """(line, what is missing) for each `# type: ignore` without an error code or a reason."""
    problems = []
    for number, line in enumerate(text.splitlines(), 1):
        match = IGNORE.search(line)
        if match is None:
            continue
        if not match["code"]:
            problems.append((number, "names no error code"))
        elif not match["rest"].strip().lstrip("#").strip():
            problems.append((number, "says no reason after its code"))
    return problems


def test_every_type_ignore_names_its_error_code_and_says_why():
    paths = [p for package in LAYERS for p in package_modules(package)] + [ROOT / "decuong_cli.py"]
    wrong = [f"{where(p, line)} {what}" for p in paths
             for line, what in ignore_problems(p.read_text(encoding="utf-8"))]
    assert not wrong, "\n".join(wrong)


def test_the_type_ignore_rule_sees_a_bare_or_unexplained_ignore():
    assert ignore_problems("x = f()  # type: ignore\n") == [(1, "names no error code")]
    assert ignore_problems("x = f()  # type: ignore[arg-type]\n") == [
        (1, "says no reason after its code")]
    assert ignore_problems("x = f()  # type: ignore[arg-type]  # the stub says str\n") == []
