"""Outlines in the browser (coordinator only): the shipped files and the versions kept in the
database, uploading a new outline as YAML or as an XLSForm-style workbook, the checker's full
report, a preview, and saving it so a round can be opened with it.

Nothing is kept between the upload and the confirmation except the page itself: the preview
carries the outline's YAML text in the confirm form, and the confirmation checks it again from
scratch, so a tampered or stale form can never store an outline the checker has not passed.

A kept version is never changed (rounds load the exact text they were opened with). Uploading an
edit of a kept version therefore offers to keep it as the next free version; rounds already
opened stay on theirs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask.typing import ResponseReturnValue
from sqlite_utils import Database

import store
from forms import OutlineError, check_outline, load_outline
from forms.library import outline_files
from forms.model import Outline
from forms.spreadsheet import import_workbook, workbook_bytes
from store.names import clean_file_name
from webapp.auth import role_required
from webapp.db import get_db
from webapp.display import number as vn_number
from webapp.downloads import attachment

bp = Blueprint("outlines", __name__, url_prefix="/coordinator/outlines")

#: Upload cap for one outline file. The largest shipped outline is under 100 KB as YAML and
#: as a workbook; anything far bigger is a mistake (or an attack), refused before parsing.
DEFAULT_MAX_OUTLINE_MB = 2
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # .xls (Excel 97-2003): import_workbook explains the refusal
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

KIND_LABELS = {
    "section": "mục", "integer": "số nguyên", "decimal": "số thập phân", "percent": "tỷ lệ %",
    "money": "số tiền (đồng)", "text": "chữ (một dòng)", "long_text": "đoạn văn",
    "date": "ngày", "select_one": "chọn một", "yes_no": "có/không", "table": "bảng",
}
AGGREGATE_LABELS = {
    "sum": "cộng", "mean": "trung bình", "min": "nhỏ nhất", "max": "lớn nhất",
    "formula": "tính lại theo công thức", "none": "không tổng hợp", "narrative": "tập hợp ý kiến",
    "count": "đếm", "stack": "gộp các dòng",
}


@bp.app_template_filter("kind_label")
def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind)


@bp.app_template_filter("aggregate_label")
def aggregate_label(value: str | None) -> str:
    return AGGREGATE_LABELS.get(value or "", value or "")


# --- what is known: kept versions and shipped files ----------------------------------------


@dataclass
class Version:
    """One version of an outline as the list shows it; `kept` when the database holds it (a
    round uses the kept text), `path` when a shipped file declares it."""

    id: str
    version: int
    title: str
    outline: Outline | None = None
    kept: bool = False
    path: Path | None = None
    rounds: int = 0
    created_at: str | None = None
    created_by: str | None = None

    @property
    def value(self) -> str:
        """The create-round form's value for this version."""
        return f"{self.id}:{self.version}"

    @property
    def items(self) -> int:
        return len(self.outline.fields()) if self.outline else 0


def catalog(db: Database) -> dict[str, dict[int, Version]]:
    """id → version → Version, every id and version sorted. A kept version wins over a shipped
    file declaring the same id and version (a round opened with it uses the kept text)."""
    found: dict[str, dict[int, Version]] = {}
    for row in store.list_outlines(db):
        found.setdefault(row["id"], {})[row["version"]] = Version(
            row["id"], row["version"], row["title"], kept=True,
            created_at=row["created_at"], created_by=row["created_by"])
    for path in outline_files():
        outline = _shipped(path)
        if outline is None:
            continue  # `decuong outlines check` reports broken files; the list shows the rest
        entry = found.setdefault(outline.id, {}).get(outline.version)
        if entry is None:
            found[outline.id][outline.version] = Version(
                outline.id, outline.version, outline.title, outline=outline, path=path)
        else:
            entry.path = path
    for entry in (v for versions in found.values() for v in versions.values()):
        if entry.kept:
            entry.outline = store.get_outline(db, entry.id, entry.version)
    for row in store.list_rounds(db):
        entry = found.get(row["outline_id"], {}).get(row["outline_version"])
        if entry is not None:
            entry.rounds += 1
    return {key: dict(sorted(found[key].items(), reverse=True)) for key in sorted(found)}


def _shipped(path: Path) -> Outline | None:
    """A shipped file loaded once per change of the file: every page here lists them all, and
    loading a large outline costs tens of milliseconds."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _load_shipped(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _load_shipped(path: Path, mtime_ns: int, size: int) -> Outline | None:
    try:
        return load_outline(path)
    except OutlineError:
        return None


def _text_of(db: Database, entry: Version) -> str:
    """The exact text of a version: the kept one, else the shipped file's."""
    if entry.kept:
        return store.outline_text(db, entry.id, entry.version)
    assert entry.path is not None
    return entry.path.read_text(encoding="utf-8-sig")


def _version_or_404(db: Database, outline_id: str, version: int) -> Version:
    entry = catalog(db).get(outline_id, {}).get(version)
    if entry is None:
        abort(404)
    return entry


# --- reading an upload ---------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One checker problem as shown: where (file:line:column or sheet!cell), what, and for
    YAML the offending line, so the author sees it without opening the file."""

    where: str
    message: str
    excerpt: str | None = None


@dataclass
class Upload:
    """A checked upload: the YAML text (also the one generated from a workbook), the problems,
    and when clean the outline."""

    file_name: str
    source: str  # "yaml" | "xlsx"
    text: str = ""
    problems: list[Problem] = field(default_factory=list)
    outline: Outline | None = None


def normalise_text(text: str) -> str:
    """One line-break convention, so the same file compares equal however it travelled
    (a browser's form post turns every line break into CRLF)."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_yaml(text: str, file_name: str) -> Upload:
    upload = Upload(file_name, "yaml", text)
    lines = text.split("\n")
    for p in check_outline(text, filename=file_name):
        excerpt = lines[p.line - 1] if 0 < p.line <= len(lines) else None
        upload.problems.append(Problem(f"{p.file}:{p.line}:{p.column}", p.message,
                                       excerpt.rstrip() if excerpt else None))
    if not upload.problems:
        upload.outline = load_outline(text, filename=file_name)
    return upload


def read_upload(data: bytes, file_name: str) -> Upload:
    """YAML or workbook, decided by the name and the first bytes (a workbook renamed .yaml is
    still a workbook), then checked by the one checker."""
    is_book = (file_name.lower().endswith(WORKBOOK_SUFFIXES)
               or data.startswith((ZIP_MAGIC, OLE_MAGIC)))
    if is_book:
        text, sheet_problems = import_workbook(data)
        upload = Upload(file_name, "xlsx", text)
        upload.problems = [Problem(f"{file_name}: {p.where}" if p.where else file_name,
                                   p.message) for p in sheet_problems]
        if not upload.problems:
            upload.outline = load_outline(text, filename=file_name)
        return upload
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        return Upload(file_name, "yaml", problems=[Problem(
            f"{file_name}:1:1",
            f"Tệp không phải chữ UTF-8 (byte thứ {exc.start + 1}). Hãy lưu tệp YAML với bảng mã "
            "UTF-8, hoặc tải lên bảng tính Excel (.xlsx).")])
    return check_yaml(normalise_text(text), file_name)


@dataclass(frozen=True)
class Plan:
    """What saving an upload would do: "new" (kept as is), "bump" (its id and version are
    taken by a different text: kept as `version` instead) or "exists" (already kept or
    shipped, as `version`: nothing to save)."""

    action: str
    version: int
    taken: Version | None = None  # the version the upload's number collides with


def plan_for(db: Database, outline: Outline, text: str) -> Plan:
    """Decide before anything is stored, so the preview can say it: the same text as a known
    version (whatever its number) is "đã có"; a number already taken by another text moves up
    past every known version, shipped files included, so a kept upload never shadows a file
    (nor a file an upload)."""
    versions = catalog(db).get(outline.id, {})
    for number, entry in versions.items():
        try:
            same = (text if number == outline.version else store.with_version(text, number))
        except ValueError:  # pragma: no cover - with_version only refuses what cannot load
            continue
        if normalise_text(_text_of(db, entry)) == same:
            return Plan("exists", number, entry)
    taken = versions.get(outline.version)
    if taken is None:
        return Plan("new", outline.version)
    top = max(versions)
    return Plan("bump", store.next_version(db, outline.id, at_least=top + 1), taken)


def _max_bytes() -> int:
    return int(float(current_app.config.get("MAX_OUTLINE_MB", DEFAULT_MAX_OUTLINE_MB))
               * 1024 * 1024)


# --- pages ---------------------------------------------------------------------------------


@bp.get("/")
@role_required("coordinator")
def index() -> ResponseReturnValue:
    """Every outline id with its versions, and the upload form."""
    return render_template("outlines/index.html", outlines=catalog(get_db()),
                           max_mb=current_app.config.get("MAX_OUTLINE_MB",
                                                         DEFAULT_MAX_OUTLINE_MB))


@bp.post("/upload")
@role_required("coordinator")
def upload() -> ResponseReturnValue:
    """Check an uploaded file: the full report when it has problems (nothing stored), else a
    preview with what saving would do."""
    sent = request.files.get("file")
    if sent is None or not sent.filename:
        flash("Hãy chọn tệp đề cương (YAML hoặc bảng tính Excel .xlsx).", "error")
        return redirect(url_for("outlines.index"))
    limit = _max_bytes()
    data = sent.stream.read(limit + 1)
    if len(data) > limit:
        mb = vn_number(current_app.config.get("MAX_OUTLINE_MB", DEFAULT_MAX_OUTLINE_MB))
        flash(f"Tệp {clean_file_name(sent.filename)} quá lớn: tệp đề cương tối đa {mb} MB. "
              "Hãy kiểm tra lại tệp (một đề cương thường dưới 100 KB).", "error")
        return redirect(url_for("outlines.index"))
    checked = read_upload(data, clean_file_name(sent.filename, "de-cuong.yaml"))
    return _preview(checked)


def _preview(checked: Upload, status: int = 200) -> ResponseReturnValue:
    if checked.problems or checked.outline is None:
        return render_template("outlines/report.html", upload=checked), 422
    db = get_db()
    plan = plan_for(db, checked.outline, checked.text)
    shown = checked.outline
    if plan.action == "bump":
        shown = load_outline(store.with_version(checked.text, plan.version))
    return render_template("outlines/preview.html", upload=checked, outline=shown, plan=plan,
                           original=checked.outline), status


@bp.post("/confirm")
@role_required("coordinator")
def confirm() -> ResponseReturnValue:
    """Keep the previewed outline: checked again from the posted text, its version rewritten
    when the preview offered the next free one."""
    db = get_db()
    text = normalise_text(request.form.get("text", ""))
    file_name = clean_file_name(request.form.get("file_name"), "de-cuong.yaml")
    checked = check_yaml(text, file_name)
    source = request.form.get("source", "")
    checked.source = source if source in ("yaml", "xlsx") else "yaml"
    if checked.problems or checked.outline is None:
        return render_template("outlines/report.html", upload=checked), 422
    outline = checked.outline
    try:
        version = int(request.form.get("version", outline.version))
    except ValueError:
        abort(400)
    plan = plan_for(db, outline, text)
    if plan.action == "exists":
        flash(f"Đề cương «{outline.title}» đã có (phiên bản {plan.version}); không lưu thêm.",
              "info")
        return redirect(url_for("outlines.show", outline_id=outline.id, version=plan.version))
    if version != outline.version:
        if version < 1 or plan.action != "bump":
            abort(400)
        text = store.with_version(text, version)
    try:
        kept = store.register_outline(db, text, actor=g.user["username"], bump_version=True)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return _preview(checked, 409)
    note = ""
    if kept.version != outline.version:
        note = (f" Phiên bản {outline.version} đã có với nội dung khác nên bản này được lưu "
                f"thành phiên bản {kept.version}; các đợt báo cáo đã mở vẫn giữ phiên bản của "
                "mình.")
    flash(f"Đã lưu đề cương «{kept.title}» phiên bản {kept.version}.{note}", "success")
    return redirect(url_for("outlines.show", outline_id=kept.id, version=kept.version))


@bp.get("/<outline_id>/<int:version>")
@role_required("coordinator")
def show(outline_id: str, version: int) -> ResponseReturnValue:
    """One version as a tree, with its downloads and "open a round with it"."""
    versions = catalog(get_db()).get(outline_id, {})
    entry = versions.get(version)
    if entry is None:
        abort(404)
    return render_template("outlines/show.html", entry=entry, outline=entry.outline,
                           versions=versions)


def _download_name(entry: Version, suffix: str) -> str:
    stem = SAFE_NAME.sub("-", unicodedata.normalize("NFKD", entry.id)).strip("-") or "de-cuong"
    return f"{stem}-v{entry.version}{suffix}"


@bp.get("/<outline_id>/<int:version>.yaml")
@role_required("coordinator")
def download_yaml(outline_id: str, version: int) -> ResponseReturnValue:
    db = get_db()
    entry = _version_or_404(db, outline_id, version)
    # The charset is in the media type: Werkzeug 3 no longer reads `response.charset`.
    return attachment(_text_of(db, entry).encode("utf-8"), _download_name(entry, ".yaml"),
                      "application/yaml; charset=utf-8")


@bp.get("/<outline_id>/<int:version>.xlsx")
@role_required("coordinator")
def download_xlsx(outline_id: str, version: int) -> ResponseReturnValue:
    """The version as an XLSForm-style workbook (choice lists keep their YAML names, since the
    exporter is given the text, not only the loaded outline)."""
    db = get_db()
    entry = _version_or_404(db, outline_id, version)
    text = _text_of(db, entry)
    # The exporter takes a text without a line break for a path: one-line YAML gets one.
    data = workbook_bytes(text if "\n" in text else text + "\n")
    return attachment(data, _download_name(entry, ".xlsx"),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
