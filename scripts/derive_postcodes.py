"""Derive data/postcodes_de.csv (postcode,lat,lon) from ../shared/data/postcodes_de.csv.

The source has one row per place a postcode covers; the centroid is the mean of those rows,
rounded to 4 decimals. Source: GeoNames, via zauberware/postal-codes-json-xml-csv (CC BY 4.0).

usage: python scripts/derive_postcodes.py [SRC] [DEST]
"""

from __future__ import annotations

import csv
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT.parent / "shared" / "data" / "postcodes_de.csv"
DEST = ROOT / "data" / "postcodes_de.csv"


def derive(src: Path, dest: Path) -> int:
    """Write the compact centroid file; returns the number of postcodes."""
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
    with src.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            code = row["zipcode"].strip().zfill(5)
            try:
                lat, lon = float(row["latitude"]), float(row["longitude"])
            except ValueError:
                continue
            acc = sums[code]
            acc[0] += lat
            acc[1] += lon
            acc[2] += 1
    with dest.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(["postcode", "lat", "lon"])
        for code in sorted(sums):
            lat, lon, n = sums[code]
            writer.writerow([code, f"{lat / n:.4f}", f"{lon / n:.4f}"])
    return len(sums)


if __name__ == "__main__":
    args = sys.argv[1:]
    src = Path(args[0]) if args else SRC
    dest = Path(args[1]) if len(args) > 1 else DEST
    print(f"{derive(src, dest)} postcodes written to {dest}")
