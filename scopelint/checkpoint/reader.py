"""Read a TensorFlow checkpoint's table of contents without TensorFlow.

A V2 checkpoint (what ``tf.train.Saver().save`` writes by default since TF 1.0) is a prefix:
``PREFIX.index`` lists every saved tensor, ``PREFIX.data-NNNNN-of-MMMMM`` holds the values. Only
the index is read here: names, dtypes and shapes are all a restore needs to be predicted.

The index is an SSTable (LevelDB's table format, as TF's ``tensorflow/core/lib/io/table``
writes it): data blocks of prefix-compressed key/value entries, an index block pointing at them,
and a 48-byte footer ending in a magic number. Under the empty key is a ``BundleHeaderProto``;
under each tensor's name a ``BundleEntryProto``. Both are decoded here from the protobuf wire
format directly.

A directory is resolved through its ``checkpoint`` state file (a text proto naming the latest
prefix in ``model_checkpoint_path``), as ``tf.train.latest_checkpoint`` does.

A V1 checkpoint (a single table file, or ``PREFIX-00000-of-NNNNN`` shards: what
``Saver(write_version=V1)`` writes and the TF-Slim model zoo ships) is read too: each shard's
table begins with a ``SavedTensorSlices`` entry whose metadata names every tensor with its shape
and dtype.

Anything that cannot be read raises :class:`CheckpointError` with a message for the user: a
compressed block, a truncated or damaged file, a file that is no checkpoint. Nothing else
escapes.
"""

from __future__ import annotations

import os
import re
import struct
from dataclasses import dataclass
from pathlib import Path

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48  # two block handles padded to 40 bytes, then the 8-byte magic
BLOCK_TRAILER = 5  # after each block: the compression type byte and a masked CRC32C
MAX_INDEX_BYTES = 1 << 30  # an index this large is not a checkpoint's table of contents

# tensorflow/core/framework/types.proto: DataType enum value -> tf.DType.name. A `_ref` dtype
# is the same number plus 100 (graph-mode reference variables); it is saved as its base type.
DTYPES = {
    1: "float32",
    2: "float64",
    3: "int32",
    4: "uint8",
    5: "int16",
    6: "int8",
    7: "string",
    8: "complex64",
    9: "int64",
    10: "bool",
    11: "qint8",
    12: "quint8",
    13: "qint32",
    14: "bfloat16",
    15: "qint16",
    16: "quint16",
    17: "uint16",
    18: "complex128",
    19: "float16",
    20: "resource",
    21: "variant",
    22: "uint32",
    23: "uint64",
    24: "float8_e5m2",
    25: "float8_e4m3fn",
    26: "float8_e4m3fnuz",
    27: "float8_e4m3b11fnuz",
    28: "float8_e5m2fnuz",
    29: "int4",
    30: "uint4",
}


class CheckpointError(Exception):
    """The checkpoint cannot be read; the message says why, for the user."""


@dataclass(frozen=True, slots=True)
class TensorEntry:
    """One saved tensor: its name (the variable's op name), dtype and shape."""

    name: str
    dtype: str  # a tf.DType name ("float32"), or "DT_<n>" for a number this table does not know
    shape: tuple[int, ...] | None  # None: saved with an unknown rank
    sliced: bool = False  # saved in slices (a partitioned variable)


@dataclass(frozen=True, slots=True)
class Checkpoint:
    prefix: str  # the prefix as resolved (a directory's latest checkpoint)
    entries: tuple[TensorEntry, ...]  # in key order, as TF lists them

    def by_name(self) -> dict[str, TensorEntry]:
        return {entry.name: entry for entry in self.entries}


# -- locating a checkpoint -----------------------------------------------------------------------


def resolve(spec: str | os.PathLike) -> str:
    """The prefix that ``spec`` names: a prefix itself, a ``PREFIX.index`` file, or a directory
    with a ``checkpoint`` state file."""
    path = os.fspath(spec)
    if os.path.isdir(path):
        state = os.path.join(path, "checkpoint")
        if not os.path.isfile(state):
            raise CheckpointError(
                f"{path} is a directory without a `checkpoint` file: name a checkpoint prefix "
                "(the path without `.index`)"
            )
        latest = latest_in_state(_read(state).decode("utf-8", "replace"))
        if latest is None:
            raise CheckpointError(f"{state} names no `model_checkpoint_path`")
        prefix = latest if os.path.isabs(latest) else os.path.join(path, latest)
        if not (os.path.exists(prefix + ".index") or os.path.isfile(prefix) or _v1_shards(prefix)):
            raise CheckpointError(
                f"{state} names `{latest}`, but {prefix}.index does not exist"
            )
        return prefix
    if path.endswith(".index") and os.path.isfile(path):
        return path[: -len(".index")]
    if os.path.isfile(path + ".index"):
        return path
    data_file = re.fullmatch(r"(.*)\.data-\d+-of-\d+", path)
    if data_file is not None and os.path.isfile(data_file.group(1) + ".index"):
        return data_file.group(1)
    if os.path.isfile(path) or _v1_shards(path):
        return path  # a V1 checkpoint (one table, or its shards), or not a checkpoint at all
    return _missing(path)


def _v1_shards(path: str) -> list[str]:
    """The files of a sharded V1 checkpoint ``PATH-00000-of-00002``, ..., in order."""
    directory, base = os.path.split(path)
    try:
        names = os.listdir(directory or ".")
    except OSError:
        return []
    pattern = re.compile(re.escape(base) + r"-(\d{5})-of-(\d{5})")
    shards = sorted(n for n in names if pattern.fullmatch(n))
    return [os.path.join(directory, n) for n in shards]


def _missing(path: str) -> str:
    raise CheckpointError(f"no checkpoint at {path} (neither {path}.index nor a directory)")


_STATE_LINE = re.compile(r'^\s*model_checkpoint_path\s*:\s*"((?:[^"\\]|\\.)*)"\s*$', re.MULTILINE)


def latest_in_state(text: str) -> str | None:
    """``model_checkpoint_path`` of a ``checkpoint`` state file (a text-format proto)."""
    match = _STATE_LINE.search(text)
    if match is None:
        return None
    return _unescape(match.group(1))


def _unescape(text: str) -> str:
    """A text-format string's C escapes (\\" \\\\ \\n \\ooo \\xhh), as bytes decoded as UTF-8."""
    out = bytearray()
    i = 0
    raw = text.encode("utf-8")
    simple = {ord("n"): 10, ord("t"): 9, ord("r"): 13, ord("'"): 39, ord('"'): 34, ord("\\"): 92}
    while i < len(raw):
        c = raw[i]
        if c != 92 or i + 1 == len(raw):
            out.append(c)
            i += 1
            continue
        n = raw[i + 1]
        if n in simple:
            out.append(simple[n])
            i += 2
        elif n in b"01234567":
            digits = re.match(rb"[0-7]{1,3}", raw[i + 1 : i + 4]).group(0)
            out.append(int(digits, 8) & 0xFF)
            i += 1 + len(digits)
        elif n == ord("x") and re.match(rb"[0-9a-fA-F]{1,2}", raw[i + 2 : i + 4]):
            digits = re.match(rb"[0-9a-fA-F]{1,2}", raw[i + 2 : i + 4]).group(0)
            out.append(int(digits, 16))
            i += 2 + len(digits)
        else:
            out.append(n)
            i += 2
    return out.decode("utf-8", "replace")


def _read(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_INDEX_BYTES:
            raise CheckpointError(f"{path} is too large ({size} bytes) to be a checkpoint index")
        return Path(path).read_bytes()
    except OSError as error:
        raise CheckpointError(f"cannot read {path}: {error.strerror or error}") from error


# -- reading -------------------------------------------------------------------------------------


def load(spec: str | os.PathLike) -> Checkpoint:
    """The checkpoint that ``spec`` names (see :func:`resolve`), its index read and decoded."""
    prefix = resolve(spec)
    index = prefix + ".index"
    if not os.path.isfile(index):
        return _load_v1(prefix)
    try:
        entries = parse_index(_read(index))
    except CheckpointError as error:
        raise CheckpointError(f"{index}: {error}") from None
    return Checkpoint(prefix, entries)


def _load_v1(path: str) -> Checkpoint:
    """A V1 checkpoint (what ``Saver(write_version=V1)`` wrote, and what the TF-Slim model zoo
    ships): one table per shard, whose entry under the empty key is a ``SavedTensorSlices``
    whose ``meta`` lists every tensor of the shard with its shape and dtype."""
    files = [path] if os.path.isfile(path) else _v1_shards(path)
    entries: dict[str, TensorEntry] = {}
    for name in files:
        data = _read(name)
        if len(data) < FOOTER_SIZE or struct.unpack("<Q", data[-8:])[0] != TABLE_MAGIC:
            raise CheckpointError(
                f"{name} is not a checkpoint: neither a V2 checkpoint (no {path}.index) nor a "
                "V1 one (no table magic number at its end)"
            )
        try:
            for entry in _v1_meta(data):
                entries.setdefault(entry.name, entry)
        except CheckpointError as error:
            raise CheckpointError(f"{name} (a V1 checkpoint): {error}") from None
    return Checkpoint(path, tuple(sorted(entries.values(), key=lambda e: e.name)))


def _v1_meta(data: bytes) -> list[TensorEntry]:
    for key, value in _table_items(data):
        if key != b"":
            break  # the metadata comes first (the empty key sorts first)
        meta = _last(_fields(value), 1, None)
        if not isinstance(meta, bytes):
            break
        out = []
        for tensor in _fields(meta).get(1, ()):
            fields = _fields(tensor) if isinstance(tensor, bytes) else {}
            raw_name = _last(fields, 1, None)
            if not isinstance(raw_name, bytes):
                raise CheckpointError("damaged (a tensor without a name)")
            name = raw_name.decode("utf-8", "replace")
            # SavedSliceMeta: name 1, shape 2, type 3, slices 4 (as an entry's 2, 1 and 7)
            out.append(_entry(name, _encode_entry(fields)))
        return out
    raise CheckpointError("damaged (no tensor metadata under the empty key)")


def _encode_entry(fields: dict[int, list]) -> bytes:
    """A ``SavedSliceMeta``'s shape and dtype re-encoded as a ``BundleEntryProto`` (dtype 1,
    shape 2), so that one decoder reads both formats."""
    dtype = _last(fields, 3, 0)
    shape = _last(fields, 2, b"")
    if not isinstance(dtype, int) or not isinstance(shape, bytes):
        raise CheckpointError("damaged (a tensor's dtype or shape)")
    return (bytes([0x08]) + _encode_varint(dtype) + bytes([0x12]) + _encode_varint(len(shape))
            + shape)


def _encode_varint(value: int) -> bytes:
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def parse_index(data: bytes) -> tuple[TensorEntry, ...]:
    """The tensors listed in the bytes of a ``.index`` file."""
    entries = []
    header_seen = False
    for key, value in _table_items(data):
        if key == b"":
            _check_header(value)
            header_seen = True
            continue
        if key[:1] == b"\x00":
            # A slice of a partitioned variable, under an encoded (name, slice) key; the
            # variable itself has its own entry, whose `slices` field lists them.
            continue
        try:
            name = key.decode("utf-8")
        except UnicodeDecodeError:
            raise CheckpointError(f"a tensor name is not UTF-8: {key[:40]!r}") from None
        entry = _entry(name, value)
        entries.append(entry)
    if not header_seen:
        raise CheckpointError("no bundle header: this is not a TensorFlow checkpoint index")
    return tuple(entries)


def _check_header(value: bytes) -> None:
    fields = _fields(value)
    endianness = _last(fields, 2, 0)
    if endianness != 0:  # LITTLE = 0, BIG = 1: the shapes would still read, but say so
        raise CheckpointError("a big-endian checkpoint is not supported")


def _entry(name: str, value: bytes) -> TensorEntry:
    fields = _fields(value)
    number = _last(fields, 1, 0)
    if not isinstance(number, int):
        raise CheckpointError(f"the entry of `{name}` is damaged (its dtype is not a number)")
    dtype = DTYPES.get(number % 100 if number > 100 else number, f"DT_{number}")
    shape: tuple[int, ...] | None = ()
    raw_shape = _last(fields, 2, b"")
    if not isinstance(raw_shape, bytes):
        raise CheckpointError(f"the entry of `{name}` is damaged (its shape)")
    shape_fields = _fields(raw_shape)
    if _last(shape_fields, 3, 0):
        shape = None
    else:
        dims = []
        for dim in shape_fields.get(2, ()):
            if not isinstance(dim, bytes):
                raise CheckpointError(f"the entry of `{name}` is damaged (a dimension)")
            size = _last(_fields(dim), 1, 0)
            if not isinstance(size, int):
                raise CheckpointError(f"the entry of `{name}` is damaged (a dimension)")
            dims.append(_signed(size))
        shape = tuple(dims)
    return TensorEntry(name, dtype, shape, sliced=bool(fields.get(7)))


def _last(fields: dict[int, list], number: int, default):
    values = fields.get(number)
    return values[-1] if values else default  # protobuf: the last occurrence of a field wins


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


# -- protobuf wire format --------------------------------------------------------------------------


def _varint(data: bytes, pos: int, limit: int | None = None) -> tuple[int, int]:
    end = len(data) if limit is None else limit
    result = shift = 0
    while True:
        if pos >= end:
            raise CheckpointError("truncated (a varint runs past its end)")
        byte = data[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return result, pos
        shift += 7
        if shift > 63:
            raise CheckpointError("damaged (a varint is longer than 10 bytes)")


def _fields(data: bytes) -> dict[int, list]:
    """A protobuf message's fields: number -> values (ints for varint and fixed, bytes for
    length-delimited). Unknown fields are kept and ignored, as protobuf does."""
    out: dict[int, list] = {}
    pos = 0
    while pos < len(data):
        tag, pos = _varint(data, pos)
        number, wire = tag >> 3, tag & 7
        if number == 0:
            raise CheckpointError("damaged (a protobuf field numbered 0)")
        if wire == 0:
            value, pos = _varint(data, pos)
        elif wire == 1:
            if pos + 8 > len(data):
                raise CheckpointError("truncated (a fixed64 field)")
            value = int.from_bytes(data[pos : pos + 8], "little")
            pos += 8
        elif wire == 2:
            length, pos = _varint(data, pos)
            if pos + length > len(data):
                raise CheckpointError("truncated (a length-delimited field)")
            value = data[pos : pos + length]
            pos += length
        elif wire == 5:
            if pos + 4 > len(data):
                raise CheckpointError("truncated (a fixed32 field)")
            value = int.from_bytes(data[pos : pos + 4], "little")
            pos += 4
        else:
            raise CheckpointError(f"damaged (protobuf wire type {wire})")
        out.setdefault(number, []).append(value)
    return out


# -- the SSTable -------------------------------------------------------------------------------------


def _table_items(data: bytes):
    """Every (key, value) of the table, in order."""
    if len(data) < FOOTER_SIZE:
        raise CheckpointError(f"truncated ({len(data)} bytes, shorter than a table footer)")
    footer = data[-FOOTER_SIZE:]
    (magic,) = struct.unpack("<Q", footer[-8:])
    if magic != TABLE_MAGIC:
        raise CheckpointError(
            "not a checkpoint index (no table magic number at its end: truncated, damaged, or "
            "another format)"
        )
    meta_handle, pos = _handle(footer, 0)
    index_handle, _ = _handle(footer, pos)
    table_end = len(data) - FOOTER_SIZE
    # The metaindex block: TF's bundles keep nothing there, but a damaged one is still damage.
    _block(data, meta_handle, table_end)
    for _, handle_bytes in _block_items(_block(data, index_handle, table_end)):
        handle, _ = _handle(handle_bytes, 0)
        yield from _block_items(_block(data, handle, table_end))


def _handle(data: bytes, pos: int) -> tuple[tuple[int, int], int]:
    offset, pos = _varint(data, pos)
    size, pos = _varint(data, pos)
    return (offset, size), pos


def _block(data: bytes, handle: tuple[int, int], table_end: int) -> bytes:
    offset, size = handle
    if offset + size + BLOCK_TRAILER > table_end:
        raise CheckpointError("truncated or damaged (a block lies past the end of the file)")
    contents = data[offset : offset + size]
    kind = data[offset + size]
    (stored,) = struct.unpack("<I", data[offset + size + 1 : offset + size + 5])
    if _unmask(stored) != crc32c(data[offset : offset + size + 1]):
        raise CheckpointError("damaged (a block's checksum does not match)")
    if kind == 1:
        raise CheckpointError("a block is Snappy-compressed, which this reader does not support")
    if kind != 0:
        raise CheckpointError(f"damaged (unknown block compression type {kind})")
    return contents


def _block_items(block: bytes):
    """A block's entries: each key shares a prefix with the previous one (restart points, where
    the prefix is empty, are only needed for seeking; reading in order ignores them)."""
    if len(block) < 4:
        raise CheckpointError("damaged (a block too short for its restart count)")
    (restarts,) = struct.unpack("<I", block[-4:])
    end = len(block) - 4 - 4 * restarts
    if restarts < 1 or end < 0:
        raise CheckpointError("damaged (a block's restart array)")
    pos = 0
    key = b""
    while pos < end:
        shared, pos = _varint(block, pos, end)
        unshared, pos = _varint(block, pos, end)
        length, pos = _varint(block, pos, end)
        if shared > len(key) or pos + unshared + length > end:
            raise CheckpointError("damaged (a block entry runs past its block)")
        key = key[:shared] + block[pos : pos + unshared]
        pos += unshared
        yield key, block[pos : pos + length]
        pos += length


# -- CRC32C (Castagnoli), masked as LevelDB stores it ------------------------------------------------


def _crc_table() -> tuple[int, ...]:
    table = []
    for n in range(256):
        c = n
        for _ in range(8):
            c = (c >> 1) ^ 0x82F63B78 if c & 1 else c >> 1
        table.append(c)
    return tuple(table)


_CRC_TABLE = _crc_table()


def crc32c(data: bytes) -> int:
    crc = 0xFFFFFFFF
    table = _CRC_TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def _unmask(masked: int) -> int:
    rot = (masked - 0xA282EAD8) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


# -- the checkpoint a run compares against ------------------------------------------------------

_ACTIVE: list = [None]  # `scopelint checkpoint`'s checkpoint, which programs read as theirs


def activate(checkpoint: Checkpoint | None) -> None:
    """The checkpoint the programs of this run read (``tf.train.list_variables``): the one
    the command compares them with. None: no checkpoint (a plain lint)."""
    _ACTIVE[0] = checkpoint


def active() -> Checkpoint | None:
    return _ACTIVE[0]
