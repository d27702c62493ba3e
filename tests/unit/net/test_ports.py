import os

from polysock.net import ports as P
from polysock.net.sockets import socketpair
from polysock.values.misc import EOF
from tests.fakes.helpers import condition_of, spawn


def test_binary_ports_keep_socket_open(no_leaks):
    a, b = socketpair()
    out = P.output_port(a)
    inp = P.input_port(b)
    out.write(b"hello\n")                       # unbuffered: no flush needed
    assert inp.read_u8() == ord("h") and inp.peek_u8() == ord("e")
    assert bytes(inp.read_bytes(5)) == b"ello\n"
    out.close()
    inp.close()
    assert not a.closed and not b.closed         # "keep"
    a.send_all(b"!")
    assert b.recv(1) == b"!"
    a.close()
    b.close()


def test_textual_pair_utf8_split_and_eof(no_leaks):
    a, b = socketpair()
    i, o = P.port_pair(b, textual=True, on_close="close-both")
    data = "héllo wörld\n".encode()
    writer = spawn(lambda: [a.send_all(data[k:k + 1]) for k in range(len(data))] and a.shutdown(1))
    line = i.read_line()
    assert getattr(line, "s", line) == "héllo wörld"      # multibyte chars split across reads
    writer.join()
    assert i.read_char() is EOF
    o.write_str("ok\n")
    o.flush()
    assert a.recv(10) == b"ok\n"
    i.close()
    assert not b.closed                          # one half still open
    o.close()
    assert b.closed                              # closed after both halves
    a.close()


def test_bidirectional_and_close_policy(no_leaks):
    a, b = socketpair()
    port = P.bidirectional_port(b, textual=True, on_close="close-both")
    a.send_all(b"x")
    assert port.read_char() == "x"
    port.write_str("y")
    assert a.recv(1) == b"y"
    port.close()
    assert b.closed
    a.close()


def test_shutdown_policy_half_closes(no_leaks):
    a, b = socketpair()
    o = P.output_port(b, on_close="shutdown")
    o.write(b"data")
    o.close()
    assert a.recv(10) == b"data" and a.recv(10) == b""   # EOF seen by the peer
    assert not b.closed
    a.close()
    b.close()


def test_port_errors_are_conditions(no_leaks):
    a, b = socketpair()
    inp = P.input_port(b)
    b.close()
    c = condition_of(lambda: inp.read_u8())
    assert c.kind == "closed"
    o = P.output_port(a)
    c = condition_of(lambda: [o.write(os.urandom(65536)) for _ in range(100)])
    assert c.kind == "socket" and c.data["errno"] == 32
    a.close()


def test_ready_and_fileno(no_leaks):
    a, b = socketpair()
    inp = P.input_port(b)
    assert not inp.ready() and inp.fileno() == b.fd
    a.send_all(b"abc")
    assert inp.read_u8() == ord("a")
    assert inp.ready()                            # buffered "bc"
    a.close()
    b.close()


def built(port):
    return [side for side in ("in_port", "out_port") if port.built(side)]


def test_bidirectional_port_builds_each_half_on_first_use(no_leaks):
    a, b = socketpair()
    port = P.bidirectional_port(b, textual=True, on_close="close-both")
    assert built(port) == [] and port.input and port.output and port.textual
    assert port.name == f"socket {b.fd}" and port.fileno() == b.fd
    port.write_str("y")
    assert a.recv(1) == b"y" and built(port) == ["out_port"]
    a.send_all(b"x")
    assert port.read_char() == "x" and built(port) == ["in_port", "out_port"]
    assert port.input_open() and port.output_open()
    port.close()
    assert b.closed and not port.input_open() and not port.output_open()
    a.close()


def test_closing_an_unbuilt_port_applies_its_policy(no_leaks):
    for policy, closes in (("close", True), ("close-both", True), ("keep", False)):
        a, b = socketpair()
        port = P.bidirectional_port(b, on_close=policy)
        port.close()
        port.close()                              # idempotent, like a built port
        assert port.closed and built(port) == [] and b.closed == closes
        if policy == "close-both":
            assert a.recv(1) == b""               # the peer saw end of stream
        # using it afterwards is a closed-port condition, not a missing attribute
        assert condition_of(lambda: port.read_char()).kind == "port-closed"
        assert condition_of(lambda: port.write_str("z")).kind == "port-closed"
        assert port.in_port.closed and port.out_port.closed
        if not b.closed:
            assert b.send(b"still open") > 0      # "keep" left the socket alone
            b.close()
        a.close()


def test_half_closing_an_unbuilt_port(no_leaks):
    a, b = socketpair()
    port = P.bidirectional_port(b, on_close="close-both")
    port.close_output()
    assert a.recv(1) == b""                       # SHUT_WR reached the peer
    assert not port.output_open() and port.input_open() and not port.closed
    assert condition_of(lambda: port.write_str("z")).kind == "port-closed"
    a.send_all(b"q")
    assert port.read_char() == "q" and not b.closed
    port.close_input()
    assert port.closed and b.closed and built(port) == ["in_port", "out_port"]
    a.close()


def test_unbuilt_and_built_ports_answer_alike(no_leaks):
    a, b = socketpair()
    eager = P.bidirectional_port(b, textual=False, buffering="block")
    eager.in_port, eager.out_port                 # build now
    lazy = P.bidirectional_port(a, textual=False, buffering="block")
    assert (lazy.textual, lazy.binary, lazy.input, lazy.output) == \
        (eager.textual, eager.binary, eager.input, eager.output) == (False, True, True, True)
    assert lazy.pending_input() == 0 and not lazy.ready() and built(lazy) == ["in_port"]
    for p in (eager, lazy):
        assert not hasattr(p, "read_char")         # a binary port has no character reads
    lazy.close()
    eager.close()
