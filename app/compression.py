"""Compressed text: Flask-Compress (configured by ``COMPRESS_*`` in config.py) on what the app serves itself.

Streams are left as they are (``COMPRESS_STREAMS = False``): an export is written and sent a row at a time,
and compressing it would hold the worker for the whole file. Static files are streams too (Flask sends them
from the open file), but small ones: those of a compressible type are read whole first, so that they go
compressed, with a length and their validators, and the file is closed with the response.
"""

from flask import Flask, request

from app.extensions import compress


def init_compression(app: Flask) -> None:
    compress.init_app(app)
    mimetypes = set(app.config["COMPRESS_MIMETYPES"])

    # Registered after Flask-Compress's own handler, so it runs before it (Flask runs them in reverse).
    @app.after_request
    def read_static_text_whole(response):
        if request.endpoint == "static" and response.is_streamed and response.mimetype in mimetypes:
            response.direct_passthrough = False
            response.get_data()  # werkzeug closes the file when the response closes
        return response
