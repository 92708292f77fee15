"""/api/v1/submissions/<uuid> and /api/v1/sync: the shopper app's idempotent upload.

PUT answers 201 (created), 200 (identical replay, with the same body as the
first answer; or a returned report resubmitted as its next revision), 403
``not_yours`` / ``gate_incomplete``, 409 ``submission_conflict``, 413
``payload_too_large``, 422 ``validation_failed`` / ``unknown_questionnaire_version``
/ ``unknown_assignment`` / ``questionnaire_version_mismatch`` / ``uuid_mismatch``.
POST /sync answers 200 with each item's result as PUT would give it alone.
"""

from flask import current_app
from flask.views import MethodView
from flask_login import current_user

from app.accounts.permissions import gate_required, shopper_required
from app.api.blueprint import Blueprint
from app.api.problems import PROBLEM_MEDIA_TYPE, ApiProblem
from app.api.spec import ProblemSchema
from app.extensions import db
from app.visits import correspondence, services
from app.visits.schemas import OpenReportArgs, SubmissionArgs, SubmissionSchema, SyncArgs, SyncResponseSchema

blp = Blueprint("visits_api", __name__, description="Capture upload: reports, exit interviews and call logs")

# Instances, not classes: webargs would make a new schema from a class on every request.
_submission_args = SubmissionArgs()
_sync_args = SyncArgs()
_open_report_args = OpenReportArgs()


def problem(status: int, description: str):
    """Document a problem response of a route, with the codes it may carry."""
    return blp.alt_response(
        status, schema=ProblemSchema, description=description, content_type=PROBLEM_MEDIA_TYPE
    )


def _send(body: dict, status: int):
    """The response for a body that ``services`` dumped already with the documented schema."""
    response = current_app.json.response(body)
    response.status_code = status
    return response


def _raise_for(outcome: services.Outcome):
    extra = {"errors": outcome.errors} if outcome.errors else {}
    raise ApiProblem(outcome.status, outcome.code, outcome.detail, **extra)


def _require_path_uuid(args, submission_uuid) -> None:
    if args["uuid"] != submission_uuid:
        raise ApiProblem(
            422,
            "uuid_mismatch",
            "The UUID in the body is not the one in the path.",
            errors={"uuid": ["Must be the UUID in the path."]},
        )


@blp.route("/submissions/<uuid:submission_uuid>")
class SubmissionUpload(MethodView):
    @shopper_required
    @gate_required
    @blp.arguments(_submission_args)
    @blp.response(201, SubmissionSchema, description="Stored for the first time")
    @blp.alt_response(
        200,
        schema=SubmissionSchema,
        description="An identical replay (the stored result again), or a returned report "
        "resubmitted as its next revision",
    )
    @problem(403, "`not_yours` (another shopper's assignment or submission), `gate_incomplete`, `forbidden`")
    @problem(409, "`submission_conflict`: this UUID was stored with other content")
    @problem(413, "`payload_too_large`: the body is over the size limit; the item stays on the device")
    @problem(
        422,
        "`validation_failed` (see `errors`), `unknown_questionnaire_version`, `unknown_assignment`, "
        "`questionnaire_version_mismatch`, `uuid_mismatch`",
    )
    def put(self, args, submission_uuid):
        """Upload one report, exit interview or call log; idempotent on its UUID.

        The same UUID with the same content answers the stored submission again (200);
        with different content 409 ``submission_conflict``, unless the report was returned
        for changes, when it becomes the next revision (200). A report for a withdrawn or
        cancelled assignment, or a second report for one assignment, is stored and flagged.
        """
        _require_path_uuid(args, submission_uuid)
        [outcome] = services.receive_and_commit(current_user, [args])
        if outcome.status >= 400:
            _raise_for(outcome)
        return _send(outcome.submission, outcome.status)


@blp.route("/sync")
class Sync(MethodView):
    @shopper_required
    @gate_required
    @blp.arguments(_sync_args)
    @blp.response(200, SyncResponseSchema)
    @problem(403, "`gate_incomplete`, `forbidden`")
    @problem(413, "`payload_too_large`: the body is over the size limit")
    @problem(422, "`validation_failed`: not a list of objects, or more than 100 items")
    def post(self, args):
        """Upload up to 100 items at once; each result is what PUT would answer for it alone.

        One bad item never fails the others. Send photo-heavy items one by one with PUT:
        the whole body has the same size limit.
        """
        results = services.receive_bodies(current_user, args["submissions"])
        return _send({"results": [outcome.as_result() for outcome in results]}, 200)


@blp.route("/open-reports/<uuid:submission_uuid>")
class OpenReportUpload(MethodView):
    @shopper_required
    @gate_required
    @blp.arguments(_open_report_args)
    @blp.response(
        200, OpenReportArgs, description="Kept: the brief carries it to every phone the shopper uses"
    )
    @problem(403, "`not_yours`, `gate_incomplete`, `forbidden`")
    @problem(
        422,
        "`validation_failed` (see `errors`; `replies` when the report was finished already), "
        "`unknown_assignment`, `uuid_mismatch`",
    )
    def put(self, args, submission_uuid):
        """Keep the draft of an e-mail or letter shop that was sent and waits for its reply.

        Idempotent: the latest draft replaces the one before. Once the report itself arrives (PUT
        /submissions or /sync under the same UUID) the draft is gone and this answers 422 on ``replies``.
        """
        _require_path_uuid(args, submission_uuid)
        try:
            content = correspondence.keep_open(current_user, args)
        except correspondence.OpenReportRefused as refused:
            extra = {"errors": refused.errors} if refused.errors else {}
            raise ApiProblem(refused.status, refused.code, refused.detail, **extra) from None
        db.session.commit()
        return _send(content, 200)
