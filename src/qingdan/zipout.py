"""The master's zip written again: parts kept are copied with their compressed bytes
as they are (no inflate and deflate of a large 清单 on every write), parts
qingdan changed are deflated (part of the OOXML layer, see ooxml.py)."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib

from .guard import packed_part

_LOCAL = struct.Struct("<IHHHHHIIIHH")
_CENTRAL = struct.Struct("<IHHHHHHIIIHHHHHII")
_END = struct.Struct("<IHHHHIIH")
_UTF8_NAME = 0x800


class ZipOut:
    """A zip written entry by entry: parts copied with their compressed bytes as
    they are, or new content deflated.  Sizes stay far below zip64's limits (the
    guard caps a master at 500 MB and 5,000 parts)."""

    def __init__(self) -> None:
        self._out = io.BytesIO()
        self._central: list[bytes] = []

    def _add(self, name: str, date_time: tuple, method: int, crc: int, packed: bytes, size: int,
             external: int, system: int) -> None:
        raw_name = name.encode("utf-8")
        flags = 0 if name.isascii() else _UTF8_NAME
        year, month, day, hour, minute, second = date_time
        if year < 1980:
            year, month, day, hour, minute, second = 1980, 1, 1, 0, 0, 0
        dos_time = hour << 11 | minute << 5 | second // 2
        dos_date = (year - 1980) << 9 | month << 5 | day
        offset = self._out.tell()
        self._out.write(_LOCAL.pack(0x04034B50, 20, flags, method, dos_time, dos_date, crc, len(packed), size,
                                    len(raw_name), 0))
        self._out.write(raw_name)
        self._out.write(packed)
        self._central.append(_CENTRAL.pack(0x02014B50, system << 8 | 20, 20, flags, method, dos_time, dos_date,
                                           crc, len(packed), size, len(raw_name), 0, 0, 0, 0, external, offset)
                             + raw_name)

    def copy(self, data: bytes, info: zipfile.ZipInfo) -> bool:
        """Copy ``info``'s entry of the zip ``data`` without recompressing it;
        False when it cannot be copied so (see guard.packed_part), and the caller
        deflates it instead."""
        packed = packed_part(data, info)
        if packed is None:
            return False
        packed = bytes(packed)
        # inflated once to check its CRC (inflating is cheap; deflating again is what is saved):
        # a damaged part makes the write fail, as reading it would, and the master stays as it was
        content = packed if info.compress_type == zipfile.ZIP_STORED else zlib.decompress(packed, -15)
        if zlib.crc32(content) != info.CRC or len(content) != info.file_size:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {info.filename!r}")
        self._add(info.filename, info.date_time, info.compress_type, info.CRC, packed, info.file_size,
                  info.external_attr, info.create_system)
        return True

    def deflate(self, name: str, content: bytes, like: zipfile.ZipInfo | None = None) -> None:
        """Add ``content`` as a new deflated entry (with ``like``'s date and attributes)."""
        packer = zlib.compressobj(3, zlib.DEFLATED, -15)  # level 3: near 6's size at a third of its time
        packed = packer.compress(content) + packer.flush()
        if like is None:
            self._add(name, (1980, 1, 1, 0, 0, 0), zipfile.ZIP_DEFLATED, zlib.crc32(content), packed,
                      len(content), 0o600 << 16, 3)
        else:
            self._add(name, like.date_time, zipfile.ZIP_DEFLATED, zlib.crc32(content), packed, len(content),
                      like.external_attr, like.create_system)

    def finish(self) -> bytes:
        """The zip's bytes, its central directory written."""
        directory = b"".join(self._central)
        offset = self._out.tell()
        self._out.write(directory)
        self._out.write(_END.pack(0x06054B50, 0, 0, len(self._central), len(self._central), len(directory),
                                  offset, 0))
        return self._out.getvalue()
