"""CHICKEN dialect, acceptance 4: a socket-egg server that starts a thread per connection
(thread-start!) serves 200 concurrent clients while another thread keeps ticking, and the
socket-*-timeout parameters raise (exn i/o net timeout) on time. The programs run as real
CHICKEN programs (``polysock --dialect chicken``) on 127.0.0.1 with an OS-chosen port."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SERVER_200 = r"""
(import socket (srfi 18) (chicken io) (chicken format) (chicken time))
(define n 200)
(define l (socket af/inet sock/stream))
(set! (so-reuse-address? l) #t)
(socket-bind l (inet-address "127.0.0.1" 0))
(socket-listen l 256)
(define addr (socket-name l))
(define connected 0)            ; connections the server holds open at once
(define peak 0)
(define ticks 0)
(define max-gap 0)
(define done #f)
(define ticker
  (thread-start!
   (lambda ()
     (let loop ((last (current-milliseconds)))
       (unless done
         (thread-sleep! 0.01)
         (let ((now (current-milliseconds)))
           (set! ticks (+ ticks 1))
           (set! max-gap (max max-gap (- now last)))
           (loop now)))))))
(define (serve so)
  (set! connected (+ connected 1))
  (set! peak (max peak connected))
  (define-values (in out) (socket-i/o-ports so))
  (let ((line (read-line in)))
    ;; hold every connection until all clients are connected: they are served concurrently
    (let wait ((k 0)) (when (and (< peak n) (< k 3000)) (thread-sleep! 0.005) (wait (+ k 1))))
    (thread-sleep! 0.3)         ; then keep all 200 open a while, the ticker still running
    (write-line (string-append "echo " line) out)
    (close-output-port out)
    (close-input-port in)
    (set! connected (- connected 1))))
(define server
  (thread-start!
   (lambda ()
     (let loop ((k 0))
       (when (< k n)
         (let ((so (socket-accept l)))
           (thread-start! (lambda () (serve so)))
           (loop (+ k 1))))))))
(define (client i)
  (thread-start!
   (lambda ()
     (let ((c (socket af/inet sock/stream)))
       (socket-connect c addr)
       (define-values (in out) (socket-i/o-ports c))
       (write-line (number->string i) out)
       (let ((reply (read-line in)))
         (close-output-port out)
         (close-input-port in)
         (equal? reply (string-append "echo " (number->string i))))))))
(define (upto k) (let loop ((i (- k 1)) (acc '())) (if (< i 0) acc (loop (- i 1) (cons i acc)))))
(define t0 (current-milliseconds))
(define clients (map client (upto n)))
(define ok (let loop ((ts clients) (good 0))
             (if (null? ts) good (loop (cdr ts) (if (thread-join! (car ts)) (+ good 1) good)))))
(thread-join! server)
(set! done #t)
(thread-join! ticker)
(socket-close l)
(printf "ok ~a peak ~a ticks ~a max-gap ~a ms ~a~%" ok peak ticks max-gap (- (current-milliseconds) t0))
"""

TIMEOUTS = r"""
(import socket (srfi 18) (chicken format) (chicken time) (chicken condition))
(define l (socket af/inet sock/stream))
(socket-bind l (inet-address "127.0.0.1" 0))
(socket-listen l 4)
(define c (socket af/inet sock/stream))
(socket-connect c (socket-name l))
(define a (socket-accept l))
(define ticks 0)
(define done #f)
(define ticker (thread-start! (lambda () (let loop () (unless done (set! ticks (+ ticks 1)) (thread-sleep! 0.01) (loop))))))
(define (timed label param ms thunk)
  (let ((t0 (current-milliseconds)) (k0 ticks))
    (condition-case (begin (parameterize ((param ms)) (thunk)) (printf "~a no-timeout~%" label))
      (e (exn i/o net timeout)
         (printf "~a timeout ~a ~a ~a~%" label ms (- (current-milliseconds) t0) (- ticks k0))))))
(timed "receive" socket-receive-timeout 300 (lambda () (socket-receive a 10)))
(timed "receive!" socket-receive-timeout 300 (lambda () (socket-receive! a (make-string 4))))
(timed "receive-from" socket-receive-timeout 300 (lambda () (socket-receive-from a 10)))
(timed "accept" socket-accept-timeout 300 (lambda () (socket-accept l)))
(timed "port-read" socket-receive-timeout 300
       (lambda () (call-with-values (lambda () (socket-i/o-ports a)) (lambda (i o) (read-char i)))))
(set! (so-send-buffer c) 4096)
(set! (so-receive-buffer a) 4096)
(define chunk (make-string 65536 #\s))
(timed "send" socket-send-timeout 300
       (lambda () (let loop ((k 0)) (when (< k 1000) (socket-send c chunk) (loop (+ k 1))))))
(set! done #t)
(thread-join! ticker)
"""


def run_chicken(tmp_path: Path, text: str, timeout: int = 120) -> str:
    prog = tmp_path / "prog.scm"
    prog.write_text(text)
    p = subprocess.run([sys.executable, "-m", "polysock", "--dialect", "chicken", str(prog)],
                       capture_output=True, text=True, timeout=timeout, cwd=tmp_path,
                       env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert p.returncode == 0, p.stderr
    return p.stdout


def test_thread_per_connection_serves_200_concurrent_clients(tmp_path: Path) -> None:
    words = run_chicken(tmp_path, SERVER_200).split()
    stats = dict(zip(words[0::2], words[1::2]))
    assert stats["ok"] == "200"                 # every client got its own echo
    assert stats["peak"] == "200"               # all 200 connections were open at once
    assert int(stats["ms"]) >= 300
    assert int(stats["ticks"]) >= 10            # the ticker kept running throughout
    assert int(stats["max-gap"]) < 500          # ... and was never starved for long


def test_timeouts_raise_exn_i_o_net_timeout_on_time(tmp_path: Path) -> None:
    lines = run_chicken(tmp_path, TIMEOUTS).splitlines()
    assert [ln.split()[0] for ln in lines] == ["receive", "receive!", "receive-from", "accept",
                                              "port-read", "send"]
    for ln in lines:
        label, what, ms, elapsed, ticks = ln.split()
        assert what == "timeout", ln
        assert 280 <= int(elapsed) < 2000, ln   # not early, not much later than asked
        assert int(ticks) >= 3, ln              # other threads ran while this one waited
