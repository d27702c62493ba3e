import socket

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polysock.net import address as A
from polysock.net.address import SockAddr

from tests.fakes.helpers import condition_of


def test_inet_roundtrip_and_text():
    a = A.inet("127.0.0.1", 7)
    assert a.to_python() == ("127.0.0.1", 7)
    assert str(a) == "127.0.0.1:7"
    assert A.from_python(socket.AF_INET, ("127.0.0.1", 7)) == a
    assert hash(a) == hash(A.inet("127.0.0.1", 7))


def test_inet6_roundtrip_normalises_and_drops_scope_suffix():
    a = A.inet6("0:0::1", 80)
    assert a.host == "::1" and str(a) == "[::1]:80"
    assert a.to_python() == ("::1", 80, 0, 0)
    b = A.from_python(socket.AF_INET6, ("fe80::1%lo", 5, 0, 1))
    assert b.host == "fe80::1" and b.scope_id == 1


def test_sockaddr_is_immutable():
    a = A.inet("127.0.0.1", 1)
    with pytest.raises(AttributeError):
        a.port = 2  # type: ignore[misc]


@pytest.mark.parametrize("port", [-1, 65536, 99999, 2 ** 100])
def test_port_range(port):
    c = condition_of(lambda: A.inet("127.0.0.1", port, who="inet-address"))
    assert c.kind == "range" and c.who == "inet-address" and c.irritants == (port,)


@pytest.mark.parametrize("port", [80.0, "80", None, True])
def test_port_type(port):
    assert condition_of(lambda: A.check_port("bind", port, 2)).kind == "wrong-type"


@pytest.mark.parametrize("text", ["999.1.1.1", "1.2.3.4.5", "", "1.2.3", "localhost"])
def test_bad_ipv4_text(text):
    c = condition_of(lambda: A.inet(text, 1))
    assert c.kind == "error" and c.data["reason"] == "bad-address"


def test_bad_ipv6_text():
    assert condition_of(lambda: A.inet6("::g", 1)).data["reason"] == "bad-address"


def test_unix_path_limits(tmp_path):
    assert A.unix("/" + "a" * 106).path == "/" + "a" * 106      # 107 bytes fits
    c = condition_of(lambda: A.unix("/" + "a" * 107))
    assert c.kind == "range" and c.data["limit"] == 107
    assert condition_of(lambda: A.unix("/" + "a" * 4095)).kind == "range"
    assert A.unix("\0abstract").is_abstract
    assert A.unix(b"\xff\xfe").path == b"\xff\xfe"


def test_integer_hosts():
    assert A.ipv4_to_int("inet-aton", "127.0.0.1") == 0x7F000001
    assert A.ipv4_to_int("inet-aton", "127.1") == 0x7F000001       # inet_aton forms
    assert A.int_to_ipv4("inet-ntoa", 0x7F000001) == "127.0.0.1"
    assert A.ipv6_to_int("x", "::1") == 1
    assert A.int_to_ipv6("x", 1) == "::1"
    for bad in (-1, 2 ** 32):
        assert condition_of(lambda: A.int_to_ipv4("inet-ntoa", bad)).kind == "range"
    for bad in (-1, 2 ** 128, 2 ** 1024):
        assert condition_of(lambda: A.int_to_text("inet-ntop", socket.AF_INET6, bad)).kind == "range"
    assert condition_of(lambda: A.ipv4_to_int("inet-aton", "1.2.3.4.5")).kind == "error"


@given(st.integers(min_value=0, max_value=2 ** 32 - 1))
def test_ipv4_text_of_an_integer_is_the_dotted_quad_and_back(n):
    import ipaddress
    text = A.int_to_ipv4("inet-ntoa", n)
    assert text == str(ipaddress.IPv4Address(n)) and A.ipv4_to_int("inet-aton", text) == n


def test_pton_ntop():
    assert A.inet_pton("inet-pton", socket.AF_INET, "10.0.0.1") == b"\n\0\0\x01"
    assert A.inet_ntop("inet-ntop", socket.AF_INET6, b"\0" * 15 + b"\x01") == "::1"
    assert A.text_to_int("inet-pton", socket.AF_INET, "0.0.1.0") == 256
    assert condition_of(lambda: A.inet_pton("inet-pton", socket.AF_INET, "::1")).kind == "error"
    assert condition_of(lambda: A.inet_pton("inet-pton", 12345, "1.1.1.1")).kind == "range"
    assert condition_of(lambda: A.inet_ntop("inet-ntop", socket.AF_INET, b"abc")).kind == "range"


def test_family_of_text_and_wildcard():
    assert A.family_of_text("::1") == socket.AF_INET6
    assert A.family_of_text("1.2.3.4") == socket.AF_INET
    assert A.family_of_text("localhost") is None
    assert A.wildcard(socket.AF_INET6) == SockAddr(socket.AF_INET6, "::", 0)


_quads = st.lists(st.one_of(st.integers(0, 300).map(str), st.sampled_from(["01", "00", "0x1", " 1", "1 ", "", "٣"])),
                  min_size=1, max_size=5).map(".".join)


@given(st.one_of(_quads, st.text(max_size=16)))
def test_ipv4_normalize_agrees_with_ipaddress(text):
    import ipaddress
    try:
        want = str(ipaddress.IPv4Address(text))
    except ValueError:
        assert condition_of(lambda: A.ipv4_normalize("x", text)).data["reason"] == "bad-address"
    else:
        assert A.ipv4_normalize("x", text) == want


@given(st.one_of(_quads, st.text(max_size=16), st.sampled_from(["::1", "fe80::1%eth0", "::ffff:1.2.3.4"])))
def test_family_of_text_agrees_with_ipaddress(text):
    import ipaddress
    try:
        want = socket.AF_INET if ipaddress.ip_address(text).version == 4 else socket.AF_INET6
    except ValueError:
        want = None
    assert A.family_of_text(text) == want
