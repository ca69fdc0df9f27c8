"""An .xlsx package opened with its checks, its XML parsed safely, and a few parts rewritten while
every other member keeps its stored bytes (docs/reports.md, "一表通 templates: filling").

An .xlsx is a zip archive of XML parts (an OPC package). Before any part is parsed the archive is
checked: a zip at all (an .xls or an encrypted workbook is an OLE2 file, a CSV is text), no more
than `max_members` members, each inflating to no more than `max_member_bytes` as the zip directory
declares (`zipfile` stops reading at the declared size and checks the CRC, so a member that lies
fails), no zip encryption, only stored or deflated members, and a workbook part of the plain .xlsx
type: a macro-enabled package (.xlsm, a vbaProject) is refused, since a template holds no macros.
XML is parsed without entities, network or huge trees, and a part with a DOCTYPE is refused.
No Django here: the module reads only its arguments.
"""

import struct
import zipfile
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from io import BytesIO
from posixpath import dirname, join, normpath

from lxml import etree

from wangge.core.sheet_limits import Limits, human_size

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELATIONSHIPS = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_MARKS = ("macroEnabled", "vbaProject")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")
CENTRAL_HEADER = struct.Struct("<IHHHHHHIIIHHHHHII")
END_OF_DIRECTORY = struct.Struct("<IHHHHIIH")
DATA_DESCRIPTOR_FLAG = 0x08
ZIP_LIMIT = 0xFFFFFFFF


class WorkbookError(ValueError):
    """The file is no template we fill, or a write it was asked for is refused; the message says
    why, in Chinese and English."""


@dataclass(frozen=True)
class PackageLimits:
    """How large a template may be: its sheets (rows, columns, cells, a member's inflated size)
    and the number of members in its archive."""

    sheet: Limits
    max_members: int


def limits_from(config: Mapping[str, int]) -> PackageLimits:
    """The limits from a settings mapping (`settings.WANGGE["REPORT_TEMPLATE_LIMITS"]`)."""
    return PackageLimits(
        sheet=Limits(
            max_rows=config["max_rows"],
            max_columns=config["max_columns"],
            max_cells=config["max_cells"],
            max_member_bytes=config["max_member_bytes"],
        ),
        max_members=config["max_members"],
    )


def tag(name: str) -> str:
    """The qualified name of a SpreadsheetML element."""
    return f"{{{MAIN}}}{name}"


def parse_xml(data: bytes, part: str) -> etree._ElementTree:
    """A part's XML, parsed without resolving entities, fetching anything or growing huge trees;
    a DOCTYPE (where entities are declared) is refused whatever it holds."""
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as error:
        raise WorkbookError(
            f"“{part}”不是有效的XML（{error}） / '{part}' is not valid XML ({error})"
        ) from error
    tree = root.getroottree()
    if tree.docinfo.internalDTD is not None:  # any <!DOCTYPE>, with or without a subset
        raise WorkbookError(
            f"“{part}”含有DOCTYPE声明，拒绝处理 / '{part}' declares a DOCTYPE, which is refused"
        )
    return tree


def serialise(tree: etree._ElementTree) -> bytes:
    """The tree as a part again: UTF-8 behind the declaration Excel writes, standalone as it was."""
    standalone = tree.docinfo.standalone
    flag = "" if standalone is None else f' standalone="{"yes" if standalone else "no"}"'
    declaration = f'<?xml version="1.0" encoding="UTF-8"{flag}?>\r\n'.encode()
    return declaration + etree.tostring(tree, encoding="UTF-8", xml_declaration=False)


def _not_xlsx(content: bytes) -> WorkbookError:
    if content.startswith(OLE2):
        if ENCRYPTED_PACKAGE in content:
            return WorkbookError(
                "工作簿已加密，请取消密码后再上传 / the workbook is encrypted: remove its password "
                "and upload it again"
            )
        return WorkbookError(
            "这是旧版Excel（.xls）文件，请另存为.xlsx / this is a legacy Excel (.xls) file: save it "
            "as .xlsx"
        )
    return WorkbookError("这不是Excel工作簿（.xlsx） / this is not an Excel workbook (.xlsx)")


class Package:
    """The members of an .xlsx and where its workbook, sheets and shared strings are, checked."""

    def __init__(self, content: bytes, limits: PackageLimits) -> None:
        self.content = content
        self.limits = limits
        if not zipfile.is_zipfile(BytesIO(content)):
            raise _not_xlsx(content)
        try:
            self.archive = zipfile.ZipFile(BytesIO(content))
        except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError) as error:
            raise WorkbookError(
                f"压缩包已损坏（{error}） / the archive is damaged ({error})"
            ) from error
        self.members = self.archive.infolist()
        self._check_members()
        self.workbook_part = self._workbook_part()
        self.sheets: dict[str, str] = {}
        self.shared_strings_part: str | None = None
        self._find_parts()

    def _check_members(self) -> None:
        size = self.limits.sheet.max_member_bytes
        if len(self.members) > self.limits.max_members:
            raise WorkbookError(
                f"压缩包有{len(self.members)}个文件，超过上限{self.limits.max_members}个 / the archive "
                f"holds {len(self.members)} members, more than the limit of {self.limits.max_members}"
            )
        if len({member.filename for member in self.members}) < len(self.members):
            raise WorkbookError("压缩包中有重名文件 / the archive holds two members of one name")
        for member in self.members:
            if member.flag_bits & 0x01:
                raise WorkbookError("压缩包已加密 / the archive is encrypted")
            if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                raise WorkbookError(
                    f"“{member.filename}”的压缩方式不受支持 / '{member.filename}' is compressed "
                    "in an unsupported way"
                )
            if member.file_size > size:
                raise WorkbookError(
                    f"压缩包中的“{member.filename}”解压后有{human_size(member.file_size)}，超过上限"
                    f"{human_size(size)} / '{member.filename}' in the archive inflates to "
                    f"{human_size(member.file_size)}, more than the limit of {human_size(size)}"
                )

    def read(self, part: str) -> bytes:
        """A member's bytes; a member that is missing or fails its CRC is refused."""
        try:
            return self.archive.read(part)
        except (KeyError, zipfile.BadZipFile, EOFError, zlib.error) as error:
            raise WorkbookError(
                f"无法读取“{part}”（{error}） / '{part}' cannot be read ({error})"
            ) from error

    def xml(self, part: str) -> etree._ElementTree:
        return parse_xml(self.read(part), part)

    def _workbook_part(self) -> str:
        if "[Content_Types].xml" not in self.archive.NameToInfo:
            raise _not_xlsx(self.content)
        types = self.xml("[Content_Types].xml").getroot()
        declared = [
            element.get("ContentType", "")
            for element in types.iter(f"{{{CONTENT_TYPES}}}Default", f"{{{CONTENT_TYPES}}}Override")
        ]
        if any(mark in kind for kind in declared for mark in MACRO_MARKS):
            raise WorkbookError(
                "工作簿含有宏（.xlsm），模板不能含宏 / the workbook is macro-enabled (.xlsm); a "
                "template holds no macros"
            )
        overrides = {
            element.get("PartName", "").lstrip("/"): element.get("ContentType")
            for element in types.iter(f"{{{CONTENT_TYPES}}}Override")
        }
        for part, kind in overrides.items():
            if kind == WORKBOOK_TYPE:
                return part
        raise _not_xlsx(self.content)

    def _find_parts(self) -> None:
        base = dirname(self.workbook_part)
        rels_part = join(base, "_rels", self.workbook_part.rsplit("/", 1)[-1] + ".rels")
        targets: dict[str, tuple[str, str]] = {}
        for rel in self.xml(rels_part).getroot().iter(f"{{{PACKAGE_RELATIONSHIPS}}}Relationship"):
            target = rel.get("Target", "")
            part = target.lstrip("/") if target.startswith("/") else normpath(join(base, target))
            targets[rel.get("Id", "")] = (rel.get("Type", ""), part)
            if rel.get("Type", "").endswith("/sharedStrings"):
                self.shared_strings_part = part
        workbook = self.xml(self.workbook_part).getroot()
        if workbook.tag != tag("workbook"):
            raise WorkbookError(
                "工作簿不是常规的Open XML格式（可能是Strict格式），请另存为Excel工作簿 / the workbook "
                "is not in transitional Open XML (perhaps Strict): save it as an Excel Workbook"
            )
        for sheet in workbook.iter(tag("sheet")):
            kind, part = targets.get(sheet.get(f"{{{RELATIONSHIPS}}}id", ""), ("", ""))
            if kind.endswith("/worksheet"):
                if part not in self.archive.NameToInfo:
                    raise WorkbookError(
                        f"缺少工作表文件“{part}” / the sheet part '{part}' is missing"
                    )
                self.sheets[sheet.get("name", "")] = part

    def rewrite(self, changed: Mapping[str, bytes]) -> bytes:
        """The archive with the `changed` parts replaced: every member in its order, with its
        name, time, attributes and compression method; the others' compressed bytes as stored."""
        out = BytesIO()
        directory = []
        for member in self.members:
            name = member.orig_filename.encode("utf-8" if member.flag_bits & 0x800 else "cp437")
            if member.filename in changed:
                data = changed[member.filename]
                stored, crc, size = (
                    _compress(data, member.compress_type),
                    zlib.crc32(data),
                    len(data),
                )
            else:
                stored, crc, size = self._stored(member), member.CRC, member.file_size
            year, month, day, hour, minute, second = member.date_time
            fields = (
                20,
                member.flag_bits & ~DATA_DESCRIPTOR_FLAG,
                member.compress_type,
                hour << 11 | minute << 5 | second // 2,
                (year - 1980) << 9 | month << 5 | day,
                crc,
                len(stored),
                size,
                len(name),
                0,
            )
            offset = out.tell()
            out.write(LOCAL_HEADER.pack(0x04034B50, *fields) + name + stored)
            made_by = member.create_system << 8 | member.create_version
            directory.append(
                CENTRAL_HEADER.pack(
                    0x02014B50,
                    made_by,
                    *fields,
                    0,
                    0,
                    member.internal_attr,
                    member.external_attr,
                    offset,
                )
                + name
            )
        start = out.tell()
        out.write(b"".join(directory))
        if out.tell() > ZIP_LIMIT:
            raise WorkbookError("工作簿超过4 GB / the workbook exceeds 4 GB")
        count = len(directory)
        out.write(
            END_OF_DIRECTORY.pack(0x06054B50, 0, 0, count, count, out.tell() - start, start, 0)
        )
        return out.getvalue()

    def _stored(self, member: zipfile.ZipInfo) -> bytes:
        """A member's bytes as stored in the archive (compressed), behind its local header."""
        header = self.content[member.header_offset : member.header_offset + LOCAL_HEADER.size]
        if len(header) < LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
            raise WorkbookError("压缩包已损坏 / the archive is damaged")
        name_length, extra_length = struct.unpack("<HH", header[26:30])
        start = member.header_offset + LOCAL_HEADER.size + name_length + extra_length
        return self.content[start : start + member.compress_size]


def _compress(data: bytes, method: int) -> bytes:
    if method == zipfile.ZIP_STORED:
        return data
    compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()
