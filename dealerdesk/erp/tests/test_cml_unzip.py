"""Unpacking the archives 1C uploads: ordinary archives with folders work; zip slip, absolute
paths, links, too many entries and zip bombs are refused and leave nothing behind."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import pytest

from dealerdesk.erp.commerceml import CommerceMLError, unpack_zip


def make_zip(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return path


def test_an_ordinary_archive_with_folders_is_unpacked(tmp_path: Path) -> None:
    archive = make_zip(
        tmp_path / "exchange.zip",
        {
            "import0_1.xml": "<КоммерческаяИнформация/>".encode(),
            "offers0_1.xml": b"<x/>",
            "import_files/82/82cfb8dc.jpg": b"\xff\xd8\xff",
            "import_files/": b"",
        },
    )
    target = tmp_path / "area"

    files = unpack_zip(archive, target)

    assert sorted(path.relative_to(target.resolve()).as_posix() for path in files) == [
        "import0_1.xml",
        "import_files/82/82cfb8dc.jpg",
        "offers0_1.xml",
    ]
    assert (target / "import0_1.xml").read_text(encoding="utf-8") == "<КоммерческаяИнформация/>"
    assert (target / "import_files/82/82cfb8dc.jpg").read_bytes() == b"\xff\xd8\xff"


def test_windows_separators_stay_inside_the_area(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "a.zip", {"import_files\\1.jpg": b"1"})

    files = unpack_zip(archive, tmp_path / "area")

    assert files == [(tmp_path / "area" / "import_files" / "1.jpg").resolve()]


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("../evil.xml", "за пределы"),
        ("import_files/../../evil.xml", "за пределы"),
        ("..\\evil.xml", "за пределы"),
        ("/etc/evil.xml", "абсолютный"),
        ("C:/Windows/evil.xml", "абсолютный"),
    ],
)
def test_paths_leaving_the_area_are_refused(tmp_path: Path, name: str, reason: str) -> None:
    archive = make_zip(tmp_path / "a.zip", {"good.xml": b"<x/>", name: b"owned"})
    target = tmp_path / "area" / "session"

    with pytest.raises(CommerceMLError, match=reason):
        unpack_zip(archive, target)

    assert not (tmp_path / "evil.xml").exists()
    assert not (tmp_path / "area" / "evil.xml").exists()
    assert not (target / "good.xml").exists()  # checked before anything is written


def test_a_symlink_entry_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "link.zip"
    link = zipfile.ZipInfo("import.xml")
    link.create_system = 3  # Unix: the mode bits in external_attr count
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr(link, "/etc/passwd")
    target = tmp_path / "area"

    with pytest.raises(CommerceMLError, match="символическая ссылка"):
        unpack_zip(archive, target)

    assert not (target / "import.xml").exists()


def test_too_many_entries_are_refused(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "many.zip", {f"f{n}.xml": b"x" for n in range(11)})

    with pytest.raises(CommerceMLError, match="не более 10"):
        unpack_zip(archive, tmp_path / "area", max_entries=10)

    assert unpack_zip(archive, tmp_path / "other", max_entries=11)


def test_a_compression_bomb_is_refused(tmp_path: Path) -> None:
    # 20 MB of zeros deflate to about 20 KB: a ratio near 1000.
    archive = make_zip(tmp_path / "bomb.zip", {"import.xml": bytes(20 * 1024 * 1024)})
    target = tmp_path / "area"

    with pytest.raises(CommerceMLError, match="zip-бомб"):
        unpack_zip(archive, target)

    assert not (target / "import.xml").exists()


def test_the_total_size_is_limited(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "big.zip", {"a.xml": b"a" * 600, "b.xml": b"b" * 600})

    with pytest.raises(CommerceMLError, match="1000 байт"):
        unpack_zip(archive, tmp_path / "area", max_total_bytes=1000)


def test_an_entry_larger_than_it_claims_is_stopped_and_removed(tmp_path: Path) -> None:
    archive = make_zip(tmp_path / "liar.zip", {"import.xml": b"<x/>" * 1000})
    # Rewrite the central directory's size of the entry: the directory lies, the data not.
    data = bytearray(archive.read_bytes())
    directory = data.rindex(b"PK\x01\x02")
    data[directory + 24 : directory + 28] = (10).to_bytes(4, "little")
    archive.write_bytes(bytes(data))
    target = tmp_path / "area"

    with pytest.raises(CommerceMLError):
        unpack_zip(archive, target)

    assert not (target / "import.xml").exists()


def test_a_file_that_is_no_zip_is_refused(tmp_path: Path) -> None:
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 but nothing else")

    with pytest.raises(CommerceMLError, match="архив не читается"):
        unpack_zip(archive, tmp_path / "area")
