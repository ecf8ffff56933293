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
from forms import load_outline
from forms.kinds import KINDS
from forms.outline_upload import (
    DEFAULT_MAX_OUTLINE_MB,
    Upload,
    check_yaml,
    normalise_text,
    read_upload,
)
from forms.spreadsheet import workbook_bytes
from store.names import clean_file_name
from store.outline_catalog import Version, catalog, keep_outline, plan_for, text_of
from webapp.auth import role_required
from webapp.db import get_db
from webapp.display import number as vn_number
from webapp.downloads import attachment

bp = Blueprint("outlines", __name__, url_prefix="/coordinator/outlines")

SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")

#: The kinds' names in the outline's page: each value kind's own `title`, and the two
#: structural kinds (headings and tables) that are not value kinds.
KIND_LABELS = {"section": "mục", **{name: kind.title for name, kind in KINDS.items()},
               "table": "bảng"}
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
    try:
        plan, kept = keep_outline(db, outline, text, actor=g.user["username"], version=version)
    except ValueError:
        abort(400)
    except store.StoreError as exc:
        flash(str(exc), "error")
        return _preview(checked, 409)
    if plan.action == "exists":
        flash(f"Đề cương «{outline.title}» đã có (phiên bản {plan.version}); không lưu thêm.",
              "info")
        return redirect(url_for("outlines.show", outline_id=outline.id, version=plan.version))
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


def _version_or_404(db: Database, outline_id: str, version: int) -> Version:
    entry = catalog(db).get(outline_id, {}).get(version)
    if entry is None:
        abort(404)
    return entry


def _download_name(entry: Version, suffix: str) -> str:
    stem = SAFE_NAME.sub("-", unicodedata.normalize("NFKD", entry.id)).strip("-") or "de-cuong"
    return f"{stem}-v{entry.version}{suffix}"


@bp.get("/<outline_id>/<int:version>.yaml")
@role_required("coordinator")
def download_yaml(outline_id: str, version: int) -> ResponseReturnValue:
    db = get_db()
    entry = _version_or_404(db, outline_id, version)
    # The charset is in the media type: Werkzeug 3 no longer reads `response.charset`.
    return attachment(text_of(db, entry).encode("utf-8"), _download_name(entry, ".yaml"),
                      "application/yaml; charset=utf-8")


@bp.get("/<outline_id>/<int:version>.xlsx")
@role_required("coordinator")
def download_xlsx(outline_id: str, version: int) -> ResponseReturnValue:
    """The version as an XLSForm-style workbook (choice lists keep their YAML names, since the
    exporter is given the text, not only the loaded outline)."""
    db = get_db()
    entry = _version_or_404(db, outline_id, version)
    text = text_of(db, entry)
    # The exporter takes a text without a line break for a path: one-line YAML gets one.
    data = workbook_bytes(text if "\n" in text else text + "\n")
    return attachment(data, _download_name(entry, ".xlsx"),
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
