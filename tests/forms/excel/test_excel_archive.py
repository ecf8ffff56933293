"""A .zip of templates is opened member by member within limits on the whole archive: size,
member count and the total its members inflate to, each refusal naming the archive or member."""

from __future__ import annotations

import io
import random
import zipfile

from forms.excel.archive import MAX_ARCHIVE_MEMBERS, archive_members


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, body in members.items():
            zf.writestr(name, body)
    return out.getvalue()


def every(name: str) -> bool:
    return True


def test_members_come_one_by_one_and_unwanted_ones_are_not_inflated() -> None:
    archive = zip_of({"a.xlsx": b"AAA", "thu-muc/b.xlsx": b"BB", "ghi-chu.txt": b"x" * 1000})
    found = list(archive_members(archive, "lo.zip", read=lambda n: n.endswith(".xlsx")))
    assert found == [("a.xlsx", b"AAA"), ("thu-muc/b.xlsx", b"BB"), ("ghi-chu.txt", None)]


def test_members_declaring_more_than_the_total_are_refused_before_any_is_inflated() -> None:
    # 120 members of 10 MiB of zeros: 1.2 MB of archive, 1.2 GB once inflated.
    archive = zip_of({f"dv{n:03}.xlsx": bytes(10 * 1024 * 1024) for n in range(120)})
    assert len(archive) < 2 * 1024 * 1024
    members = archive_members(archive, "xa-b.zip", read=every)
    assert next(members) == ("xa-b.zip", (
        "Tệp nén «xa-b.zip» khi giải nén lớn tới 1200 MB, vượt quá giới hạn 100 MB mỗi tệp "
        "nén; chưa tệp nào trong đó được đọc. Hãy chia thành nhiều tệp nén nhỏ hơn."))
    assert next(members, None) is None


def test_too_many_members_are_refused_from_the_end_record() -> None:
    archive = zip_of({f"{n}.xlsx": b"" for n in range(MAX_ARCHIVE_MEMBERS + 1)})
    assert list(archive_members(archive, "nhieu.zip", read=every)) == [("nhieu.zip", (
        "Tệp nén «nhieu.zip» chứa 5.001 tệp, vượt quá giới hạn 5.000 tệp mỗi tệp nén. Hãy chia "
        "thành nhiều tệp nén."))]


def test_an_archive_over_its_size_limit_is_refused_unopened(tmp_path) -> None:
    path = tmp_path / "lon.zip"
    path.write_bytes(zip_of({"a.xlsx": random.Random(1).randbytes(5000)}))
    found = list(archive_members(path, "lon.zip", read=every, max_archive=1000))
    assert len(found) == 1 and found[0][0] == "lon.zip"
    assert found[0][1].startswith("Tệp nén «lon.zip» quá lớn (")
    assert "hệ thống nhận tệp nén tối đa 1000 byte" in found[0][1]


def test_a_member_over_the_file_limit_is_named_and_the_others_are_read() -> None:
    archive = zip_of({"a.xlsx": b"AAA", "to.xlsx": bytes(11 * 1024 * 1024), "c.xlsx": b"C"})
    found = dict(archive_members(archive, "lo.zip", read=every))
    assert found["a.xlsx"] == b"AAA" and found["c.xlsx"] == b"C"
    assert found["to.xlsx"] == ("Tệp «to.xlsx» trong tệp nén «lo.zip» quá lớn (11 MB); hệ thống "
                                "nhận tệp tối đa 10 MB.")


def test_not_a_zip_says_so_naming_it() -> None:
    found = list(archive_members(b"%PDF-1.4 scan", "scan.zip", read=every))
    assert len(found) == 1 and found[0][0] == "scan.zip"
    assert found[0][1].startswith("Không mở được tệp nén «scan.zip» (")
