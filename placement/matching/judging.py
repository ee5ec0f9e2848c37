"""The hard constraints of one query against a whole pool at once, in arrays.

The same rules as constraints.py (`check_all`, which judges one pair and says why); the few
pairs whose distance sits on a commute limit are left to it (floating point of trigonometry).
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np

from .features import Features
from .geo import EARTH_RADIUS_KM

DISTANCE_SLACK_KM = 1e-6  # distances this close to a limit are judged exactly, pair by pair


def haversine(v_lat, v_lon, c_lat, c_lon) -> np.ndarray:
    """Great-circle km between vacancy and candidate points (radians; arrays broadcast)."""
    dlat, dlon = c_lat - v_lat, c_lon - v_lon
    h = np.sin(dlat / 2) ** 2 + np.cos(v_lat) * np.cos(c_lat) * np.sin(dlon / 2) ** 2
    with np.errstate(invalid="ignore"):
        return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(h)))


def judge(
    v, c, today: dt.date, distance: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The hard constraints for a vacancy and candidates (or a candidate and vacancies) at once.

    `v` and `c` are Pools or single-record views (`QueryView`); arrays broadcast. `distance`
    is the km of each pair (NaN unknown, `Pool.distances`). Returns (eligible, near miss,
    distance, unsure): `unsure` marks pairs whose distance sits on the commute limit, which
    the caller judges exactly.
    """
    hard = c.permit == 3
    # German level: one level below is a near miss
    need, have = v.german, c.german
    gap = np.where((need >= 0) & (have >= 0), np.subtract(need, have, dtype=np.int16), 0)
    near = gap == 1
    hard = hard | (gap > 1)
    # recognition
    rec = c.recognition
    req = v.requires_recognition
    adapting = np.asarray((v.vkind == 1) | (v.vkind == 2), dtype=bool)
    near = near | (req & (((rec == 1) & ~adapting) | (rec == 2)))
    hard = hard | (req & (rec == 3))
    # commute
    limit = np.fmin(c.max_commute, v.radius)
    with np.errstate(invalid="ignore"):
        too_far = distance > limit
        unsure = np.abs(distance - limit) <= DISTANCE_SLACK_KM
    hard = hard | too_far
    # hours
    with np.errstate(invalid="ignore"):
        short = c.hours < v.hours
        enough = c.hours >= 0.75 * v.hours
        near = near | (short & enough)
        hard = hard | (short & ~enough)
        hard = hard | (c.expires < today.toordinal())
    shape = np.broadcast(hard, near, distance).shape
    hard, near = np.broadcast_to(hard, shape), np.broadcast_to(near, shape)
    unsure = np.broadcast_to(unsure, shape)
    hard, near = hard.astype(bool), near.astype(bool)
    return ~(hard | near), near & ~hard, np.broadcast_to(distance, shape), unsure


class QueryView:
    """One record's Features with the attribute names of a Pool (scalars broadcast)."""

    def __init__(self, f: Features):
        self.f = f
        self.german = f.german
        self.lat, self.lon = math.radians(f.lat), math.radians(f.lon)
        self.hours = f.hours
        self.level = f.level
        self.requires_recognition = np.bool_(f.requires_recognition)
        self.vkind = f.vkind
        self.radius = f.radius
        self.permit = f.permit
        self.recognition = f.recognition
        self.max_commute = f.max_commute
        self.expires = np.nan if f.expires is None else float(f.expires)
        self.phase = f.phase
