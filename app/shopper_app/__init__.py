"""The shopper app: the offline-first PWA shell (its pages and the service worker's shell manifest)."""


def register(app, api):
    from app.shopper_app.routes import bp

    app.register_blueprint(bp)
