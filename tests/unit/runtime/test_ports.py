"""Port layering: raw streams, buffering modes, decoding, line ends, EOF, closing."""
from __future__ import annotations

import os
from typing import List

import pytest
from hypothesis import given
from hypothesis import strategies as st

from polysock.runtime import ports as P
from polysock.values.conditions import SchemeError
from polysock.values.misc import EOF


class TrickleRaw:
    """A raw stream that returns at most *step* bytes per readinto and logs each call."""

    def __init__(self, data: bytes, step: int = 1) -> None:
        self.data = data
        self.i = 0
        self.step = step
        self.calls: List[int] = []
        self.closed = False

    def readinto(self, buf: memoryview) -> int:
        self.calls.append(len(buf))
        n = min(self.step, len(buf), len(self.data) - self.i)
        buf[:n] = self.data[self.i:self.i + n]
        self.i += n
        return n

    def ready(self) -> bool:
        return self.i < len(self.data)

    def close(self) -> None:
        self.closed = True


class SinkRaw:
    """A raw output stream that accepts at most *step* bytes per write."""

    def __init__(self, step: int = 1 << 30) -> None:
        self.data = bytearray()
        self.writes = 0
        self.step = step
        self.closed = False

    def write(self, data: memoryview) -> int:
        n = min(len(data), self.step)
        self.data += data[:n]
        self.writes += 1
        return n

    def close(self) -> None:
        self.closed = True


def kind_of(exc: pytest.ExceptionInfo) -> str:
    return exc.value.payload.kind


# ---------------------------------------------------------------- decoding

def test_utf8_split_across_one_byte_reads() -> None:
    text = "aé€𝄞z\n"
    raw = TrickleRaw(text.encode("utf-8"), 1)
    port = P.open_input(raw)
    got = []
    while (c := port.read_char()) is not EOF:
        got.append(c)
    assert "".join(got) == text
    assert port.read_char() is EOF


def test_utf8_split_unbuffered_read_string() -> None:
    port = P.open_input(TrickleRaw("€€€x".encode(), 2), buffering="none")
    assert port.read_string(2) == "€€"
    assert port.read_string(5) == "€x"
    assert port.read_string(1) is EOF


@given(st.text(max_size=40), st.integers(1, 7), st.sampled_from(["block", "none"]))
def test_utf8_decodes_the_same_whatever_the_read_sizes(text, step, buffering) -> None:
    data = text.encode("utf-8", "surrogateescape")
    port = P.open_input(TrickleRaw(data, step), buffering=buffering)
    got = []
    while (c := port.read_string(3)) is not EOF:
        got.append(c)
    assert "".join(got) == data.decode("utf-8", "surrogateescape")


def test_utf8_end_of_input_inside_a_character_escapes_its_bytes() -> None:
    port = P.open_input(TrickleRaw(b"a\xe2\x82", 1))
    assert port.read_string(10) == "a\udce2\udc82"
    assert port.read_char() is EOF


def test_utf8_unbuffered_reads_stop_at_the_end_of_the_character() -> None:
    raw = TrickleRaw("€x".encode(), 100)
    port = P.open_input(raw, buffering="none")
    assert port.read_char() == "€" and raw.i == 3     # x is still the stream's


def test_utf8_drain_keeps_an_unfinished_character_for_the_next_read() -> None:
    raw = TrickleRaw("ab€".encode(), 4)
    port = P.open_input(raw)
    assert port.read_char() == "a"
    assert port.take_buffered() == "b"                  # the first byte of the euro waits
    assert port.read_string(5) == "€" and port.read_char() is EOF


class ChunkRaw:
    """A raw stream giving one chunk per readinto; ready only while chunks remain."""

    def __init__(self, *chunks: bytes) -> None:
        self.chunks = list(chunks)
        self.closed = False

    def readinto(self, buf: memoryview) -> int:
        c = self.chunks.pop(0) if self.chunks else b""
        buf[:len(c)] = c
        return len(c)

    def ready(self) -> bool:
        return bool(self.chunks)

    def close(self) -> None:
        self.closed = True


def test_utf8_an_unfinished_character_is_not_a_ready_one() -> None:
    euro = "€".encode()
    raw = ChunkRaw(b"a" + euro[:1])
    port = P.open_input(raw)
    assert port.read_char() == "a"                     # the euro's first byte is buffered
    assert not port.char_ready() and port.pending_input() == 0 and not port.ready()
    raw.chunks.append(euro[1:])
    assert port.char_ready() and port.read_char() == "€"


def test_utf8_encoding_switch_after_an_unfinished_character() -> None:
    port = P.open_input(TrickleRaw("a€".encode(), 2))
    assert port.read_char() == "a"                      # \xe2 read, not yet decoded
    port.set_encoding("latin-1")
    assert port.read_string(5) == "€".encode().decode("latin-1")


def test_unbuffered_input_never_reads_ahead() -> None:
    raw = TrickleRaw(b"abcdef", 100)
    port = P.open_input(raw, textual=False, buffering="none")
    assert port.read_u8() == ord("a")
    assert raw.i == 1
    assert port.read_bytes(2) == bytearray(b"bc")
    assert raw.i == 3


def test_block_input_reads_whole_buffers() -> None:
    raw = TrickleRaw(b"x" * 10000, 1 << 20)
    port = P.open_input(raw, textual=False, buffer_size=4096)
    assert port.read_u8() == ord("x")
    assert raw.calls == [4096]
    assert port.buffered() == 4095


def test_input_buffer_starts_small_and_grows_while_fills_fill_it() -> None:
    raw = TrickleRaw(b"y" * 200000, 1 << 20)
    port = P.open_input(raw, textual=False)            # the default 64 KiB buffer
    assert raw.calls == []                             # nothing allocated or read yet
    assert port.read_u8() == ord("y")
    assert raw.calls == [P.FIRST_FILL]                 # a short exchange costs 4 KiB
    for _ in range(P.FIRST_FILL - 1 + 4 * P.FIRST_FILL + 1):
        port.read_u8()
    assert raw.calls == [P.FIRST_FILL, 4 * P.FIRST_FILL, P.DEFAULT_BUFFER_SIZE]


def test_large_read_bypasses_buffer() -> None:
    data = os.urandom(200000)
    raw = TrickleRaw(data, 1 << 20)
    port = P.open_input(raw, textual=False, buffer_size=1024)
    assert port.read_bytes(10) == data[:10]
    got = port.read_bytes(150000)
    assert got == data[10:150010]
    assert max(raw.calls) > 1024          # went straight into the caller's buffer
    rest = port.read_bytes(100000)
    assert rest == data[150010:]
    assert port.read_bytes(1) is EOF


def test_invalid_utf8_round_trips_through_surrogateescape() -> None:
    data = b"a\xff\xfeb"
    port = P.open_input(TrickleRaw(data, 1))
    s = port.read_string(10)
    assert s[0] == "a" and s[-1] == "b" and len(s) == 4
    out = SinkRaw()
    o = P.open_output(out)
    o.write_str(s)
    o.flush()
    assert bytes(out.data) == data


def test_latin1_ports() -> None:
    port = P.open_input(TrickleRaw(bytes(range(256)), 7), encoding="latin-1")
    s = port.read_string(300)
    assert [ord(c) for c in s] == list(range(256))
    out = SinkRaw()
    o = P.open_output(out, encoding="latin-1")
    o.write_str("\xe9\xff")
    o.write_str("λ")                      # not latin-1: sent as UTF-8
    o.flush()
    assert bytes(out.data) == b"\xe9\xff" + "λ".encode()


def test_incomplete_sequence_at_eof_is_kept() -> None:
    port = P.open_input(TrickleRaw(b"ab\xe2\x82", 1))
    assert port.read_string(10) == "ab\udce2\udc82"


# ---------------------------------------------------------------- EOF, peek

def test_peek_then_read() -> None:
    port = P.StringInputPort("xy")
    assert port.peek_char() == "x"
    assert port.peek_char() == "x"
    assert port.read_char() == "x"
    assert port.peek_char() == "y"
    assert port.read_char() == "y"
    assert port.peek_char() is EOF
    assert port.read_char() is EOF


def test_peeked_eof_is_sticky_for_next_read() -> None:
    class Tty(TrickleRaw):
        """EOF once (Ctrl-D), then more data."""

        def readinto(self, buf: memoryview) -> int:
            self.calls.append(len(buf))
            if len(self.calls) == 1:
                return 0
            buf[:1] = b"q"
            return 1

    raw = Tty(b"")
    port = P.open_input(raw)
    assert port.peek_char() is EOF
    assert port.read_char() is EOF       # the same EOF, not a second raw read
    assert len(raw.calls) == 1
    assert port.read_char() == "q"
    bport = P.open_input(Tty(b""), textual=False)
    assert bport.peek_u8() is EOF
    assert bport.read_u8() is EOF
    assert bport.read_u8() == ord("q")


def test_binary_peek_read_and_eof() -> None:
    port = P.BinaryInputPort.from_bytes(b"\x01\x02")
    assert port.peek_u8() == 1
    assert port.read_u8() == 1
    assert port.read_bytes(5) == bytearray(b"\x02")
    assert port.read_u8() is EOF
    assert port.read_bytes(5) is EOF


def test_readinto_partial_at_eof() -> None:
    port = P.open_input(TrickleRaw(b"hello", 2), textual=False)
    buf = bytearray(10)
    assert port.readinto(buf, 2, 9) == 5
    assert bytes(buf[2:7]) == b"hello"
    assert port.readinto(buf, 0, 3) is EOF
    assert port.readinto(buf, 3, 3) == 0


def test_read_some_gives_one_read() -> None:
    port = P.open_input(TrickleRaw(b"abcdefgh", 3), textual=False)
    assert port.read_some() == bytearray(b"abc")
    assert port.read_some(2) == bytearray(b"de")
    assert port.read_some() == bytearray(b"f")
    assert port.read_some() == bytearray(b"gh")
    assert port.read_some() is EOF


# ---------------------------------------------------------------- lines

@pytest.mark.parametrize("step", [1, 2, 3, 1000])
def test_read_line_all_endings(step: int) -> None:
    data = b"one\ntwo\r\nthree\rfour\r\r\nsix\n\nlast"
    port = P.open_input(TrickleRaw(data, step))
    lines = []
    while (line := port.read_line()) is not EOF:
        lines.append(line)
    assert lines == ["one", "two", "three", "four", "", "six", "", "last"]


def test_read_line_crlf_split_then_read_char() -> None:
    port = P.open_input(TrickleRaw(b"ab\r\ncd", 3))
    assert port.read_line() == "ab"
    assert port.read_char() == "c"        # the \n of \r\n is not seen as a char


def test_read_line_at_eof_and_empty_stream() -> None:
    assert P.StringInputPort("").read_line() is EOF
    p = P.StringInputPort("x\n")
    assert p.read_line() == "x"
    assert p.read_line() is EOF


def test_eol_translation_on_input_and_output() -> None:
    port = P.open_input(TrickleRaw(b"a\r\nb\rc\n", 2), eol_in=True)
    assert port.read_string(10) == "a\nb\nc\n"
    sink = SinkRaw()
    out = P.open_output(sink, newline_out="\r\n")
    out.write_str("x\ny\n")
    out.flush()
    out.write_str("no newline")               # drained alone: nothing to translate
    out.flush()
    out.write_str("é\n")
    out.flush()
    assert bytes(sink.data) == b"x\r\ny\r\nno newline" + "é\r\n".encode()


class KeepRaw(SinkRaw):
    """A sink that also keeps each object it was handed."""

    def __init__(self, step: int = 1 << 30) -> None:
        super().__init__(step)
        self.objs: List[object] = []

    def write(self, data: memoryview) -> int:
        self.objs.append(data)
        return super().write(data)


def test_a_large_write_of_the_same_str_reuses_its_bytes() -> None:
    sink = KeepRaw()
    out = P.open_output(sink, buffering="none")
    chunk = "b" * P.ENCODE_REUSE_MIN
    for _ in range(3):
        out.write_str(chunk)
    out.flush()
    assert bytes(sink.data) == b"b" * (3 * P.ENCODE_REUSE_MIN)
    assert len(sink.objs) == 3 and sink.objs[0] is sink.objs[1] is sink.objs[2]
    same_text = "".join(["b"] * P.ENCODE_REUSE_MIN)     # equal text, another object
    assert same_text is not chunk
    out.write_str(same_text)
    assert sink.objs[3] is not sink.objs[0] and bytes(sink.objs[3]) == bytes(sink.objs[0])


def test_reused_bytes_follow_the_encoding_and_newline_translation() -> None:
    sink = SinkRaw()
    out = P.open_output(sink, buffering="none")
    chunk = ("é\n" + "\udcff") * P.ENCODE_REUSE_MIN     # a lone escape: a raw byte
    expect = []
    out.write_str(chunk)
    expect.append(chunk.encode("utf-8", "surrogateescape"))
    out.set_encoding("latin-1")
    out.write_str(chunk)
    expect.append(chunk.encode("latin-1", "surrogateescape"))
    out.newline_out = "\r\n"
    out.write_str(chunk)
    expect.append(chunk.replace("\n", "\r\n").encode("latin-1", "surrogateescape"))
    out.write_str(chunk)
    expect.append(expect[-1])
    out.flush()
    assert bytes(sink.data) == b"".join(expect)


def test_reuse_survives_partial_writes_and_ends_with_the_port() -> None:
    sink = SinkRaw(step=5000)                 # every write is taken in pieces
    out = P.open_output(sink, buffering="none")
    chunk = "x" * P.ENCODE_REUSE_MIN + "y"
    out.write_str(chunk)
    out.write_str(chunk)
    assert bytes(sink.data) == chunk.encode() * 2
    out.close()
    assert out._reuse is None


def test_small_and_huge_writes_keep_nothing() -> None:
    out = P.open_output(SinkRaw(), buffering="none")
    out.write_str("z" * (P.ENCODE_REUSE_MIN - 1))
    assert out._reuse is None
    out.write_str("z" * (P.ENCODE_REUSE_MAX + 1))
    assert out._reuse is None


def test_read_until_and_unread() -> None:
    port = P.StringInputPort("key: value;rest")
    assert port.read_until(":;") == ("key", ":")
    port.unread_char(":")
    assert port.read_char() == ":"
    assert port.read_until(";") == (" value", ";")
    assert port.read_until(";") == ("rest", EOF)
    assert port.read_until(";") == (EOF, EOF)


def test_read_string_past_eof() -> None:
    port = P.StringInputPort("abc")
    assert port.read_string(2) == "ab"
    assert port.read_string(10) == "c"
    assert port.read_string(1) is EOF


@given(st.text("ab\n", max_size=300), st.integers(1, 17), st.lists(st.integers(1, 40), max_size=40))
def test_location_across_refills_matches_the_text_read(text: str, step: int, reads: List[int]) -> None:
    port = P.open_input(TrickleRaw(text.encode(), step))   # a refill every `step` bytes
    done = ""
    for k in reads:
        got = port.read_string(k)
        if got is EOF:
            break
        done += got
        line = done.count("\n") + 1
        assert port.location() == (line, len(done) - done.rfind("\n"))


def test_location_counts_lines_and_columns() -> None:
    port = P.open_input(TrickleRaw(b"ab\ncd\r\nef", 2))
    assert port.location() == (1, 1)
    port.read_string(4)
    assert port.location() == (2, 2)
    port.read_line()
    assert port.location() == (3, 1)
    port.read_char()
    assert port.location() == (3, 2)


# ---------------------------------------------------------------- readiness

def test_char_ready_counts_buffered_data() -> None:
    raw = TrickleRaw(b"abc", 10)
    port = P.open_input(raw)
    port.peek_char()
    raw.ready = lambda: False            # type: ignore[method-assign]
    assert port.char_ready()             # buffered text counts
    port.read_string(3)
    assert not port.char_ready()
    bport = P.open_input(TrickleRaw(b"z", 10), textual=False)
    bport.peek_u8()
    bport.raw.ready = lambda: False       # type: ignore[attr-defined]
    assert bport.u8_ready()
    assert P.StringInputPort("").char_ready()   # at EOF: ready


# ---------------------------------------------------------------- output buffering

def test_block_buffering_flushes_when_full() -> None:
    sink = SinkRaw()
    out = P.open_output(sink, textual=False, buffer_size=8)
    out.write(b"abcd")
    assert sink.data == b""
    out.write(b"efgh")
    assert sink.data == b"abcdefgh"
    out.write_u8(1)
    assert sink.data == b"abcdefgh"
    out.flush()
    assert sink.data == b"abcdefgh\x01"


def test_line_buffering() -> None:
    sink = SinkRaw()
    out = P.open_output(sink, buffering="line", buffer_size=1024)
    out.write_str("no newline")
    assert sink.data == b""
    out.write_str(" then\nmore")
    assert sink.data == b"no newline then\nmore"
    out.write_char("x")
    assert sink.data.endswith(b"more")
    out.write_char("\n")
    assert sink.data.endswith(b"morex\n")


def test_unbuffered_output_writes_through_partial_writes() -> None:
    sink = SinkRaw(step=3)
    out = P.open_output(sink, textual=False, buffering="none")
    out.write(b"0123456789")
    assert sink.data == b"0123456789"
    assert sink.writes == 4


def test_large_write_is_not_copied_into_buffer() -> None:
    sink = SinkRaw()
    out = P.open_output(sink, textual=False, buffer_size=16)
    out.write(b"ab")
    out.write(b"z" * 100)
    assert sink.data == b"ab" + b"z" * 100
    assert out.buffered() == 0


def test_setvbuf_changes_mode() -> None:
    sink = SinkRaw()
    out = P.open_output(sink, buffer_size=100)
    out.write_str("a")
    out.setvbuf("none")
    assert sink.data == b"a"
    out.write_str("b")
    assert sink.data == b"ab"
    inp = P.open_input(TrickleRaw(b"hello", 100), textual=False)
    inp.read_u8()
    inp.setvbuf("block", 2)
    assert inp.read_bytes(4) == bytearray(b"ello")


def test_flush_all_flushes_open_ports() -> None:
    sink = SinkRaw()
    out = P.open_output(sink)
    out.write_str("pending")
    P.flush_all()
    assert sink.data == b"pending"


# ---------------------------------------------------------------- mixed, bidirectional

def test_binary_reads_on_textual_port_resync() -> None:
    port = P.open_input(TrickleRaw("é\x01ab".encode(), 100))
    assert port.read_char() == "é"
    assert port.read_u8() == 1
    assert port.read_char() == "a"
    assert port.read_bytes(1) == bytearray(b"b")


def test_bidirectional_port_independent_halves() -> None:
    raw_in = TrickleRaw(b"ping\n", 2)
    sink = SinkRaw()
    port = P.open_stream(raw_in, sink, buffering="line")
    assert port.input and port.output and port.textual
    assert port.read_line() == "ping"
    port.write_str("pong\n")
    assert sink.data == b"pong\n"
    port.close_input()
    assert not port.input_open() and port.output_open()
    with pytest.raises(SchemeError) as e:
        port.read_char()
    assert kind_of(e) == "port-closed"
    port.write_str("still\n")
    assert sink.data.endswith(b"still\n")
    port.close()
    assert port.closed and raw_in.closed and sink.closed


# ---------------------------------------------------------------- string/bytevector ports

def test_string_ports() -> None:
    out = P.StringOutputPort()
    assert out.getvalue() == ""
    for piece in ("a", "bc", "\n", "d"):
        out.write_str(piece)
    assert out.getvalue() == "abc\nd"
    out.write_char("e")
    assert out.getvalue() == "abc\nde"
    inp = P.StringInputPort("λx")
    assert inp.read_char() == "λ" and inp.read_char() == "x" and inp.read_char() is EOF


def test_bytevector_ports() -> None:
    out = P.BytevectorOutputPort()
    out.write(b"ab")
    out.write_u8(0)
    v = out.getvalue()
    assert v == bytearray(b"ab\x00") and isinstance(v, bytearray)
    v[0] = 0
    assert out.getvalue()[0] == ord("a")     # a fresh copy
    inp = P.BinaryInputPort.from_bytes(b"")
    assert inp.read_u8() is EOF


# ---------------------------------------------------------------- closing

def test_closed_ports_raise() -> None:
    inp = P.StringInputPort("abc")
    inp.read_char()
    inp.close()
    with pytest.raises(SchemeError) as e:
        inp.read_char()
    assert kind_of(e) == "port-closed"
    out = P.StringOutputPort()
    out.close()
    with pytest.raises(SchemeError) as e:
        out.write_str("x")
    assert kind_of(e) == "port-closed"
    raw = TrickleRaw(b"xyz", 10)
    b = P.open_input(raw, textual=False)
    b.read_u8()
    b.close()
    assert raw.closed
    with pytest.raises(SchemeError):
        b.read_u8()
    b.close()                                # idempotent


def test_close_flushes_output() -> None:
    sink = SinkRaw()
    out = P.open_output(sink)
    out.write_str("bye")
    out.close()
    assert sink.data == b"bye" and sink.closed


def test_repr_and_flags() -> None:
    p = P.StringInputPort("", name="s")
    assert repr(p) == "#<textual-input-port s>"
    assert p.input and not p.output and p.textual and not p.binary
    b = P.BytevectorOutputPort()
    assert b.output and b.binary and not b.textual


# ---------------------------------------------------------------- files and fds

def test_fd_raw_round_trip(tmp_path) -> None:
    path = str(tmp_path / "f.txt")
    out = P.open_file("open-output-file", path, "w")
    out.write_str("héllo\nworld\n")
    out.close()
    inp = P.open_file("open-input-file", path)
    assert inp.fileno() is not None
    assert inp.read_line() == "héllo"
    assert inp.read_line() == "world"
    assert inp.read_line() is EOF
    assert inp.char_ready()
    inp.close()


def test_open_missing_file_is_file_condition(tmp_path) -> None:
    with pytest.raises(SchemeError) as e:
        P.open_file("open-input-file", str(tmp_path / "missing"))
    c = e.value.payload
    assert c.kind == "file" and c.is_a("i/o")
    assert c.who == "open-input-file"
    assert c.data["filename"].endswith("missing")


def test_pipe_readiness() -> None:
    r, w = os.pipe()
    inp = P.open_input(P.FdRaw(r), textual=False)
    assert not inp.u8_ready()
    os.write(w, b"x")
    assert inp.u8_ready()
    assert inp.read_u8() == ord("x")
    os.close(w)
    assert inp.read_u8() is EOF
    inp.close()


def test_console_output_goes_to_sys_stdout(capsys) -> None:
    P.STDOUT.write_str("to stdout\n")
    P.STDOUT.flush()
    P.STDERR.write_str("to stderr\n")
    captured = capsys.readouterr()
    assert "to stdout" in captured.out
    assert "to stderr" in captured.err


def test_current_port_parameters_check_type() -> None:
    assert P.current_output_port() is P.STDOUT
    assert P.current_error_port() is P.STDERR
    with pytest.raises(SchemeError) as e:
        P.current_output_port.converter(42)  # type: ignore[misc]
    assert kind_of(e) == "wrong-type"


# ---------------------------------------------------------------- console in a real process

def _child(code: str, **kw):
    import subprocess
    import sys
    return subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)


def test_console_stdout_flushed_at_exit() -> None:
    p = _child("from polysock.runtime import ports\nports.STDOUT.write_str('bye')\n")
    out, err = p.communicate(timeout=60)
    assert out == b"bye", err


def test_console_stdout_flushed_before_reading_stdin() -> None:
    import select
    code = ("from polysock.runtime import ports\n"
            "assert ports.STDOUT.bin.buffering() == 'block'\n"
            "ports.STDOUT.write_str('prompt> ')\n"
            "line = ports.STDIN.read_line()\n"
            "ports.STDOUT.write_str('got ' + line)\n")
    p = _child(code)
    try:
        got = b""
        for _ in range(100):                  # at most ~60 s
            r, _, _ = select.select([p.stdout], [], [], 0.6)
            if r:
                got += os.read(p.stdout.fileno(), 100)
            if got == b"prompt> ":
                break
        assert got == b"prompt> "             # shown before the child blocks on stdin
        out, err = p.communicate(b"hello\n", timeout=60)
        assert out == b"got hello", err
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()


def test_unbuffered_read_line_leaves_the_rest_in_the_stream() -> None:
    raw = TrickleRaw(b"HEAD\r\nbody bytes", 100)
    port = P.open_input(raw, buffering="none")
    assert port.read_line() == "HEAD"
    assert raw.i == 5                          # "\r" consumed; nothing after it was read
    assert port.read_until(" ") == ("body", " ")
    assert raw.i == 11


def test_pending_input_for_select() -> None:
    raw = TrickleRaw(b"ab\ncd", 100)
    port = P.open_stream(raw, SinkRaw())
    assert port.pending_input() == 0
    assert port.read_char() == "a"
    assert port.pending_input() == 4
    port.read_string(4)
    assert port.pending_input() == 0
    assert port.peek_char() is EOF
    assert port.pending_input() == 1          # the pending EOF is ready
    b = P.BinaryInputPort.from_bytes(b"xyz")
    assert b.pending_input() == 3
    assert P.StringInputPort("").pending_input() == 1
    port.read_char()
    assert not port.ready() and not P.StringOutputPort().ready()
    assert P.StringInputPort("x").ready()


@pytest.mark.parametrize("data", [b"plain ascii " * 3000, "café ".encode() * 4000,
                                  bytes(range(256)) * 100, b"x" * 70000 + b"\xff"],
                         ids=["ascii", "utf-8 text", "every byte", "one high byte at the end"])
def test_large_latin1_windows_decode_byte_for_char(data, monkeypatch) -> None:
    calls = []
    large = P._latin1_large
    monkeypatch.setattr(P, "_latin1_large", lambda d: calls.append(len(d)) or large(d))
    port = P.open_input(TrickleRaw(data, len(data)), encoding="latin-1")
    assert port.read_string(len(data) + 1) == data.decode("latin-1")
    assert calls and min(calls) >= P.LATIN1_LARGE        # the large windows took that path


@pytest.mark.parametrize("encoding", ["utf-8", "latin-1"])
def test_large_reads_fill_to_their_end_so_the_next_starts_a_fresh_window(encoding: str) -> None:
    data = bytes(range(32, 127)) * 3000
    raw = TrickleRaw(data, step=1 << 20)           # every readinto gets what it asks for
    port = P.open_input(raw, encoding=encoding)
    k = 65536
    got = [port.read_string(k) for _ in range(3)]
    assert "".join(got) == data[:3 * k].decode("ascii")
    # the growing first fills, then only what the request still wants; then whole windows
    assert raw.calls == [P.FIRST_FILL, 4 * P.FIRST_FILL, k - 5 * P.FIRST_FILL, k, k]
    assert port.read_string(10) == data[3 * k:3 * k + 10].decode("ascii")
    assert raw.calls[-1] == k                       # a small read still fills the buffer
    assert port.read_string(len(data)) == data[3 * k + 10:].decode("ascii")
    assert port.read_string(1) is EOF
