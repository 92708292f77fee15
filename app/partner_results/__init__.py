"""The partner manager's results: for each wave released to their organisation, its figures in full, the
partnership benchmark, the log of every contact (no staff names, nothing that identifies a shopper) and
how every partner was shopped. Read from the release (``app.releases``), never from live figures."""


def register(app, api) -> None:
    from app.partner_results.routes import bp

    app.register_blueprint(bp)
