"""`decuong outlines list|show|check`."""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

from forms.library import REPO_OUTLINES

BROKEN = """\
id: hong
version: 1
title: Đề cương hỏng
items:
  - {type: interger, name: a, label: A}
  - {type: integer, name: b, label: B, calculation: khong_co + 1}
"""


ROOT = Path(__file__).resolve().parents[2]


def alias_bomb(levels: int = 6, width: int = 9) -> str:
    """Each level a list of `width` aliases of the level before: 9**6 strings once expanded."""
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    lines += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]" for n in range(1, levels + 1)]
    return "\n".join(lines) + "\n"


def _cap_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


def test_an_alias_bomb_is_refused_at_its_first_anchor_in_little_time_and_memory(tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_text(alias_bomb(), encoding="utf-8")
    assert path.stat().st_size < 400
    # A fresh interpreter, so its peak memory (VmHWM) and CPU time are the command's own.
    child = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from decuong_cli import main\n"
        "start = time.process_time()\n"
        "try:\n"
        "    main(['outlines', 'check', sys.argv[1]])\n"
        "except SystemExit as exc:\n"
        "    code = exc.code\n"
        "hwm = [l for l in Path('/proc/self/status').read_text().splitlines()\n"
        "       if l.startswith('VmHWM:')][0].split()[1]\n"
        "print('RESULT', code, time.process_time() - start, int(hwm) * 1024)\n")
    done = subprocess.run([sys.executable, "-c", child, str(path)], cwd=ROOT, text=True,
                          capture_output=True, timeout=120, preexec_fn=_cap_memory)
    lines = done.stdout.strip().splitlines()
    assert lines and lines[-1].startswith("RESULT"), done.stderr[-2000:]
    _, code, cpu, peak = lines[-1].split()
    assert lines[0] == (f"{path}:1:5: Tệp đề cương dùng neo YAML ('a0'), mà định dạng đề cương "
                        "không dùng tới: hãy viết đầy đủ nội dung tại chỗ thay cho '&a0' và "
                        "'*a0'.")
    assert len(lines) == 2 and code == "1"
    assert float(cpu) < 1.0 and int(peak) < 200 * 1000 * 1000, lines[-1]


def test_an_alias_alone_is_refused_where_it_stands(run, tmp_path):
    path = tmp_path / "bi-danh.yaml"
    path.write_text("id: bi-danh\nversion: 1\ntitle: *ten\nitems: []\n", encoding="utf-8")
    result = run("outlines", "check", path)
    assert result.exit_code == 1
    assert result.output.startswith(f"{path}:3:8: Tệp đề cương dùng bí danh YAML ('ten')")


def test_help_reads_well(run):
    result = run("--help")
    assert result.exit_code == 0
    for command in ("demo", "outlines", "units", "round", "import"):
        assert command in result.output


def test_every_shipped_outline_is_clean(run):
    files = sorted(Path(REPO_OUTLINES).glob("*.yaml"))
    assert files, "no shipped outline"
    result = run("outlines", "check", *files)
    assert result.exit_code == 0, result.output
    assert result.output.count("không có lỗi") == len(files)


def test_check_prints_every_problem_and_fails(run, tmp_path):
    path = tmp_path / "hong.yaml"
    path.write_text(BROKEN, encoding="utf-8")
    result = run("outlines", "check", path)
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith(f"{path}:5:12: Không có loại mục 'interger'.")
    assert lines[1].startswith(f"{path}:6:53: Biểu thức 'khong_co + 1'")
    assert len(lines) == 2


def test_list_and_show_json(run):
    listing = json.loads(run("outlines", "list", "--json").output)
    assert "cam-giang-cchc-2025" in [row["id"] for row in listing]
    shown = json.loads(run("outlines", "show", "cam-giang-cchc-2025", "--json").output)
    item = next(i for i in shown["items"] if i["key"] == "hs_ty_le_dung_han")
    assert item["kind"] == "percent"
    assert item["formula"] == "hs_dung_han / hs_da_giai_quyet * 100"
    for key in ("key", "number", "label", "kind", "unit", "required", "choices", "formula",
                "target"):
        assert key in item
    targets = {i["key"]: i["target"] for i in shown["items"] if i["target"]}
    assert sorted(targets.values()) == [">= 90", ">= 95"]


def test_show_unknown_outline_says_what_to_do(run):
    result = run("outlines", "show", "khong-co")
    assert result.exit_code != 0
    assert "decuong outlines list" in result.output
