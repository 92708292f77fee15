"""/api/v1/assignments: the shopper's briefs, and their answer to an offer (accept or decline).

Accept and decline are safe to replay: the app queues them offline and sends them when it can, perhaps
twice (a lost answer, a second tab). Accepting work already accepted (or already reported) and declining
work already declined answer 200 with ``replayed: true``; a transition the assignment can no longer make
is 409 (``not_offered``, ``not_declinable``).
"""

from flask import Response, request, url_for
from flask.views import MethodView
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import forbid, gate_required, not_found, roles_required, shopper_required
from app.accounts.services import conflicts_of
from app.api.blueprint import Blueprint
from app.api.errors import raise_as_problem
from app.api.problems import PROBLEM_MEDIA_TYPE
from app.api.spec import ProblemSchema
from app.assignments import manual
from app.assignments.access import get_assignment
from app.assignments.brief_changes import brief_state, changes_since
from app.assignments.models import Assignment, AssignmentState
from app.assignments.schemas import (
    BriefCursor,
    BriefListSchema,
    BriefPageArgs,
    BriefSchema,
    BriefsSinceArgs,
    CompactBriefListSchema,
    DecisionSchema,
    DeclineArgs,
)
from app.assignments.services import briefs_for
from app.extensions import db

blp = Blueprint("assignments_api", __name__, description="Assignment briefs")

# Accepting work in these states is a replay: it was accepted (or reported straight from the offer) before.
_ACCEPTED_OR_LATER = {
    AssignmentState.accepted,
    AssignmentState.submitted,
    AssignmentState.in_review,
    AssignmentState.approved,
    AssignmentState.returned,
}


def problem(status: int, description: str):
    return blp.alt_response(
        status, schema=ProblemSchema, description=description, content_type=PROBLEM_MEDIA_TYPE
    )


@blp.route("/assignments")
class Briefs(MethodView):
    @shopper_required
    @gate_required
    @blp.etag
    @blp.arguments(BriefPageArgs, location="query")
    @blp.response(200, BriefListSchema)
    @problem(
        422, "`validation_failed` (see `errors`): a `limit` out of range, or a `cursor` not of this list"
    )
    def get(self, args):
        """The shopper's briefs, a page at a time; 403 ``gate_incomplete`` until the gate is passed.

        ``limit`` briefs (50 unless asked, at most 100), soonest window first; ``next`` is the URL of the
        next page (null on the last). The response has an ``ETag`` (a hash of the page as sent). The app sends
        it back in ``If-None-Match`` and gets 304 with no body while nothing in the page has changed, so
        reopening it on a poor signal costs a few hundred bytes; it keeps the briefs it holds on 304.
        """
        limit = args["limit"]
        briefs = briefs_for(current_user, after=args.get("cursor"), limit=limit + 1)
        items, more = briefs[:limit], len(briefs) > limit
        following = (
            url_for("assignments_api.Briefs", limit=limit, cursor=BriefCursor.of(items[-1])) if more else None
        )
        return {"items": items, "next": following}


def held_states() -> set[str]:
    """The brief states the phone holds, from ``If-None-Match``. Flask-Compress marks the ETag of a response it
    compressed with the coding (``"<state>:br"``), and the phone sends back the ETag it got."""
    return {tag.rpartition(":")[0] or tag for tag in request.if_none_match.as_set() if tag}


@blp.route("/briefs")
class CompactBriefs(MethodView):
    @shopper_required
    @gate_required
    @blp.arguments(BriefsSinceArgs, location="query")
    @blp.response(200, CompactBriefListSchema)
    @blp.alt_response(304, description="Not modified: the phone holds these briefs (its `If-None-Match`)")
    def get(self, args):
        """The shopper's briefs, compact: the same briefs as ``GET /assignments``, with each contact point,
        scenario and wave (and the programme's time zone and general instructions) sent once and referred to
        by id. The shopper app reads this one (``GET /assignments`` stays for earlier versions of the app).

        Every answer carries a ``cursor``; sent back as ``since``, it gets only the briefs that changed or are
        new since then (``full: false``) and the ids of those ``removed`` (withdrawn, cancelled, declined,
        approved, or given to someone else). A cursor no longer known answers every brief with ``full: true``:
        the app then replaces what it holds. The ``ETag`` stands for the briefs' state whatever ``since`` is,
        so with ``If-None-Match`` an unchanged state answers 304 with no body."""
        briefs = briefs_for(current_user)
        state, digests = brief_state(briefs)
        etag = {
            "ETag": f'"{state}"'
        }  # the state itself, so that a tag Flask-Compress marked still matches it
        if state in held_states():
            return Response(status=304, headers=etag)
        changes = changes_since(current_user, briefs, state, digests, args.get("since"))

        def distinct(objects):
            return list({o.id: o for o in objects}.values())

        return (
            {
                "cursor": changes.cursor,
                "full": changes.full,
                "items": changes.changed,
                "removed": changes.removed,
                "contact_points": distinct(b.contact_point for b in changes.changed),
                "scenarios": distinct(b.scenario for b in changes.changed),
                "waves": distinct(b.wave for b in changes.changed),
            },
            200,
            etag,
        )


@blp.route("/assignments/<id:assignment_id>")
class Brief(MethodView):
    @roles_required(Role.shopper, Role.coordinator, Role.admin)
    @blp.response(200, BriefSchema)
    def get(self, assignment_id):
        """One brief: the shopper's own (after the gate), or any in the coordinator's programme."""
        if not current_user.has_role(Role.coordinator, Role.admin):
            return gate_required(lambda: get_assignment(assignment_id))()
        return get_assignment(assignment_id)


def own_assignment_to_decide(assignment_id: int) -> Assignment:
    """The signed-in shopper's own assignment, in any state: 404 if missing, 403 ``not_yours`` otherwise.

    Unlike ``get_assignment`` (briefs the shopper may see), a declined or withdrawn assignment is
    found too, so that a replayed decision is answered as one instead of as someone else's work.
    """
    assignment = db.session.get(Assignment, assignment_id)
    if assignment is None:
        not_found("No such assignment.")
    if assignment.shopper_id != current_user.id:
        forbid("not_yours", "This assignment is not yours.")
    return assignment


def _decision(assignment, replayed: bool, withdrawn=()) -> dict:
    return {
        "assignment_id": assignment.id,
        "state": assignment.state.value,
        "replayed": replayed,
        "withdrawn_assignment_ids": sorted(a.id for a in withdrawn),
    }


@blp.route("/assignments/<id:assignment_id>/accept")
class Accept(MethodView):
    @shopper_required
    @gate_required
    @blp.response(200, DecisionSchema)
    @problem(403, "`not_yours`, `gate_incomplete`, `forbidden`")
    @problem(404, "`not_found`")
    @problem(409, "`not_offered`: the assignment was declined, withdrawn or cancelled meanwhile")
    def post(self, assignment_id):
        """Accept an offer. Accepting it again (or after its report was sent) changes nothing and answers 200."""
        assignment = own_assignment_to_decide(assignment_id)
        if assignment.state in _ACCEPTED_OR_LATER:
            return _decision(assignment, replayed=True)
        with raise_as_problem():
            manual.accept(assignment, current_user)
        db.session.commit()
        return _decision(assignment, replayed=False)


def _already_declined(assignment, reason_code: str) -> bool:
    if assignment.state is AssignmentState.declined:
        return True
    # Declining for a conflict files the conflict, which withdraws the assignment rather than declining it.
    return (
        reason_code == manual.CONFLICT_REASON
        and assignment.state is AssignmentState.withdrawn
        and any(
            c.touches(assignment.organisation_id, assignment.service_area_id)
            for c in conflicts_of(current_user)
        )
    )


@blp.route("/assignments/<id:assignment_id>/decline")
class Decline(MethodView):
    @shopper_required
    @gate_required
    @blp.arguments(DeclineArgs)
    @blp.response(200, DecisionSchema)
    @problem(403, "`not_yours`, `gate_incomplete`, `forbidden`")
    @problem(404, "`not_found`")
    @problem(409, "`not_declinable`: the work was reported, withdrawn or cancelled meanwhile")
    @problem(422, "`validation_failed` (see `errors`): no reason code, or `other` without a reason")
    def post(self, args, assignment_id):
        """Decline an offer or accepted work, saying why; the coordinator is told and reassigns it.

        ``reason_code: conflict`` files a conflict of interest with the assignment's organisation and
        service area: it withdraws this and every other open assignment it touches. Declining again
        changes nothing and answers 200.
        """
        assignment = own_assignment_to_decide(assignment_id)
        if _already_declined(assignment, args["reason_code"]):
            return _decision(assignment, replayed=True)
        with raise_as_problem():
            changed = manual.decline(assignment, current_user, args["reason_code"], args["reason"].strip())
        db.session.commit()
        withdrawn = changed if args["reason_code"] == manual.CONFLICT_REASON else []
        return _decision(assignment, replayed=False, withdrawn=withdrawn)
