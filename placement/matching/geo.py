"""Postcode centroids and distances (GeoNames data, see data/README.md)."""

from __future__ import annotations

import csv
import math
from functools import lru_cache
from pathlib import Path

from .paths import data_dir

EARTH_RADIUS_KM = 6371.0088


def haversine_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle distance in km between two (lat, lon) points in degrees."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


class Postcodes:
    """Postcode -> centroid lookup."""

    def __init__(self, centroids: dict[str, tuple[float, float]]):
        self.centroids = centroids

    def __len__(self) -> int:
        return len(self.centroids)

    def __contains__(self, postcode: object) -> bool:
        return isinstance(postcode, str) and postcode.zfill(5) in self.centroids

    def get(self, postcode: str | None) -> tuple[float, float] | None:
        """Centroid (lat, lon) of a postcode, or None when unknown."""
        if not postcode:
            return None
        return self.centroids.get(postcode.strip().zfill(5))

    def distance_km(self, a: str | None, b: str | None) -> float | None:
        """Distance between two postcode centroids in km; None if either is unknown."""
        pa, pb = self.get(a), self.get(b)
        if pa is None or pb is None:
            return None
        return haversine_km(pa, pb)


def load_postcodes(path: str | Path | None = None) -> Postcodes:
    """Load a `postcode,lat,lon` CSV (default: data/postcodes_de.csv)."""
    return _load(str(Path(path) if path else data_dir() / "postcodes_de.csv"))


@lru_cache(maxsize=4)
def _load(path: str) -> Postcodes:
    centroids: dict[str, tuple[float, float]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            centroids[row["postcode"].zfill(5)] = (float(row["lat"]), float(row["lon"]))
    return Postcodes(centroids)
