import socket
import time

import pytest

from polysock.net import resolve as R
from tests.fakes.helpers import condition_of
from tests.fakes.resolver import FakeResolver


@pytest.fixture()
def fake():
    f = FakeResolver({"localhost": ["127.0.0.1", "::1"], "svc.test": ["10.1.2.3"]})
    old = R.set_resolver(f)
    yield f
    R.set_resolver(old)


def test_getaddrinfo_through_resolver(fake):
    rows = R.getaddrinfo("svc.test", "80", socket.AF_INET, socket.SOCK_STREAM)
    assert [str(r.addr) for r in rows] == ["10.1.2.3:80"]
    assert rows[0].type == socket.SOCK_STREAM and fake.calls == [("getaddrinfo", "svc.test")]
    both = R.getaddrinfo("localhost", 5, 0, socket.SOCK_STREAM)
    assert {r.family for r in both} == {socket.AF_INET, socket.AF_INET6}


def test_getaddrinfo_failure_is_resolve(fake):
    c = condition_of(lambda: R.getaddrinfo("nowhere.test", 80))
    assert c.kind == "resolve" and c.data["gai_code"] == socket.EAI_NONAME


@pytest.mark.parametrize("port", [99999, "99999", -1, 65536])
def test_ports_range_checked_before_lookup(fake, port):
    assert condition_of(lambda: R.getaddrinfo("localhost", port)).kind == "range"
    assert fake.calls == []


def test_gethost_herror(fake):
    assert R.gethostbyname("svc.test").addresses == ["10.1.2.3"]
    c = condition_of(lambda: R.gethostbyname("nowhere.test"))
    assert c.kind == "herror" and c.data["herror"] == 1 and c.is_a("resolve")
    assert R.gethostbyaddr("10.1.2.3").name == "svc.test"


def test_getnameinfo(fake):
    from polysock.net.address import inet
    assert R.getnameinfo(inet("10.1.2.3", 80), socket.NI_NUMERICHOST) == ("10.1.2.3", "80")
    assert R.getnameinfo(inet("10.1.2.3", 80))[0] == "svc.test"


def test_databases_from_etc_files():
    assert R.getservbyname("http", "tcp").port == 80
    assert R.getservbyport(80, "tcp").name == "http"
    assert R.getprotobyname("tcp").number == 6
    assert R.getprotobynumber(17).name == "udp"
    assert R.getnetbyname("loopback").net == 127
    assert R.getnetbyaddr(127).name == "loopback"
    for fn in (lambda: R.getservbyname("no-such-service"), lambda: R.getprotobyname("nope"),
               lambda: R.getprotobynumber(4242), lambda: R.getnetbyname("nonet")):
        assert condition_of(fn).kind == "not-found"
    assert condition_of(lambda: R.getservbyport(70000)).kind == "range"
    assert any(e.name == "tcp" for e in R.entries("protocols"))


def test_parse_db_handles_missing_file_and_comments(tmp_path):
    p = tmp_path / "networks"
    p.write_text("# comment\nloopnet 127.0.0 loop  # trailing\nbad\n")
    assert R.parse_db(str(p)) == [["loopnet", "127.0.0", "loop"]]
    assert R.parse_db(str(tmp_path / "missing")) == []
    assert R._net_number("10.1") == (10 << 8) | 1


def test_slow_lookup_runs_in_worker(fake, net_hub):
    fake.delays["slow.test"] = 0.3
    fake.hosts_table["slow.test"] = ["10.0.0.9"]
    t0 = time.monotonic()
    rows = R.getaddrinfo("slow.test", 1, socket.AF_INET)
    assert str(rows[0].addr) == "10.0.0.9:1" and time.monotonic() - t0 >= 0.3


@pytest.mark.parametrize("text", ["127.0.0.1", "10.1.2.3", "0.0.0.0"])
def test_gethostbyname_of_a_dotted_quad_is_answered_inline(monkeypatch, text):
    """The system resolver's answer for an address literal, with no worker-thread trip."""
    monkeypatch.setattr(R, "_run", lambda *a: pytest.fail("went to the resolver thread"))
    h = R.gethostbyname(text)
    assert (h.name, h.aliases, h.addresses) == socket.gethostbyname_ex(text)


def test_gethostbyname_of_other_spellings_still_asks_the_resolver(monkeypatch):
    calls = []
    monkeypatch.setattr(R, "_run", lambda fn, *a: calls.append(a) or ("x", [], ["127.0.0.1"]))
    for text in ("127.1", "127.000.0.1", "localhost"):
        R.gethostbyname(text)
    assert [a[0] for a in calls] == ["127.1", "127.000.0.1", "localhost"]
