"""Assignments and the shopper's briefs; planning and the phone bank."""


def register(app, api):
    from app.assignments.api import blp
    from app.assignments.blocks_routes import bp as blocks_bp
    from app.assignments.planning_routes import bp as planning_bp
    from app.assignments.routes import bp

    for blueprint in (bp, planning_bp, blocks_bp):
        app.register_blueprint(blueprint)
    api.register_blueprint(blp, url_prefix="/api/v1")
