"""Export copies of originals as a BagIt 1.0 bag (RFC 8493) that an archive or a court can check on its own.

The bag is built beside ``out_dir`` under a hidden temporary name, validated with bagit-python, and only then
renamed to ``out_dir``: a bag that appears is complete. The store is only read.

Layout of the bag::

    bagit.txt, bag-info.txt
    manifest-sha256.txt, manifest-sha512.txt, tagmanifest-sha256.txt, tagmanifest-sha512.txt
    data/originals/<name>      a copy of each original, its name in Unicode NFC
    data/<path>                each extra file (ledger entries, metadata as JSON)
"""

from __future__ import annotations

import hashlib
import os
import secrets
import shutil
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import bagit

import lestweforget
from lestweforget.evidence.errors import EvidenceError, ObjectChangedError
from lestweforget.evidence.ledger import Checkpoint
from lestweforget.evidence.store import CHUNK_SIZE, EvidenceStore, check_sha256
from lestweforget.exports.plain_text import CONTROL_CHARACTER

CHECKSUMS = ("sha256", "sha512")
ORIGINALS = "originals"
_BAGIT_TXT = b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n"


@dataclass(frozen=True)
class BagItem:
    """One original to export: its hash in the store and the file name it gets in the bag."""

    sha256: str
    name: str


def checkpoint_bag_info(checkpoint: Checkpoint) -> dict[str, str]:
    """bag-info.txt fields that tie the bag to a ledger checkpoint. Its signature is an HMAC-SHA256 under the
    atlas's local secret: a receiver can check the Merkle root and the proofs, not the HMAC (the bag says so)."""
    return {
        "Ledger-Checkpoint-Size": str(checkpoint.size),
        "Ledger-Checkpoint-Root": checkpoint.root_hash,
        "Ledger-Checkpoint-Time": checkpoint.time,
        "Ledger-Checkpoint-Signature": checkpoint.signature,
        "Ledger-Checkpoint-Signature-Kind": "HMAC-SHA256 with a secret kept by the atlas (evidence/ledger.key); "
        "it cannot be checked without that secret, and is not a public-key signature",
    }


def export_bag(
    store: EvidenceStore,
    items: Sequence[BagItem],
    out_dir: Path,
    bag_info: Mapping[str, str],
    extra_files: Mapping[str, bytes] | None = None,
) -> Path:
    """Write a valid BagIt 1.0 bag of copies of ``items`` and of ``extra_files`` (under data/) to ``out_dir``.

    Refuses a non-empty ``out_dir``, unsafe or clashing names, and an original whose bytes no longer match.
    """
    out_dir = Path(out_dir)
    _check_out_dir(out_dir)
    originals = _bag_names(items)
    extras = _extra_paths(extra_files or {})
    info = _bag_info(bag_info)

    staging = out_dir.parent / f".{out_dir.name}.partial-{secrets.token_hex(6)}"
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        staging.mkdir()
    except OSError as e:
        raise EvidenceError(f"{out_dir}: cannot create the bag folder: {e.strerror}") from e
    complete = False
    try:
        for name, item in originals.items():
            _copy_verified(store, item, staging / ORIGINALS / name)
        for relative, data in extras.items():
            _write_durably(staging / relative, data)
        _make_bag(staging, info)
        _validate(staging, out_dir)
        try:
            os.replace(staging, out_dir)
        except OSError as e:
            raise EvidenceError(f"{out_dir}: cannot move the finished bag into place: {e.strerror}") from e
        complete = True
    finally:
        if not complete:
            shutil.rmtree(staging, ignore_errors=True)
    return out_dir


def _check_out_dir(out_dir: Path) -> None:
    if out_dir.is_symlink() or (out_dir.exists() and not out_dir.is_dir()):
        raise EvidenceError(f"{out_dir}: exists and is not a folder; refusing to write a bag there")
    if out_dir.is_dir() and any(out_dir.iterdir()):
        raise EvidenceError(f"{out_dir}: is not empty; refusing to write a bag into it")


# Device names Windows reserves in any folder, with or without an extension (Win32 "Naming Files, Paths, and
# Namespaces"); a bag must open on the investigator's machine too.
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"{port}{n}" for port in ("COM", "LPT") for n in (*"123456789", "¹", "²", "³")}
)
# Characters no common file system, Windows included, takes in a name; "%" because RFC 8493 (2.1.3) makes it
# the escape character of manifest paths, which bagit-python does not apply.
_NOT_PORTABLE = frozenset('/\\<>:"|?*%')
MAX_NAME_BYTES = 255  # ext4, XFS, APFS and NTFS (in UTF-16 units, never more than UTF-8 bytes here)
_HASH_SUFFIX = 12


def _trim(text: str) -> str:
    """Without the whitespace bagit-python strips from manifest paths, nor the trailing dots Windows drops."""
    text = text.strip()
    while text.endswith("."):
        text = text[:-1].rstrip()
    return text


def _unprintable(character: str) -> bool:
    """C0 and C1 controls, DEL, the line and paragraph separators (bagit-python reads manifests with
    str.splitlines, which breaks lines there too), the surrogates Python uses for file-name bytes that are
    not UTF-8, and the invisible format characters of `exports.plain_text` (a U+202E in "rtl\u202egpj.exe.jpg"
    shows the name as "rtlgpj.exe" reversed: a file-name spoof)."""
    code = ord(character)
    if code < 32 or 127 <= code < 160 or code in (0x2028, 0x2029) or 0xD800 <= code <= 0xDFFF:
        return True
    return CONTROL_CHARACTER.fullmatch(character) is not None


def _name_problems(nfc: str) -> list[str]:
    """What keeps ``nfc`` (already NFC) from being one portable file name in a bag that bagit-python can check."""
    problems = []
    if not _trim(nfc) or nfc in {".", ".."}:
        problems.append("is empty, blank or a relative marker")
    if any(_unprintable(c) for c in nfc):
        problems.append(
            "contains a control or invisible format character, or a byte that is not UTF-8 "
            "(CR and LF break manifest lines; direction overrides disguise a name)"
        )
    if any(c in _NOT_PORTABLE for c in nfc):
        problems.append('contains one of / \\ < > : " | ? * % (not portable; % escapes manifest paths)')
    if nfc != _trim(nfc) and _trim(nfc):
        problems.append("starts or ends with a space, or ends with a dot (bagit-python drops the spaces; Windows both)")
    if nfc.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        problems.append("is a device name Windows reserves")
    if len(nfc.encode("utf-8", "surrogatepass")) > MAX_NAME_BYTES:
        problems.append(f"is longer than {MAX_NAME_BYTES} bytes")
    return problems


def portable_name(name: str, sha256: str) -> str:
    """A file name for ``name`` that any file system and bagit-python carry as it is; ``name`` itself when it can.

    NFC; control and non-portable characters become "_"; leading and trailing spaces and trailing dots go; a
    Windows device name gets a "_" in front; a name too long is cut (at a character) and gets the first 12 digits
    of ``sha256`` so that it stays unique. The original name belongs in the bag's metadata beside it.
    """
    nfc = unicodedata.normalize("NFC", name)
    if not _name_problems(nfc):
        return nfc
    clean = "".join("_" if _unprintable(c) or c in _NOT_PORTABLE else c for c in nfc)
    clean = _trim(clean) or "unnamed"
    if clean in {".", ".."}:
        clean = "unnamed"
    if clean.split(".", 1)[0].rstrip(" ").upper() in _WINDOWS_RESERVED:
        clean = "_" + clean
    if len(clean.encode("utf-8")) > MAX_NAME_BYTES:
        stem, suffix = os.path.splitext(clean)
        suffix = suffix if len(suffix.encode("utf-8")) <= 16 else ""
        room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - _HASH_SUFFIX - 1
        stem = _trim(stem.encode("utf-8")[:room].decode("utf-8", "ignore"))
        clean = f"{stem}-{sha256[:_HASH_SUFFIX]}{suffix}"
    return clean


def portable_names(named: Sequence[tuple[str, str]]) -> dict[str, str]:
    """One portable file name per (sha256, name); names that would clash (even by case) get the hash added."""
    cleaned = [(sha256, portable_name(name, sha256)) for sha256, name in named]
    counts: dict[str, int] = {}
    for _sha256, clean in cleaned:
        counts[clean.casefold()] = counts.get(clean.casefold(), 0) + 1
    names: dict[str, str] = {}
    for sha256, clean in cleaned:
        if counts[clean.casefold()] > 1:
            stem, suffix = os.path.splitext(clean)
            room = MAX_NAME_BYTES - len(suffix.encode("utf-8")) - _HASH_SUFFIX - 1
            stem = stem.encode("utf-8")[:room].decode("utf-8", "ignore")
            clean = f"{stem}-{sha256[:_HASH_SUFFIX]}{suffix}"
        names[sha256] = clean
    return names


def _safe_name(name: str, what: str) -> str:
    """Return ``name`` in NFC; refuse, saying why, what cannot be one portable file name in a bag."""
    if not isinstance(name, str):
        raise EvidenceError(f"{what} {name!r} is not text")
    nfc = unicodedata.normalize("NFC", name)
    problems = _name_problems(nfc)
    if problems:
        raise EvidenceError(f"{what} {name!r} cannot be a name in the bag: it {'; it '.join(problems)}")
    return nfc


def _bag_names(items: Sequence[BagItem]) -> dict[str, BagItem]:
    """Map each item's NFC name to the item; refuse up front, naming the file, names that cannot be carried as
    they are or that would collide (even case-insensitively). ``portable_names`` makes names that pass."""
    names: dict[str, BagItem] = {}
    folded: dict[str, str] = {}
    for item in items:
        check_sha256(item.sha256)
        name = _safe_name(item.name, f"sha256:{item.sha256}: file name")
        key = name.casefold()
        if key in folded:
            raise EvidenceError(f"{item.name!r} and {folded[key]!r} would share one name in the bag")
        folded[key] = item.name
        names[name] = item
    return names


def _extra_paths(extra_files: Mapping[str, bytes]) -> dict[Path, bytes]:
    extras: dict[Path, bytes] = {}
    for relative, data in extra_files.items():
        parts = [_safe_name(part, f"extra file {relative!r}: part") for part in str(relative).split("/")]
        if parts[0] == ORIGINALS:
            raise EvidenceError(f"extra file {relative!r}: data/{ORIGINALS}/ holds only the originals")
        path = Path(*parts)
        if path in extras:
            raise EvidenceError(f"extra file {relative!r} is given twice")
        extras[path] = bytes(data)
    return extras


def _bag_info(bag_info: Mapping[str, str]) -> dict[str, str]:
    info = {"Bag-Software-Agent": f"lestweforget {lestweforget.__version__} with bagit-python"}
    for label, value in bag_info.items():
        if not label or ":" in label or any(c.isspace() for c in label):
            raise EvidenceError(f"bag-info label {label!r} must be one word without ':'")
        if not isinstance(value, str) or "\n" in value or "\r" in value:
            raise EvidenceError(f"bag-info {label}: the value {value!r} must be text on one line")
        info[label] = value
    return info


def _copy_verified(store: EvidenceStore, item: BagItem, destination: Path) -> None:
    """Copy one original out of the store, hashing the bytes copied; refuse a copy that does not match."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    with store.open(item.sha256) as source:
        try:
            with open(destination, "xb") as target:
                while chunk := source.read(CHUNK_SIZE):
                    digest.update(chunk)
                    target.write(chunk)
                target.flush()
                os.fsync(target.fileno())
        except OSError as e:
            raise EvidenceError(f"sha256:{item.sha256} ({item.name}): cannot copy to {destination}: {e}") from e
    if digest.hexdigest() != item.sha256:
        raise ObjectChangedError(
            f"sha256:{item.sha256} ({item.name}): the stored bytes hash to {digest.hexdigest()}; not exported"
        )


def _write_durably(path: Path, data: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
    except OSError as e:
        raise EvidenceError(f"{path}: cannot write: {e.strerror}") from e


def _make_bag(staging: Path, info: dict[str, str]) -> None:
    """Let bagit-python write data/, the manifests and bag-info.txt, then declare BagIt 1.0."""
    try:
        bagit.make_bag(str(staging), bag_info=info, checksums=list(CHECKSUMS))
    except (bagit.BagError, RuntimeError, OSError) as e:
        raise EvidenceError(f"{staging}: bagit-python could not make the bag: {e}") from e
    # bagit-python 1.9 still writes "BagIt-Version: 0.97"; what it writes otherwise already meets RFC 8493
    # (1.0), so declare 1.0 and re-hash the tag files that change.
    (staging / "bagit.txt").write_bytes(_BAGIT_TXT)
    tag_files = sorted(p.name for p in staging.iterdir() if p.is_file() and not p.name.startswith("tagmanifest-"))
    for algorithm in CHECKSUMS:
        lines = []
        for name in tag_files:
            digest = hashlib.new(algorithm, (staging / name).read_bytes()).hexdigest()
            lines.append(f"{digest}  {name}\n")
        (staging / f"tagmanifest-{algorithm}.txt").write_text("".join(lines), encoding="utf-8")


def _validate(staging: Path, out_dir: Path) -> None:
    try:
        bagit.Bag(str(staging)).validate()
    except bagit.BagValidationError as e:
        # Name each file bagit-python found wrong, not only its summary.
        details = "; ".join(str(detail) for detail in e.details[:10]) if e.details else ""
        more = f" and {len(e.details) - 10} more" if len(e.details) > 10 else ""
        raise EvidenceError(f"{out_dir}: the bag did not validate: {e.message} {details}{more}".rstrip()) from e
    except bagit.BagError as e:
        raise EvidenceError(f"{out_dir}: the bag did not validate: {e}") from e
