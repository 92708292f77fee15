"""Partnership, organisations, service areas, contact points, programmes and waves."""


def register(app, api):
    from app.programmes.api import blp
    from app.programmes.routes import bp
    from app.programmes.setup_routes import bp as setup_bp

    app.register_blueprint(bp)
    app.register_blueprint(setup_bp)
    api.register_blueprint(blp, url_prefix="/api/v1")
