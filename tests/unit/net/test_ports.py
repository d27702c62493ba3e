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
