"""Assignments and the shopper's briefs; planning, the phone bank, and (from app/visits) review pages."""


def register_planning_pages(app):
    """The coordinator's planning, phone-bank and review blueprints, registered together."""
    from app.assignments.blocks_routes import bp as blocks_pages
    from app.assignments.planning_routes import bp as planning_pages
    from app.visits.review_routes import bp as review_pages

    for blueprint in (planning_pages, blocks_pages, review_pages):
        app.register_blueprint(blueprint)
