"""py3langid's language model, read from an uncompressed copy in the Tocsin data folder.

The model ships LZMA-compressed; decompressing it takes about a second, in every process that
identifies a language. The first process writes the decompressed arrays to
``<data folder>/models/langid-<key>.npz`` (``key``: py3langid's version and the model file's size
and modification time); later processes read that file, which takes a tenth of the time. The
identifier built from either is the same (same arrays, same classes). A data folder that cannot
be written only means every process decompresses again.
"""

from __future__ import annotations

import hashlib
import os
from array import array
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

_UNSIGNED = {2: "H", 4: "I", 8: "L"}  # numpy item size -> array typecode (as py3langid)


def _model_path() -> Path:
    return MODEL_DIR / MODEL_FILE


def cache_path() -> Path:
    from tocsin.settings import data_home

    model = _model_path()
    try:
        release = version("py3langid")
    except PackageNotFoundError:
        release = "unknown"
    stat = model.stat()
    key = hashlib.sha256(f"{release}\n{stat.st_size}\n{stat.st_mtime_ns}".encode()).hexdigest()
    return data_home() / "models" / f"langid-{key[:12]}.npz"


def _stdlib_array(values: Any) -> array:  # type: ignore[type-arg]
    out = array(_UNSIGNED[values.dtype.itemsize])
    out.frombytes(np.ascontiguousarray(values).data.cast("B"))
    return out


def _identifier(ptc: Any, pc: Any, classes: list[str], nextmove: Any, row: Any,
                output: list[int]) -> LanguageIdentifier:
    return LanguageIdentifier(np.asarray(ptc), np.asarray(pc), classes, nextmove, output,
                              norm_probs=True, tk_row=row)


def load_identifier(path: Path | None = None) -> LanguageIdentifier:
    """The normalised-probability identifier, from the uncompressed copy (written first if
    missing)."""
    path = path or cache_path()
    if path.exists():
        try:
            with np.load(path, allow_pickle=False) as data:
                return _identifier(
                    data["ptc"], data["pc"], [str(c) for c in data["classes"]],
                    _stdlib_array(data["nextmove"]), _stdlib_array(data["row"]),
                    data["output"].tolist(),
                )
        except (OSError, KeyError, ValueError):
            pass  # a damaged or foreign copy is written again
    from py3langid.modelio import load_model

    ptc, pc, classes, nextmove, row, output = load_model(_model_path())
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")  # processes may race
        with tmp.open("wb") as handle:
            np.savez(handle, ptc=ptc, pc=pc, classes=np.array(classes),
                     nextmove=np.frombuffer(nextmove, dtype=f"u{nextmove.itemsize}"),
                     row=np.frombuffer(row, dtype=f"u{row.itemsize}"),
                     output=np.array(output, dtype=np.int64))
        tmp.replace(path)
        for stale in path.parent.glob("langid-*.npz"):
            if stale != path:
                stale.unlink(missing_ok=True)  # another py3langid's model
    except OSError:
        pass  # a read-only data folder: decompress in every process
    return _identifier(ptc, pc, classes, nextmove, row, output)
