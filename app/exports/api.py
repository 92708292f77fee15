"""/api/v1/exports/{reports,answers,calls}.{csv,xlsx}: approved reports, streamed (SPEC §4).

CSV goes out row by row as it is read; XLSX is written to a temporary file first (XlsxWriter needs a
seekable file), then sent in chunks and deleted.
"""

from datetime import date

from flask import Response, stream_with_context
from flask_login import current_user

from app.accounts.models import Role
from app.accounts.permissions import roles_required
from app.api.blueprint import Blueprint
from app.api.problems import PROBLEM_MEDIA_TYPE
from app.api.spec import ProblemSchema
from app.audit.services import record
from app.exports.access import export_scope
from app.exports.schemas import ExportArgs
from app.exports.tables import TABLES
from app.exports.writers import csv_chunks, file_chunks, xlsx_workbook
from app.extensions import db
from app.programmes.models import Programme

blp = Blueprint("exports_api", __name__, description="Exports of approved reports (CSV and XLSX)")

FORMATS = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_BINARY = {"type": "string", "format": "binary"}


def _problem(status: int, description: str):
    return blp.alt_response(
        status, schema=ProblemSchema, description=description, content_type=PROBLEM_MEDIA_TYPE
    )


def _download(table_name: str, extension: str, args: dict) -> Response:
    scope = export_scope(current_user, args.get("wave"), args.get("organisation"))
    table = TABLES[table_name]
    # In the audit trail before the first byte goes (the stream runs after the view returns).
    record(
        "export.downloaded",
        db.session.get(Programme, scope.programme_id)
        if scope.programme_id
        else current_user._get_current_object(),
        actor=current_user,
        table=table_name,
        format=extension,
        **{k: v for k, v in (("wave", scope.wave_id), ("organisation", scope.organisation_id)) if v},
    )
    db.session.commit()
    if extension == "csv":
        body = stream_with_context(csv_chunks(table.header, table.rows(scope)))
    else:
        body = file_chunks(xlsx_workbook(*table.tagged_rows(scope)))
    filename = scope.filename(f"{table_name}-{date.today().isoformat()}", extension)
    return Response(
        body,
        mimetype=FORMATS[extension],
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"},
    )


def _export_view(table_name: str, extension: str):
    @roles_required(Role.coordinator, Role.admin, Role.partner_manager)
    @blp.arguments(ExportArgs, location="query", as_kwargs=True)
    @blp.response(200, _BINARY, content_type=FORMATS[extension], description=f"The {extension.upper()} file")
    @_problem(403, "not_yours (another programme or organisation), not_released (a partner manager, for now)")
    @_problem(404, "an unknown wave or organisation")
    def view(**args):
        return _download(table_name, extension, args)

    view.__name__ = f"{table_name}_{extension}"
    view.__doc__ = (
        f"Approved {table_name} as {extension.upper()}, streamed; of the coordinator's programme "
        "(an admin: every programme), narrowed to a wave or an organisation."
    )
    return view


for _table in TABLES:
    for _extension in FORMATS:
        blp.route(f"/exports/{_table}.{_extension}", methods=["GET"])(_export_view(_table, _extension))
