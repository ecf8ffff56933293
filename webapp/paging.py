"""Server-side paging of long lists (the round board, the consolidated tables, an item's
narratives): `?page=` and `?per=` read once, the slice to show, and the links of the pager
(`templates/_pager.html`). A page past the end, or a page number that is not a number, is
answered with a page saying which pages exist — never a 500, never an empty table that looks
like "no units"."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import Response, abort, render_template, request, url_for

PER_CHOICES = (25, 50, 100, 200, 500)


@dataclass(frozen=True)
class Page:
    """Page `number` (from 1) of `total` items, `per` a page."""

    number: int
    per: int
    total: int

    @property
    def count(self) -> int:
        """How many pages there are (one, even for an empty list)."""
        return max(1, -(-self.total // self.per))

    @property
    def start(self) -> int:
        return (self.number - 1) * self.per

    @property
    def stop(self) -> int:
        return min(self.total, self.start + self.per)

    @property
    def label(self) -> str:
        """"Trang 2/40" for the pager and the page title."""
        return f"Trang {self.number}/{self.count}"

    def links(self, endpoint: str, args: Mapping[str, Any],
              default_per: int) -> dict[str, str | None]:
        """URLs of the first, previous, next and last pages (None where there is none), with
        the view's other arguments kept."""
        def at(number: int) -> str:
            values: dict[str, Any] = dict(args)
            if self.per != default_per:
                values["per"] = self.per
            if number > 1:
                values["page"] = number
            return url_for(endpoint, **values)

        last = self.count
        return {
            "first": at(1) if self.number > 1 else None,
            "prev": at(self.number - 1) if self.number > 1 else None,
            "next": at(self.number + 1) if self.number < last else None,
            "last": at(last) if self.number < last else None,
        }


def _refuse(code: int, text: str) -> None:
    abort(Response(render_template("errors/error.html", code=code,
                                   title="Không có trang này", text=text), code))


def read_page(total: int, *, default_per: int, what: str = "đơn vị") -> Page:
    """`?page=`/`?per=` of the request over `total` items. `per` is one of `PER_CHOICES`
    (another value is rounded up to the next one, at most the largest). A page that is not a
    whole number, or past the last page, is answered 400/404 with the pages that exist."""
    raw_per = request.args.get("per", "").strip()
    per = default_per
    if raw_per.isdigit():
        per = next((p for p in PER_CHOICES if p >= int(raw_per)), PER_CHOICES[-1])
    page = Page(1, per, total)
    raw = request.args.get("page", "").strip()
    if not raw:
        return page
    if not raw.isdigit() or int(raw) < 1:
        _refuse(400, f"Số trang «{raw[:20]}» không hợp lệ: hãy dùng một số từ 1 đến "
                     f"{page.count} (mỗi trang {per} {what}).")
    if int(raw) > page.count:
        _refuse(404, f"Không có trang {int(raw)}: danh sách có {total} {what}, chia thành "
                     f"{page.count} trang, mỗi trang {per} {what}. Hãy chọn trang từ 1 đến "
                     f"{page.count}.")
    return Page(int(raw), per, total)
