"""Assignments and the shopper's briefs; planning, the phone bank, and (from app/visits) review pages."""


def register_planning_pages(app):
    """The coordinator's planning, phone-bank and review blueprints (with the import of unsent work), registered
    together."""
    from app.assignments.blocks_routes import bp as blocks_pages
    from app.assignments.planning_routes import bp as planning_pages
    from app.visits.import_routes import bp as unsent_work_pages
    from app.visits.review_routes import bp as review_pages

    for blueprint in (planning_pages, blocks_pages, review_pages, unsent_work_pages):
        app.register_blueprint(blueprint)
