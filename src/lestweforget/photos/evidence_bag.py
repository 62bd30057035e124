"""A site's evidence as a BagIt bag for investigators: copies of its originals, its ledger entries with proofs
that they belong to a ledger checkpoint (HMAC-authenticated), and everything recorded about its photos.

The bag holds the device make and model: it goes to investigators and archives, not to the public.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from lestweforget.atlas import evidence_records
from lestweforget.atlas.models import Site
from lestweforget.evidence import (
    BagItem,
    Checkpoint,
    EvidenceError,
    LedgerEntry,
    checkpoint_bag_info,
    export_bag,
    portable_names,
)

from .models import Photo, QuarantinedFile
from .summary import photo_summary


@dataclass(frozen=True)
class SiteBag:
    """What was exported: where, how many originals and ledger entries, under which checkpoint."""

    path: Path
    originals: int
    ledger_entries: int
    checkpoint: Checkpoint


def export_site_evidence(slug: str, out_dir: Path, actor: str, made_by: str | None = None) -> SiteBag:
    """Write the site's evidence bag to ``out_dir`` (which must not exist or be empty) and record the export under
    ``actor`` (the investigator it is for), with ``made_by`` (the CLI operator who made it for them), if given.

    Refuses an unknown site, a site without photos, and anything export_bag refuses; the store is only read.
    """
    try:
        site = Site.objects.get(slug=slug)
    except Site.DoesNotExist:
        raise EvidenceError(f"--site {slug!r}: no site has that slug") from None
    photos = list(Photo.objects.filter(site=site).select_related("site", "contributor").order_by("sha256"))
    if not photos:
        raise EvidenceError(f"--site {slug}: the site has no photos to export")
    store = evidence_records.open_store(create=False)
    ledger = evidence_records.open_ledger(create=False)
    entries = ledger.entries()

    names = _bag_names(photos, _track_names(photos, entries))
    quarantined = list(QuarantinedFile.objects.filter(site=site).order_by("sha256"))
    hashes = {sha256 for sha256 in names} | {p.thumb_sha256 for p in photos} | {p.web_sha256 for p in photos}
    hashes |= {q.sha256 for q in quarantined}
    objects = {f"sha256:{sha256}" for sha256 in hashes if sha256} | {f"site:{slug}"}

    checkpoint = evidence_records.sign_checkpoint(ledger)
    chosen = [e for e in entries[: checkpoint.size] if e.object in objects or e.details.get("site") == slug]
    proofs = [ledger.inclusion_proof(entry.seq, checkpoint.size) for entry in chosen]
    arrivals = _arrivals(entries)
    photo_records = []
    for photo in photos:
        record = photo_summary(photo, store, restricted=True)
        _exact_names(record, arrivals.get(photo.sha256, []))
        record["bag_file"] = f"data/originals/{names[photo.sha256]}"
        for derivative in record["derivatives"].values():
            derivative.pop("file", None)
        photo_records.append(record)

    exported_at = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    extra_files = {
        "ledger/entries.jsonl": b"".join(entry.to_line() + b"\n" for entry in chosen),
        "ledger/checkpoint.json": _json(json.loads(checkpoint.to_line())),
        "ledger/inclusion-proofs.json": _json(
            [{"seq": p.seq, "size": p.size, "leaf_hash": p.leaf_hash, "path": list(p.path)} for p in proofs]
        ),
        "metadata/site.json": _json(_site_record(site, exported_at)),
        "metadata/photos.json": _json(photo_records),
        "metadata/quarantined.json": _json(
            [
                _exact_names(
                    {"sha256": q.sha256, "original_name": q.original_name, "error": q.error, "in_bag": False},
                    arrivals.get(q.sha256, []),
                )
                for q in quarantined
            ]
        ),
    }
    bag_info = {
        "Source-Organization": "Lest We Forget",
        "External-Identifier": f"site:{slug}",
        "External-Description": f"Evidence of {site.name('en')} ({slug}): originals, ledger, metadata",
        "Lwf-Site": slug,
        "Lwf-Site-Name": site.name("en"),
        "Lwf-Exported-At": exported_at,
        **checkpoint_bag_info(checkpoint),
    }
    items = [BagItem(sha256, name) for sha256, name in sorted(names.items(), key=lambda item: item[1])]
    path = export_bag(store, items, out_dir, bag_info, extra_files)
    ledger.append(
        actor,
        "bag.exported",
        f"site:{slug}",
        {
            "site": slug,
            "bag": Path(out_dir).name,
            "originals": len(items),
            "ledger_entries": len(chosen),
            "checkpoint_size": checkpoint.size,
            "checkpoint_root": checkpoint.root_hash,
            "tagmanifest_sha256": _sha256_file(path / "tagmanifest-sha256.txt"),
            **({"made_by": made_by} if made_by else {}),
        },
    )
    evidence_records.checkpoint_if_needed(ledger)
    return SiteBag(path=path, originals=len(items), ledger_entries=len(chosen), checkpoint=checkpoint)


_ARRIVAL_ACTIONS = ("original.stored", "original.quarantined", "original.received")


def _arrivals(entries: tuple[LedgerEntry, ...]) -> dict[str, list[dict[str, Any]]]:
    """Every name (and path in the folder imported, and raw bytes of a name that is not UTF-8) under which each
    original arrived, in ledger order, with the entry that recorded it: the chain of custody of its names."""
    found: dict[str, list[dict[str, Any]]] = {}
    for entry in entries:
        if entry.action not in _ARRIVAL_ACTIONS or not entry.object.startswith("sha256:"):
            continue
        arrival = {key: entry.details[key] for key in ("name", "path", "name_bytes_hex") if key in entry.details}
        if "name" in arrival:
            found.setdefault(entry.object.removeprefix("sha256:"), []).append(
                {**arrival, "ledger_seq": entry.seq, "time": entry.time}
            )
    return found


def _exact_names(record: dict[str, Any], arrivals: list[dict[str, Any]]) -> dict[str, Any]:
    """Put the exact original name into ``record`` (JSON holds any string: the database's copy has control
    characters made visible, which is for terminals only) and every name it arrived under as ``received_as``."""
    if arrivals:
        record["original_name"] = arrivals[0]["name"]
        if "name_bytes_hex" in arrivals[0]:
            record["original_name_bytes_hex"] = arrivals[0]["name_bytes_hex"]
    record["received_as"] = arrivals
    return record


def _track_names(photos: list[Photo], entries: tuple[LedgerEntry, ...]) -> dict[str, str]:
    """The file names the tracks used by these photos were imported under, from their ledger entries."""
    wanted = {p.track_sha256 for p in photos if p.track_sha256}
    names: dict[str, str] = {}
    for entry in entries:
        sha256 = entry.object.removeprefix("sha256:")
        if entry.action == "original.stored" and sha256 in wanted and sha256 not in names:
            names[sha256] = str(entry.details.get("name") or f"track-{sha256[:12]}.gpx")
    return {sha256: names.get(sha256, f"track-{sha256[:12]}.gpx") for sha256 in wanted}


def _bag_names(photos: list[Photo], tracks: dict[str, str]) -> dict[str, str]:
    """One portable file name per original (see evidence.portable_names); photos.json keeps the exact name."""
    return portable_names([(p.sha256, p.original_name) for p in photos] + sorted(tracks.items()))


def _site_record(site: Site, exported_at: str) -> dict[str, Any]:
    return {
        "slug": site.slug,
        "names": [{"language": n.language, "name": n.name} for n in site.names.all()],
        "kind": site.kind,
        "precise_location": {
            "latitude": site.latitude,
            "longitude": site.longitude,
            "uncertainty_m": site.uncertainty_m,
        },
        "sensitivity": site.sensitivity,
        "exported_at": exported_at,
    }


def _json(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def _sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
