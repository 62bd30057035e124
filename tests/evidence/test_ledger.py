"""The ledger: append-only, hash-chained, a Merkle tree of its entries, signed checkpoints."""

from __future__ import annotations

import hashlib
import itertools
import json
import multiprocessing
import stat
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from lestweforget.evidence import (
    GENESIS,
    EvidenceError,
    EvidenceStore,
    Ledger,
    LedgerTornError,
    compute_entry_hash,
    leaf_hash,
    merkle_root,
    verify_inclusion,
    verify_store,
)

from .fixtures import ACTOR, SITE

# RFC 6962 tree heads for the first 1..8 of these leaves: the test vectors of the certificate-transparency
# project (Google), reproduced by most Certificate Transparency implementations.
CT_LEAVES = [
    b"",
    b"\x00",
    b"\x10",
    b"\x20\x21",
    b"\x30\x31",
    b"\x40\x41\x42\x43",
    bytes(range(0x50, 0x58)),
    bytes(range(0x60, 0x70)),
]
CT_ROOTS = [
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def reference_tree_hash(leaves: list[bytes]) -> bytes:
    """RFC 6962 section 2.1 written out as directly as it reads, over the raw leaves."""
    n = len(leaves)
    if n == 0:
        return hashlib.sha256(b"").digest()
    if n == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < n:
        k *= 2
    return hashlib.sha256(b"\x01" + reference_tree_hash(leaves[:k]) + reference_tree_hash(leaves[k:])).digest()


def ledger_lines(ledger: Ledger) -> list[bytes]:
    return ledger.path.read_bytes().splitlines()


def fill(ledger: Ledger, count: int) -> None:
    for i in range(count):
        ledger.append(ACTOR, "metadata.read", f"sha256:{hashlib.sha256(bytes([i])).hexdigest()}", {"i": i})


def test_each_entry_is_chained_to_the_one_before(ledger: Ledger) -> None:
    fill(ledger, 5)
    entries = ledger.entries()

    assert [e.seq for e in entries] == [1, 2, 3, 4, 5]
    assert entries[0].prev == GENESIS == "0" * 64
    for before, after in itertools.pairwise(entries):
        assert after.prev == before.entry_hash
    for entry in entries:
        assert entry.entry_hash == compute_entry_hash(entry.fields())
        assert entry.time.endswith("Z")
        assert datetime.fromisoformat(entry.time).utcoffset() is not None


def test_entries_are_canonical_json_lines_with_sorted_keys_in_utf8(ledger: Ledger) -> None:
    ledger.append(ACTOR, "original.stored", "sha256:" + "ab" * 32, {"name": "Ізюм ліс.jpg", "size": 12})
    line = ledger.path.read_bytes()

    assert line.endswith(b"\n") and line.count(b"\n") == 1
    assert "Ізюм ліс.jpg".encode() in line
    parsed = json.loads(line)
    assert list(parsed) == sorted(parsed)
    assert line.rstrip(b"\n") == json.dumps(parsed, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    expected_hash = hashlib.sha256(
        json.dumps(
            {k: v for k, v in parsed.items() if k != "entry_hash"},
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
        ).encode()
    ).hexdigest()
    assert parsed["entry_hash"] == expected_hash


def test_merkle_root_matches_the_certificate_transparency_vectors() -> None:
    assert merkle_root([]).hex() == hashlib.sha256(b"").hexdigest()
    for n in range(1, 9):
        assert merkle_root([leaf_hash(leaf) for leaf in CT_LEAVES[:n]]).hex() == CT_ROOTS[n - 1]


def test_checkpoint_root_matches_an_independent_rfc6962_tree_for_1_to_17_entries(ledger: Ledger) -> None:
    for n in range(1, 18):
        fill(ledger, 1)
        checkpoint = ledger.checkpoint()
        lines = ledger_lines(ledger)
        assert checkpoint.size == n == len(lines)
        assert checkpoint.root_hash == reference_tree_hash(lines).hex(), n


def test_checkpoint_signature_verifies_and_fails_when_anything_is_altered(ledger: Ledger, tmp_path: Path) -> None:
    fill(ledger, 3)
    checkpoint = ledger.checkpoint()

    assert ledger.verify_checkpoint(checkpoint)
    assert ledger.checkpoints() == (checkpoint,)
    assert checkpoint.signature.startswith("hmac-sha256:")
    assert not ledger.verify_checkpoint(replace(checkpoint, size=2))
    assert not ledger.verify_checkpoint(replace(checkpoint, root_hash="0" * 64))
    assert not ledger.verify_checkpoint(replace(checkpoint, time="2024-01-01T00:00:00.000000Z"))
    flipped = checkpoint.signature[:-1] + ("0" if checkpoint.signature[-1] != "0" else "1")
    assert not ledger.verify_checkpoint(replace(checkpoint, signature=flipped))
    other = Ledger(tmp_path / "another-ledger")
    fill(other, 1)
    other.checkpoint()
    assert not other.verify_checkpoint(checkpoint)


def test_checkpoint_key_is_private_to_its_owner(ledger: Ledger) -> None:
    fill(ledger, 1)
    ledger.checkpoint()

    assert stat.S_IMODE(ledger.key_path.stat().st_mode) == 0o600
    assert len(bytes.fromhex(ledger.key_path.read_text())) == 32


def test_inclusion_proofs_verify_for_every_entry_and_fail_for_an_altered_one(ledger: Ledger) -> None:
    fill(ledger, 17)
    entries = ledger.entries()
    for size in (1, 2, 3, 7, 8, 9, 16, 17):
        root = reference_tree_hash(ledger_lines(ledger)[:size]).hex()
        for entry in entries[:size]:
            proof = ledger.inclusion_proof(entry.seq, size)
            assert verify_inclusion(entry, proof, root), (entry.seq, size)
            assert not verify_inclusion(replace(entry, actor="someone-else"), proof, root)
            assert not verify_inclusion(entry, proof, "0" * 64)
    with pytest.raises(EvidenceError, match="no entry 18"):
        ledger.inclusion_proof(18)


def _append_many(root: str, worker: int, count: int, start: multiprocessing.synchronize.Event) -> None:
    ledger = Ledger(Path(root))
    start.wait()
    for i in range(count):
        ledger.append(f"worker-{worker}", "metadata.read", SITE, {"worker": worker, "i": i})


def test_two_processes_appending_at_once_give_one_valid_chain(evidence_root: Path) -> None:
    context = multiprocessing.get_context("fork")
    start = context.Event()
    workers = [context.Process(target=_append_many, args=(str(evidence_root), worker, 200, start)) for worker in (1, 2)]
    for worker in workers:
        worker.start()
    start.set()
    for worker in workers:
        worker.join(timeout=60)
    assert [w.exitcode for w in workers] == [0, 0]

    ledger = Ledger(evidence_root)
    entries = ledger.entries()
    assert [e.seq for e in entries] == list(range(1, 401))
    for number in (1, 2):
        assert [e.details["i"] for e in entries if e.details["worker"] == number] == list(range(200))
    ledger.checkpoint()  # what a writer does when it finishes: a ledger with no checkpoint does not verify
    report = verify_store(EvidenceStore(evidence_root), ledger)
    assert report.ok, report.problems
    assert report.entries_checked == 400


def test_append_refuses_after_a_torn_line_until_it_is_repaired(ledger: Ledger) -> None:
    fill(ledger, 3)
    intact = ledger.path.read_bytes()
    with open(ledger.path, "ab") as f:
        f.write(b'{"action":"original.stored","actor":"contri')

    with pytest.raises(LedgerTornError, match="torn"):
        ledger.append(ACTOR, "metadata.read", SITE, {})
    with pytest.raises(LedgerTornError):
        ledger.checkpoint()

    repair = ledger.repair_torn_tail(ACTOR)
    assert repair is not None
    assert repair.action == "ledger.tail-repaired"
    assert repair.seq == 4
    assert repair.details["bytes_removed"] == len(b'{"action":"original.stored","actor":"contri')
    kept = ledger.torn_dir / repair.details["kept_as"]
    assert kept.read_bytes() == b'{"action":"original.stored","actor":"contri'
    assert ledger.path.read_bytes().startswith(intact)

    ledger.append(ACTOR, "metadata.read", SITE, {})
    assert [e.seq for e in ledger.entries()] == [1, 2, 3, 4, 5]
    assert ledger.repair_torn_tail(ACTOR) is None


def test_append_refuses_to_extend_an_altered_last_entry(ledger: Ledger) -> None:
    fill(ledger, 2)
    lines = ledger_lines(ledger)
    lines[-1] = lines[-1].replace(b'"i":1', b'"i":9')
    ledger.path.write_bytes(b"\n".join(lines) + b"\n")

    with pytest.raises(EvidenceError, match=r"the last entry \(seq 2\) does not match its entry_hash"):
        ledger.append(ACTOR, "metadata.read", SITE, {})
    assert len(ledger_lines(ledger)) == 2


def test_bad_entries_are_refused_before_anything_is_written(ledger: Ledger) -> None:
    with pytest.raises(EvidenceError, match="action"):
        ledger.append(ACTOR, "stored", SITE, {})
    with pytest.raises(EvidenceError, match="actor"):
        ledger.append("", "original.stored", SITE, {})
    with pytest.raises(EvidenceError, match="canonical JSON"):
        ledger.append(ACTOR, "metadata.read", SITE, {"tags": {"a", "b"}})
    with pytest.raises(EvidenceError, match="canonical JSON"):
        ledger.append(ACTOR, "metadata.read", SITE, {"altitude_m": float("nan")})

    assert ledger.size() == 0
    assert not ledger.path.exists() or ledger.path.read_bytes() == b""


def test_returned_entry_is_what_was_written(ledger: Ledger) -> None:
    entry = ledger.append(ACTOR, "record.edited", SITE, {"field": "summary", "by": ["a", "b"]})

    assert ledger.entries() == (entry,)
    assert entry.to_line() == ledger_lines(ledger)[0]


def test_checkpoint_refuses_to_sign_an_altered_ledger(ledger: Ledger) -> None:
    fill(ledger, 3)
    lines = ledger_lines(ledger)
    lines[1] = lines[1].replace(b'"i":1', b'"i":7')
    ledger.path.write_bytes(b"".join(line + b"\n" for line in lines))

    with pytest.raises(EvidenceError, match="entry 2 is altered"):
        ledger.checkpoint()
    assert not ledger.checkpoints_path.exists()


@pytest.mark.parametrize("altered", [2, 5])
def test_checkpoint_after_a_checkpoint_still_refuses_an_entry_altered_before_or_after_it(
    ledger: Ledger, altered: int
) -> None:
    fill(ledger, 3)
    ledger.checkpoint()  # entries 1-3 signed: the next checkpoint re-hashes them and parses only 4-6
    for i in range(3, 6):
        ledger.append(ACTOR, "original.stored", f"sha256:{i:064x}", {"i": i})
    lines = ledger_lines(ledger)
    lines[altered - 1] = lines[altered - 1].replace(f'"i":{altered - 1}'.encode(), b'"i":9')
    ledger.path.write_bytes(b"".join(line + b"\n" for line in lines))

    with pytest.raises(EvidenceError, match=f"entry {altered} is altered"):
        ledger.checkpoint()
    assert len(ledger.checkpoints()) == 1
