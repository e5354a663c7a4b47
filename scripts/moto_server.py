"""moto's DynamoDB-protocol server (`moto_server`), handling one request at a time.

moto's own `moto_server` serves requests on many threads, and its DynamoDB
model is not thread-safe: under concurrent writes it answers some with HTTP
500, and a cancelled TransactWriteItems restores snapshots of whole tables,
undoing writes that other requests made meanwhile (an auto-key counter going
back, an acknowledged row vanishing). Real DynamoDB applies every write
atomically. Here connections are still accepted on many threads (a
single-threaded server would serve one keep-alive connection at a time and
stall every other client), but requests run one at a time under a lock.

The server also ends when the process that started it does (its parent
changes): a test run that is killed, or whose shell never runs its exit
trap, leaves no server behind.

Usage: moto_server.py -H HOST -p PORT (moto_server's arguments), or HOST PORT.
"""

import os
import sys
import threading
import time

import moto.server

_run_simple = moto.server.run_simple
_lock = threading.Lock()


def _serialized(app):
    def call(environ, start_response):
        with _lock:
            return list(app(environ, start_response))

    return call


def _run(host, port, app, **kwargs):
    return _run_simple(host, port, _serialized(app), **kwargs)


def _exit_with_parent():
    parent = os.getppid()

    def watch():
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def main() -> int:
    _exit_with_parent()
    args = sys.argv[1:]
    if len(args) == 2 and not args[0].startswith("-"):
        args = ["-H", args[0], "-p", args[1]]
    moto.server.run_simple = _run
    return moto.server.main(args) or 0


if __name__ == "__main__":
    sys.exit(main())
