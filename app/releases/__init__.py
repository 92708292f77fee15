"""Release: a coordinator closes a wave's review and releases its results to partner organisations, one by
one or all at once, after a preview of exactly what each will see; a release made in error is withdrawn.
``app.releases.services`` is what other features import."""


def register(app, api) -> None:
    from app.releases.routes import bp

    app.register_blueprint(bp)
