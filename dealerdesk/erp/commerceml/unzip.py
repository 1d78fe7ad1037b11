"""Unpacking the zip archives 1C uploads (`zip=yes`), without trusting them.

An archive comes from an authenticated ERP client, but a broken or hostile one must not write
outside the exchange area (zip slip), plant links, or fill the disk (a zip bomb). Every entry is
checked before anything is written, and the bytes written are counted again while unpacking,
because the sizes in the archive's directory may lie.
"""

from __future__ import annotations

import contextlib
import re
import stat
import zipfile
from pathlib import Path, PurePosixPath

from dealerdesk.erp.commerceml.parser import CommerceMLError

# Small files compress far better than the limit without being bombs (a 20 KB file of spaces
# is 1000:1); the ratio is checked on entries larger than this.
RATIO_CHECK_FROM_BYTES = 1024 * 1024
COPY_BLOCK = 1024 * 1024
UTF8_NAMES_FLAG = 0x800
_WINDOWS_DRIVE = re.compile(r"^[A-Za-z]:")


def _entry_name(info: zipfile.ZipInfo) -> str:
    name = info.filename
    if not info.flag_bits & UTF8_NAMES_FLAG:
        # zipfile decodes names without the UTF-8 flag as cp437; 1C (Windows) writes cp866.
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            name = name.encode("cp437").decode("cp866")
    return name.replace("\\", "/")


def _relative_path(info: zipfile.ZipInfo) -> PurePosixPath:
    name = _entry_name(info)
    if name.startswith("/") or _WINDOWS_DRIVE.match(name):
        raise CommerceMLError(f"архив отклонён: абсолютный путь {name!r}")
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if any(part == ".." for part in parts):
        raise CommerceMLError(f"архив отклонён: путь {name!r} выходит за пределы каталога")
    if any("\x00" in part for part in parts):
        raise CommerceMLError(f"архив отклонён: недопустимое имя {name!r}")
    return PurePosixPath(*parts) if parts else PurePosixPath()


def _is_link(info: zipfile.ZipInfo) -> bool:
    mode = info.external_attr >> 16
    return stat.S_ISLNK(mode)


def unpack_zip(
    archive: Path,
    target: Path,
    *,
    max_total_bytes: int = 2 * 1024**3,
    max_ratio: int = 200,
    max_entries: int = 100_000,
) -> list[Path]:
    """Unpack safely: no absolute paths or '..' escaping target, no symlinks, limits on total
    size, compression ratio and entry count; returns the extracted file paths. Raises
    CommerceMLError with the reason."""
    try:
        bundle = zipfile.ZipFile(archive)
    except (zipfile.BadZipFile, OSError) as error:
        raise CommerceMLError(f"архив не читается: {error}") from None
    with bundle:
        entries = bundle.infolist()
        if len(entries) > max_entries:
            raise CommerceMLError(
                f"архив отклонён: {len(entries)} файлов, допускается не более {max_entries}"
            )
        target = target.resolve()
        planned: list[tuple[zipfile.ZipInfo, Path]] = []
        declared = 0
        for info in entries:
            relative = _relative_path(info)
            if _is_link(info):
                raise CommerceMLError(f"архив отклонён: {info.filename!r} — символическая ссылка")
            if info.flag_bits & 0x1:
                raise CommerceMLError(f"архив отклонён: {info.filename!r} зашифрован")
            destination = (target / relative).resolve()
            if destination != target and target not in destination.parents:
                raise CommerceMLError(
                    f"архив отклонён: путь {info.filename!r} выходит за пределы каталога"
                )
            declared += info.file_size
            if declared > max_total_bytes:
                raise CommerceMLError(
                    f"архив отклонён: распакованный размер больше {max_total_bytes} байт"
                )
            if info.file_size > RATIO_CHECK_FROM_BYTES and info.file_size > max_ratio * max(
                info.compress_size, 1
            ):
                raise CommerceMLError(
                    f"архив отклонён: {info.filename!r} сжат более чем в {max_ratio} раз "
                    "(подозрение на zip-бомбу)"
                )
            planned.append((info, destination))

        written = 0
        files: list[Path] = []
        try:
            for info, destination in planned:
                if info.is_dir() or destination == target:
                    destination.mkdir(parents=True, exist_ok=True)
                    continue
                destination.parent.mkdir(parents=True, exist_ok=True)
                files.append(destination)
                written += _copy(bundle, info, destination, max_total_bytes - written)
        except CommerceMLError:
            _remove(files)
            raise
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, RuntimeError, EOFError) as error:
            _remove(files)
            raise CommerceMLError(f"архив повреждён: {error}") from None
        return files


def _copy(bundle: zipfile.ZipFile, info: zipfile.ZipInfo, destination: Path, allowed: int) -> int:
    """Copy one entry; the bytes really unpacked count, not the sizes the archive claims."""
    size = 0
    with bundle.open(info) as source, destination.open("wb") as sink:
        while block := source.read(COPY_BLOCK):
            size += len(block)
            if size > allowed or size > info.file_size:
                raise CommerceMLError(
                    f"архив отклонён: {info.filename!r} больше заявленного размера "
                    "или превышен общий предел"
                )
            sink.write(block)
    return size


def _remove(files: list[Path]) -> None:
    """A refused archive leaves nothing half-unpacked behind."""
    for path in files:
        path.unlink(missing_ok=True)
