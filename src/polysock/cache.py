"""polysock's own cache of compiled code, so start-up does not recompile.

Theory of operation: CPython reads a module's bytecode from ``__pycache__`` but, when
``PYTHONDONTWRITEBYTECODE`` is set (``sys.dont_write_bytecode``), never writes it, so
every module edited since the last write is compiled from source on every start.
``install()`` (called by ``polysock/__init__.py``) puts a finder first on
``sys.meta_path`` that, only while bytecode writing is off and only for
``polysock.*`` modules, gives the module a loader keeping its code object in
polysock's cache directory instead. A cached entry is used only when its header
matches: CPython's bytecode magic number (its version), this file's format tag, and
the source's size and modification time in nanoseconds; anything else (a miss, a
torn or foreign file) falls back to the ordinary loader, which reads a fresh
``__pycache__`` file or compiles the source, and the result is written back.

The same store keeps other compiled blobs under a name (``load_blob`` /
``store_blob``), e.g. the primitive-wrapper factories of runtime/registry.py; a
blob's key is checked the same way.

The directory is ``$POLYSOCK_CACHE_DIR`` (only that one), else
``$XDG_CACHE_HOME/polysock`` or ``~/.cache/polysock`` and, when that cannot be created
or written, ``__pycache__/polysock`` next to this package; each has a per-interpreter
subdirectory (``py-cpython-311``). When no directory works nothing is cached and
nothing fails. Writes go to a
temporary file renamed into place, so concurrent processes never read a half-written
entry. ``POLYSOCK_NO_CACHE=1`` turns all of this off.
"""
from __future__ import annotations

import importlib.util
import marshal
import os
import sys
import zlib
from importlib.machinery import PathFinder, SourceFileLoader
from typing import Any, List, Optional, Sequence

_FORMAT = b"PSC1"
_MAGIC = importlib.util.MAGIC_NUMBER + _FORMAT
_dirs: Optional[List[str]] = None
_writable: Optional[str] = None


def enabled() -> bool:
    """Whether the cache is in use (not turned off by POLYSOCK_NO_CACHE)."""
    return not os.environ.get("POLYSOCK_NO_CACHE")


def directories() -> List[str]:
    """Candidate cache directories, most preferred first."""
    global _dirs
    if _dirs is None:
        sub = f"py-{sys.implementation.cache_tag}"
        chosen = os.environ.get("POLYSOCK_CACHE_DIR")
        if chosen:
            _dirs = [os.path.join(chosen, sub)]
        else:
            xdg = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
            _dirs = [os.path.join(xdg, "polysock", sub),
                     os.path.join(os.path.dirname(os.path.abspath(__file__)), "__pycache__", "polysock", sub)]
    return _dirs


def reset() -> None:
    """Forget the chosen directory (after the environment variables changed)."""
    global _dirs, _writable
    _dirs = _writable = None


def _header(key: bytes) -> bytes:
    return _MAGIC + len(key).to_bytes(4, "little") + key


def load_blob(name: str, key: bytes) -> Optional[bytes]:
    """The payload stored under *name* with this *key*, or None."""
    if not enabled():
        return None
    head = _header(key)
    for d in directories():
        try:
            with open(os.path.join(d, name), "rb") as f:
                data = f.read()
        except OSError:
            continue
        if data[:len(head)] == head:
            return data[len(head):]
    return None


def store_blob(name: str, key: bytes, payload: bytes) -> bool:
    """Store *payload* under *name* with *key*; False when no directory is writable."""
    global _writable
    if not enabled():
        return False
    data = _header(key) + payload
    for d in ([_writable] if _writable else directories()):
        tmp = os.path.join(d, f".{name}.{os.getpid()}.tmp")
        try:
            os.makedirs(d, exist_ok=True)
            with open(tmp, "wb") as f:
                f.write(data)
            os.replace(tmp, os.path.join(d, name))
        except OSError:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            continue
        _writable = d
        return True
    return False


def _source_key(path: str) -> Optional[bytes]:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_mtime_ns.to_bytes(8, "little", signed=True) + st.st_size.to_bytes(8, "little")


def _entry_name(fullname: str, path: str) -> str:
    where = zlib.crc32(os.path.dirname(os.path.abspath(path)).encode())
    return f"{fullname}.{where:08x}.pyc"


class CachingLoader(SourceFileLoader):
    """A source loader whose code objects live in polysock's cache."""

    def get_code(self, fullname: str) -> Any:
        path = self.get_filename(fullname)
        key = _source_key(path)
        if key is None or not sys.dont_write_bytecode:
            return super().get_code(fullname)
        name = _entry_name(fullname, path)
        data = load_blob(name, key)
        if data is not None:
            try:
                return marshal.loads(data)
            except (ValueError, EOFError, TypeError):
                pass
        code = super().get_code(fullname)
        if code is not None:
            store_blob(name, key, marshal.dumps(code))
        return code


class CachingFinder:
    """Meta-path finder: polysock.* source modules get a CachingLoader."""

    @classmethod
    def find_spec(cls, fullname: str, path: Optional[Sequence[str]] = None, target: Any = None) -> Any:
        if not fullname.startswith("polysock.") or not sys.dont_write_bytecode:
            return None
        spec = PathFinder.find_spec(fullname, path, target)
        if spec is not None and type(spec.loader) is SourceFileLoader:
            spec.loader = CachingLoader(spec.loader.name, spec.loader.path)
        return spec

    @classmethod
    def invalidate_caches(cls) -> None:
        """Nothing of its own to forget (PathFinder is invalidated separately)."""


def install() -> None:
    """Put CachingFinder first on sys.meta_path (once)."""
    if enabled() and CachingFinder not in sys.meta_path:
        sys.meta_path.insert(0, CachingFinder)  # type: ignore[arg-type]
