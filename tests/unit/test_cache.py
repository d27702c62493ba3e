"""polysock.cache: compiled code kept across runs, invalidated by source and version,
harmless when the cache directory cannot be written."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import pytest

from polysock import cache


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    d = tmp_path / "cache"
    monkeypatch.setenv("POLYSOCK_CACHE_DIR", str(d))
    monkeypatch.delenv("POLYSOCK_NO_CACHE", raising=False)
    cache.reset()
    yield d
    cache.reset()


def _module(tmp_path, text):
    p = tmp_path / "mod_src.py"
    p.write_text(text)
    return p


def test_blob_round_trip_and_key_check(cache_dir):
    assert cache.load_blob("b", b"k1") is None
    assert cache.store_blob("b", b"k1", b"payload")
    assert cache.load_blob("b", b"k1") == b"payload"
    assert cache.load_blob("b", b"k2") is None          # another key: a miss, not stale data
    with open(os.path.join(cache.directories()[0], "b"), "wb") as f:
        f.write(b"junk")
    assert cache.load_blob("b", b"k1") is None          # a foreign or torn file: a miss


def test_loader_caches_and_invalidates_on_source_change(cache_dir, tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    p = _module(tmp_path, "X = 1\n")
    loader = cache.CachingLoader("polysock._cache_probe", str(p))
    ns: dict = {}
    exec(loader.get_code("polysock._cache_probe"), ns)
    assert ns["X"] == 1
    entries = os.listdir(cache.directories()[0])
    assert any(e.startswith("polysock._cache_probe.") for e in entries), entries
    # served from the cache: same size and mtime, so the (edited) source is not read again
    st = os.stat(p)
    p.write_text("X = 9\n")
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))
    exec(cache.CachingLoader("polysock._cache_probe", str(p)).get_code("polysock._cache_probe"), ns)
    assert ns["X"] == 1
    p.write_text("X = 22\n")                          # new size and mtime: recompiled
    st = os.stat(p)
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    exec(cache.CachingLoader("polysock._cache_probe", str(p)).get_code("polysock._cache_probe"), ns)
    assert ns["X"] == 22


def test_unwritable_cache_still_loads(tmp_path, monkeypatch):
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("")
    monkeypatch.setattr(cache, "_dirs", [str(blocker / "a"), str(blocker / "b")])
    monkeypatch.setattr(cache, "_writable", None)
    assert cache.store_blob("b", b"k", b"x") is False
    p = _module(tmp_path, "Y = 3\n")
    ns: dict = {}
    exec(cache.CachingLoader("polysock._cache_probe2", str(p)).get_code("polysock._cache_probe2"), ns)
    assert ns["Y"] == 3


def test_command_line_fills_and_uses_the_cache(tmp_path):
    d = tmp_path / "c"
    env = dict(os.environ, POLYSOCK_CACHE_DIR=str(d), PYTHONDONTWRITEBYTECODE="1")
    env.pop("POLYSOCK_NO_CACHE", None)
    for _ in range(2):
        r = subprocess.run([sys.executable, "-m", "polysock", "-e", "(display 42)"], capture_output=True,
                           text=True, env=env, timeout=120)
        assert (r.returncode, r.stdout) == (0, "42"), r.stderr
    sub = d / f"py-{sys.implementation.cache_tag}"
    names = os.listdir(sub)
    assert any(n.startswith("polysock.toplevel.") for n in names), names
    assert "registry-wrappers.marshal" in names


def test_cache_can_be_turned_off(tmp_path):
    d = tmp_path / "off"
    env = dict(os.environ, POLYSOCK_CACHE_DIR=str(d), PYTHONDONTWRITEBYTECODE="1", POLYSOCK_NO_CACHE="1")
    code = textwrap.dedent("""
        import polysock
        print(polysock.eval("(+ 1 1)"))
        """)
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert (r.returncode, r.stdout.strip()) == (0, "2"), r.stderr
    assert not d.exists()
