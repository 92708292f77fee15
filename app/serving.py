"""The gunicorn worker the app runs under (``gunicorn.conf.py``).

gunicorn's ``gthread`` worker waits for connections on its main thread and hands every request to a
thread pool, then back to the main thread for the connection's next request. With one thread per
process, as this app runs (``gunicorn.conf.py`` says why), the hand-overs are all the pool does: two
switches between threads and a pipe's wake-up per request, some 60 µs of a core, a fifth of what a
trivial request costs under gunicorn (bench/README.md, session 10).

``MainThreadWorker`` is ``gthread`` that serves each request on its main thread when it has one
thread. Everything else is gthread's own: keep-alive, the limit on connections, the timeouts of idle
connections, graceful shutdown. A new connection waits in the poller until its request arrives, so a
client that connects and sends nothing (a browser's preconnection) holds up nobody; gthread's one
thread would wait for it for up to 5 s. As with gunicorn's default ``sync`` worker, a request that
runs past ``timeout`` ends its worker (the app's longest, planning and imports, take seconds).
With more than one thread it is gthread unchanged.

It relies on gthread's internals (``enqueue_req``, ``finish_request``, ``TConn``), which
``pyproject.toml`` bounds to the gunicorn releases ``tests/test_serving.py`` runs against.
"""

from concurrent.futures import Future

from gunicorn.workers.gthread import _DEFER, ThreadWorker


def _finished(result) -> Future:
    future = Future()
    future.set_result(result)
    return future


class MainThreadWorker(ThreadWorker):
    """gthread, serving each request on its main thread when it has one thread (the module says why)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._serving = False

    def enqueue_req(self, conn):
        if self.cfg.threads > 1:
            super().enqueue_req(conn)
        elif self._serving:
            # finish_request found the connection's next request read already (a pipelined one): it is
            # served on the loop's next turn, rather than by recursing here once per request in the pipe.
            self.method_queue.defer(self.enqueue_req, conn)
        else:
            self._serving = True
            try:
                self.finish_request(conn, _finished(self._serve(conn)))
            finally:
                self._serving = False

    def _serve(self, conn):
        """gthread's answer for the connection: keep it, close it, or wait for its request (``_DEFER``)."""
        if not conn.initialized and not conn.data_ready:
            return _DEFER  # a new connection: its request is waited for in the poller, not here
        return self.handle(conn)
