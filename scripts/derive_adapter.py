"""Derive data/esco/adapter_<signal>.npz: a linear map of an encoder's vectors learnt on ESCO.

usage: python scripts/derive_adapter.py [--signal use] [--out data/esco] [--steps 400]

ESCO's own synonyms are the training data (nothing else): each occupation's labels in six
languages are alternatives for one another, so a linear map W (d x d, started at the identity)
of the frozen encoder's label vectors is trained to bring the labels of one occupation together
and push other occupations' labels apart (InfoNCE with in-batch negatives: a batch holds two
different labels of each of B occupations; each must find its twin among the 2B). 15% of the
labels (random, seed 0) are held out: the map is kept at the step where those held-out labels,
searched against all the other labels (best label per occupation, as the engine searches), find
their occupation best (MRR); the figure before and after is printed and stored in the file.

The file holds `w` (float16, applied as x @ w then L2-normalised, to texts and labels alike),
`floor` (the mean cosine of random label pairs after the map: the signal's cosine floor),
`encoder` (the encoder's name), `labels` (a hash of the label texts it was learnt on) and the
validation figures. Derived from the ESCO classification of the European Commission (CC BY 4.0;
see data/README.md).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path

import numpy as np

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("PLACEMENT_ESCO", "on")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from placement.matching.esco import (  # noqa: E402
    DenseSignal,
    _max_per_occupation,
    default_index,
    load_esco,
)
from placement.matching.vectors import l2_normalise  # noqa: E402


def held_out_mrr(
    x: np.ndarray, occ: np.ndarray, val: np.ndarray, n_occ: int, limit: int = 3000
) -> float:
    """MRR of the held-out labels (`val` mask; at most `limit`, evenly spread) against the
    other labels, best label each."""
    keep = np.flatnonzero(~val)
    rows = np.flatnonzero(val)
    rows = rows[:: max(1, len(rows) // limit)][:limit]
    total = 0.0
    for start in range(0, len(rows), 512):
        q = rows[start : start + 512]
        best = _max_per_occupation(x[q] @ x[keep].T, occ[keep], n_occ)
        gold = best[np.arange(len(q)), occ[q]]
        total += float((1.0 / (1 + (best > gold[:, None]).sum(axis=1))).sum())
    return total / max(1, len(rows))


def unrelated_floor(x: np.ndarray, pairs: int = 20_000, seed: int = 0) -> float:
    """The mean cosine of random label pairs (almost all unrelated), to 2 decimals: where the
    signal's rescaled score starts (its `floor`), as the encoders' cosine_floor does."""
    rng = np.random.default_rng(seed)
    i, j = rng.integers(0, len(x), pairs), rng.integers(0, len(x), pairs)
    return round(float((x[i] * x[j]).sum(axis=1).mean()), 2)


def train(
    x: np.ndarray,
    occ: np.ndarray,
    n_occ: int,
    steps: int = 1500,
    batch: int = 512,
    temperature: float = 0.05,
    lr: float = 1e-3,
    held_out: float = 0.15,
    seed: int = 0,
    log=print,
    keep=None,
) -> tuple[np.ndarray, dict]:
    """The map W (d x d) and its validation figures, from label vectors `x` of occupations `occ`
    (labels sorted by occupation). `keep(w, figures)` is called with each better map."""
    import torch

    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    d = x.shape[1]
    counts = np.bincount(occ, minlength=n_occ)
    val = np.zeros(len(occ), dtype=bool)
    unseen = np.zeros(len(occ), dtype=bool)  # left out of training, still searched
    if counts.max() >= 3:
        # hold out labels only of occupations that keep at least two labels for training
        for o in np.flatnonzero(counts >= 3):
            rows = np.flatnonzero(occ == o)
            pick = rows[rng.random(len(rows)) < held_out]
            val[pick[: len(rows) - 2]] = True
    else:
        # two labels each (e5: the German and English preferred labels): hold out whole
        # occupations; the first label searches, the other is searched but never trained on
        for o in np.flatnonzero((counts == 2) & (rng.random(n_occ) < held_out)):
            rows = np.flatnonzero(occ == o)
            val[rows[0]], unseen[rows[1:]] = True, True
    train_rows = np.flatnonzero(~val & ~unseen)
    by_occ = [train_rows[occ[train_rows] == o] for o in range(n_occ)]
    usable = np.asarray([o for o in range(n_occ) if len(by_occ[o]) >= 2])
    xt = torch.from_numpy(x.astype(np.float32))
    w = torch.nn.Parameter(torch.eye(d))
    opt = torch.optim.Adam([w], lr=lr)
    before = held_out_mrr(x, occ, val, n_occ)
    log(f"held-out labels: {int(val.sum())}; MRR with the identity {before:.4f}")
    best_mrr, best_w, best_step = before, np.eye(d, dtype=np.float32), 0
    for step in range(1, steps + 1):
        occs = rng.choice(usable, size=min(batch, len(usable)), replace=False)
        pairs = np.asarray([rng.choice(by_occ[o], size=2, replace=False) for o in occs])
        a = torch.nn.functional.normalize(xt[pairs[:, 0]] @ w, dim=1)
        b = torch.nn.functional.normalize(xt[pairs[:, 1]] @ w, dim=1)
        logits = a @ b.T / temperature
        target = torch.arange(len(occs))
        loss = (
            torch.nn.functional.cross_entropy(logits, target)
            + torch.nn.functional.cross_entropy(logits.T, target)
        ) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
        if step % 200 == 0 or step == steps:
            mapped = l2_normalise(x @ w.detach().numpy())
            now = held_out_mrr(mapped, occ, val, n_occ)
            log(f"step {step}: loss {loss.item():.3f}, held-out MRR {now:.4f}")
            if now > best_mrr:
                best_mrr, best_w, best_step = now, w.detach().numpy().copy(), step
                if keep is not None:
                    keep(best_w, {"before": before, "after": best_mrr, "step": best_step})
    return best_w, {"before": before, "after": best_mrr, "step": best_step}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--signal", default="use", help="use or e5")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "esco")
    parser.add_argument("--steps", type=int, default=400)
    parser.add_argument("--batch", type=int, default=512)
    parser.add_argument("--temperature", type=float, default=0.05)
    args = parser.parse_args()
    from placement.matching import load_encoder

    esco = load_esco()
    index = default_index(load_encoder() if args.signal == "e5" else None, esco)
    signal = next((s for s in index.signals if s.name == args.signal), None)
    if not isinstance(signal, DenseSignal):
        sys.exit(f"signal {args.signal!r} not available here (encoder not installed?)")
    signal.adapter = None  # learn from the encoder's own vectors, not through a shipped map
    signal.floor = None
    signal.fit(esco, index.directory)
    texts = [esco.label_texts[j] for j in signal.labels_]
    digest = hashlib.sha256("\n".join(texts).encode("utf-8")).hexdigest()[:16]
    args.out.mkdir(parents=True, exist_ok=True)
    path = args.out / f"adapter_{args.signal}.npz"

    def save(w: np.ndarray, figures: dict) -> None:
        w = w.astype(np.float16)
        mapped = l2_normalise(signal.vectors_ @ w.astype(np.float32))
        np.savez_compressed(
            path,
            w=w,
            floor=np.asarray(unrelated_floor(mapped)),
            encoder=np.asarray(signal.encoder.name),
            labels=np.asarray(digest),
            held_out_mrr_before=np.asarray(figures["before"]),
            held_out_mrr_after=np.asarray(figures["after"]),
            step=np.asarray(figures["step"]),
        )

    w, figures = train(
        signal.vectors_, signal.occ_, len(esco), steps=args.steps,
        batch=args.batch, temperature=args.temperature, keep=save,
    )  # fmt: skip
    save(w, figures)
    print(f"wrote {path}: held-out MRR {figures['before']:.4f} -> {figures['after']:.4f}")


if __name__ == "__main__":
    main()
