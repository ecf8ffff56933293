"""A small mutation check: one-line bugs in core modules that the suite must catch.

Each mutant is applied to a copy of the repository (the working tree is never touched), the
tests that guard it run there, and the mutant must make them fail. Run it after changing a core
rule:

    python3 tests/mutation/mutants.py            # every mutant
    python3 tests/mutation/mutants.py savepoint  # those whose name contains "savepoint"

It exits non-zero, naming the survivors, when a mutant leaves its tests green. The file is not
collected by pytest (its name does not start with test_): it runs the suite, it is not part of it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
COPIED = ("forms", "store", "aggregate", "exports", "webapp", "outlines", "tests",
          "decuong_cli.py", "pyproject.toml")


@dataclass(frozen=True)
class Mutant:
    name: str
    path: str
    old: str  # must occur exactly once in the file
    new: str
    tests: tuple[str, ...]


MUTANTS = (
    Mutant("format-number-rounds-to-4", "forms/kinds/numbers.py",
           "return _fixed(round(value, decimals), decimals)",
           "return _fixed(round(value, decimals + 2), decimals + 2)",
           ("tests/forms/kinds/test_kind_number_format.py",)),
    Mutant("computed-rounded-to-4", "forms/kinds/numbers.py",
           "return round(value, RATE_DECIMALS if decimals is None else decimals)",
           "return round(value, 4)",
           ("tests/forms/test_decimals_attribute.py",)),
    Mutant("yes-no-target-as-expression", "forms/targets.py",
           'return kind.format(value == (target.op == "="), item)  # "Có" / "Không"',
           'return f"{target.symbol} {target.expr.source}"',
           ("tests/forms/test_targets.py",)),
    Mutant("template-ignores-round-deadline", "store/excel_commands.py",
           "                   deadline=round_deadline_day(round_row))",
           "                   deadline=None)",
           ("tests/store/test_store_excel_commands.py",)),
    Mutant("savepoint-not-rolled-back", "store/db.py",
           '                conn.execute(f"ROLLBACK TO SAVEPOINT {name}")\n', "",
           ("tests/store/test_store_db.py",)),
    Mutant("draft-runs-rules", "forms/validate.py",
           "    return Result(values=values, issues=tuple(issues), rejected=rejected)",
           "    if mode == \"draft\":\n"
           "        issues.extend(Issue(None, r.message, code=\"rule\") for r in outline.rules\n"
           "                      if r.expr.evaluate(values) is False)\n"
           "    return Result(values=values, issues=tuple(issues), rejected=rejected)",
           ("tests/forms/test_validate.py",)),
    Mutant("formula-injection-not-neutralised", "exports/safety.py",
           'TRIGGERS = ("=", "+", "-", "@", "\\t", "\\r")', 'TRIGGERS = ("@",)',
           ("tests/exports/test_export_safety.py",)),
    Mutant("stale-token-accepted", "store/working_drafts.py",
           "    if tuple(token) != state.token:\n        raise StaleReport(state)\n", "",
           ("tests/store/test_store_working_drafts.py",)),
    Mutant("autosave-writes-a-revision", "store/working_drafts.py",
           "    with transaction(db):\n        state = check_token(db, round_id, code, token)\n",
           "    with transaction(db):\n        state = check_token(db, round_id, code, token)\n"
           "        db.conn.execute(\"INSERT INTO revisions (submission_id, number, values_json,"
           " status, channel, actor, created_at) SELECT id, latest_revision + 1, '{}', 'draft',"
           " 'web', 'x', '' FROM submissions WHERE round_id = ? AND unit_code = ?\","
           " (round_id, code))\n",
           ("tests/store/test_store_working_drafts.py",)),
    Mutant("draft-refuses-unreadable-values", "store/intake.py",
           "    refused = not result.ok and not kept", "    refused = not result.ok",
           ("tests/store/test_store_working_drafts.py",)),
    Mutant("xlsx-percent-shown-as-plain-number", "forms/excel/number_formats.py",
           """    return f'{fraction(decimals)}" %"'""", "    return fraction(decimals)",
           ("tests/exports/test_export_xlsx_formats.py",)),
    Mutant("xlsx-namesakes-not-told-apart", "exports/headers.py",
           "        if len(same) > 1:", "        if len(same) > 99:",
           ("tests/exports/test_export_headers.py",)),
    Mutant("xlsx-wrapped-rows-not-fitted", "exports/xlsx/printing.py",
           "    if height > DEFAULT_HEIGHT:\n        ws.set_row(row, height)\n", "",
           ("tests/exports/test_export_xlsx_print.py",)),
    Mutant("unit-sees-other-units", "webapp/submission.py",
           'if user["role"] == "unit" and user["unit_code"] != code:',
           'if user["role"] == "unit" and user["unit_code"] == "":',
           ("tests/webapp/test_web_access.py",)),
    Mutant("reminder-to-submitted-units", "webapp/reminders/run.py",
           'NOT_SUBMITTED = ("missing", "draft", "returned")',
           'NOT_SUBMITTED = ("missing", "draft", "returned", "submitted")',
           ("tests/webapp/test_web_reminders.py",)),
    Mutant("one-time-password-not-enforced", "webapp/auth.py",
           'if user is None or not user.get("must_change") or request.endpoint in '
           "ONE_TIME_ALLOWED:", "if True:",
           ("tests/webapp/test_web_accounts.py",)),
    Mutant("deactivated-account-keeps-sessions", "store/sessions.py",
           '" WHERE s.id = ? AND a.disabled_at IS NULL", [key],', '" WHERE s.id = ?", [key],',
           ("tests/store/test_store_account_admin.py",)),
    Mutant("on-behalf-not-marked", "store/submissions.py",
           "stored_name, warnings_json, clean_text(comment), int(on_behalf),",
           "stored_name, warnings_json, clean_text(comment), 0,",
           ("tests/webapp/test_web_on_behalf.py",)),
    Mutant("on-behalf-discards-the-units-typing", "store/intake.py",
           'if channel == "web" and not on_behalf:', 'if channel == "web":',
           ("tests/webapp/test_web_on_behalf.py",)),
    Mutant("outlines-dir-replaces-shipped", "forms/library.py",
           "    folders = [REPO_OUTLINES]\n",
           "    folders = [] if os.environ.get(ENV_VAR) else [REPO_OUTLINES]\n",
           ("tests/cli/test_cli_outlines_add.py",)),
    Mutant("spreadsheet-round-trip-compares-line-numbers", "forms/model.py",
           '_PLACE_FIELDS = frozenset({"line", "source"})', "_PLACE_FIELDS = frozenset()",
           ("tests/cli/test_cli_outlines_add.py",)),
    Mutant("bulk-import-stores-a-unit-with-bad-lines", "store/bulk_values.py",
           "    if report.messages:\n        return report\n", "",
           ("tests/cli/test_cli_import_many.py",)),
    Mutant("table-count-counts-blank-rows", "forms/expr/columns.py",
           "               if any(not is_empty(cell) for cell in row.values()))",
           "               if row is not None)",
           ("tests/forms/expr/test_expr_columns.py",)),
    Mutant("table-sum-of-no-value-is-zero", "forms/expr/evaluate.py",
           "    if not present or len(numbers) != len(present):\n"
           "        return None",
           "    if not present:\n        return 0\n"
           "    if len(numbers) != len(present):\n        return None",
           ("tests/forms/expr/test_expr_columns.py",)),
    Mutant("table-sum-on-text-column-accepted", "forms/expr/check.py",
           'if kind is not None and name in NUMERIC_COLUMN_FUNCTIONS and kind != "number":',
           "if False:",
           ("tests/forms/expr/test_expr_columns.py",)),
    Mutant("table-row-rule-reads-another-table", "forms/expr/check.py",
           "if self.row_table is not None and table != self.row_table:", "if False:",
           ("tests/forms/test_outline_tables.py",)),
    Mutant("table-computed-column-not-computed", "forms/validate.py",
           "        compute_row(item, row)\n", "",
           ("tests/forms/test_validate_rows.py",)),
    Mutant("table-row-rule-row-number-off-by-one", "forms/validate.py",
           "enumerate(values.get(key) or [], start=1)", "enumerate(values.get(key) or [])",
           ("tests/forms/test_validate_rows.py",)),
    Mutant("table-excel-sum-of-empty-column-is-zero", "forms/expr/excel.py",
           'empty = f"COUNT({ref})=0"', 'empty = "FALSE"',
           ("tests/forms/expr/test_expr_excel_columns.py",)),
    Mutant("table-answers-printed-as-tokens", "forms/kinds/answers.py",
           "        Python boolean: the report is read by people.\"\"\"\n"
           "        return self.format(value, spec)",
           "        Python boolean: the report is read by people.\"\"\"\n"
           "        return str(value)",
           ("tests/exports/test_export_table_answers.py",)),
    Mutant("unit-row-type-forgets-email", "store/units.py",
           "    contact: str | None\n    email: str | None\n", "    contact: str | None\n",
           ("tests/store/test_store_row_types.py",)),
    Mutant("shipped-migration-edited", "store/migrations/m009_m016.py",
           'run(db, "ALTER TABLE units ADD COLUMN email TEXT;")',
           'run(db, "ALTER TABLE units ADD COLUMN email  TEXT;")',
           ("tests/store/test_store_migrations.py",)),
    Mutant("command-leaves-database-open", "store/cli_options.py",
           "    finally:\n        db.close()", "    finally:\n        pass",
           ("tests/store/test_store_cli_options.py",)),
    Mutant("narratives-by-kind-name", "aggregate/narratives.py",
           "if (kind := KINDS.get(item.kind)) is not None and kind.narrative",
           'if (kind := KINDS.get(item.kind)) is not None and item.kind in ("text", "long_text")',
           ("tests/forms/kinds/test_kind_architecture.py",)),
    Mutant("on-behalf-buffer-dropped-by-the-units-revision", "webapp/on_behalf.py",
           'if revision["actor"] == username), default=0)', "if True), default=0)",
           ("tests/webapp/test_web_on_behalf.py",)),
)
def copy_repo(target: Path) -> None:
    for name in COPIED:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, target / name,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, target / name)


def survives(mutant: Mutant) -> bool:
    """True when the mutant's tests pass with the bug in place (the bad outcome)."""
    with tempfile.TemporaryDirectory(prefix="decuong-mutant-") as folder:
        work = Path(folder)
        copy_repo(work)
        target = work / mutant.path
        text = target.read_text(encoding="utf-8")
        if text.count(mutant.old) != 1:
            raise SystemExit(f"{mutant.name}: the line to mutate is not found once in "
                             f"{mutant.path}; update the mutant list")
        target.write_text(text.replace(mutant.old, mutant.new), encoding="utf-8")
        run = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *mutant.tests],
            cwd=work, capture_output=True, text=True,
            env={**os.environ, "PYTHONPATH": str(work)})
        return run.returncode == 0


def main(argv: list[str]) -> int:
    chosen = [m for m in MUTANTS if not argv or any(word in m.name for word in argv)]
    survivors = []
    for mutant in chosen:
        alive = survives(mutant)
        print(f"{'SURVIVED' if alive else 'killed  '}  {mutant.name}")
        if alive:
            survivors.append(mutant.name)
    print(f"{len(chosen) - len(survivors)} killed, {len(survivors)} survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
