"""The landing page, the service worker and the web app manifest."""


def register(app, api):
    from app.main.routes import bp

    app.register_blueprint(bp)
