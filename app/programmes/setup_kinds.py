"""The kinds of set-up object, described once, so that listing, adding, changing and deleting share one path.

Each kind says which model and form it uses, how to find its objects in a programme, which service
function saves it, and which columns its list shows.
"""

import enum
from collections.abc import Callable
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import contains_eager, selectinload

from app.extensions import db
from app.labels import label
from app.phones import locator_text
from app.programmes import forms, services
from app.programmes.forms import choices
from app.programmes.models import (
    STANDARD_UNITS,
    Channel,
    ContactPoint,
    Organisation,
    ReferenceFigure,
    Scenario,
    ServiceArea,
    ServiceStandard,
    Tier,
    Wave,
    WaveStatus,
)


def _label(value) -> str:
    return label(value) if isinstance(value, enum.Enum) else value


@dataclass(frozen=True)
class Kind:
    slug: str  # in the URL
    model: type
    form: type
    singular: str
    plural: str
    save: Callable
    belongs: Callable  # (object, programme) -> bool
    select: Callable  # programme -> a SELECT of its objects, in the list's order
    columns: list  # [(heading, object -> text)]
    search: tuple = ()  # the columns a list's "Find" looks in
    enums: dict = field(default_factory=dict)  # form field -> enum class
    choices: Callable = lambda form, programme: None
    title_of: Callable = lambda obj: obj.name
    intro: str = ""

    def items(self, programme) -> list:
        return db.session.scalars(self.select(programme)).all()

    def page(self, programme, search: str = "", page: int = 1, per_page: int = 50):
        """One page of the programme's objects, those holding ``search`` in a searched column, with the total."""
        query = self.select(programme)
        search = search.strip()
        if search and self.search:
            query = query.where(sa.or_(*(column.ilike(f"%{search}%") for column in self.search)))
        return db.paginate(query, page=page, per_page=per_page, error_out=False, max_per_page=None)

    def count(self, programme) -> int:
        return db.session.scalar(
            sa.select(sa.func.count()).select_from(self.select(programme).order_by(None).subquery())
        )

    @property
    def field_names(self) -> list[str]:
        return _names(self.form)

    @property
    def endpoint(self) -> str:
        return self.slug.replace("-", "_")

    def form_data(self, obj) -> dict:
        """What the form shows for an existing object."""
        data = {}
        for name in _names(self.form):
            if name == "service_area_ids":
                data[name] = [area.id for area in obj.service_areas]
            elif name == "locator" and isinstance(obj, ContactPoint):  # a number as people write it
                data[name] = locator_text(obj)
            else:
                value = getattr(obj, name, None)
                data[name] = value.value if isinstance(value, enum.Enum) else value
        return data

    def values(self, form) -> dict:
        """The form's values as the model takes them."""
        values = {}
        for name in _names(self.form):
            value = form[name].data
            values[name] = self.enums[name](value) if name in self.enums else value
        return values


def _names(form_class) -> list[str]:
    """The form's field names in declaration order (WTForms keeps them unbound on the class)."""
    names = []
    for klass in reversed(form_class.__mro__):
        for name, value in vars(klass).items():
            if hasattr(value, "field_class") and name not in names and name != "csrf_token":
                names.append(name)
    return names


def _in_partnership(obj, programme) -> bool:
    return obj.partnership_id == programme.partnership_id


def _in_programme(obj, programme) -> bool:
    return obj.programme_id == programme.id


def _select_organisations(programme):
    return (
        sa.select(Organisation).filter_by(partnership_id=programme.partnership_id).order_by(Organisation.name)
    )


def _select_areas(programme):
    return (
        sa.select(ServiceArea).filter_by(partnership_id=programme.partnership_id).order_by(ServiceArea.name)
    )


def _organisations(programme):
    return db.session.scalars(_select_organisations(programme)).all()


def _areas(programme):
    return db.session.scalars(_select_areas(programme)).all()


def _select_contact_points(programme):
    return (
        sa.select(ContactPoint)
        .join(Organisation)
        .options(contains_eager(ContactPoint.organisation), selectinload(ContactPoint.service_areas))
        .where(Organisation.partnership_id == programme.partnership_id)
        .order_by(Organisation.name, ContactPoint.channel, ContactPoint.name, ContactPoint.id)
    )


def _of_programme(model, *order):
    return lambda programme: sa.select(model).filter_by(programme_id=programme.id).order_by(*order, model.id)


def _contact_point_choices(form, programme):
    form.organisation_id.choices = choices((o.id, o.name) for o in _organisations(programme))
    form.service_area_ids.choices = choices((a.id, a.name) for a in _areas(programme))


def _scenario_choices(form, programme):
    form.service_area_id.choices = choices((a.id, a.name) for a in _areas(programme))


KINDS = [
    Kind(
        "organisations",
        Organisation,
        forms.OrganisationForm,
        "organisation",
        "organisations",
        services.save_organisation,
        _in_partnership,
        _select_organisations,
        [
            ("Name", lambda o: o.name),
            ("Short name", lambda o: o.short_name),
            ("Tier", lambda o: _label(o.tier)),
        ],
        search=(Organisation.name, Organisation.short_name),
        enums={"tier": Tier},
        intro="The partner organisations of the partnership and their tier of government.",
    ),
    Kind(
        "service-areas",
        ServiceArea,
        forms.ServiceAreaForm,
        "service area",
        "service areas",
        services.save_service_area,
        _in_partnership,
        _select_areas,
        [("Code", lambda a: a.code), ("Name", lambda a: a.name)],
        search=(ServiceArea.code, ServiceArea.name),
        intro="The common service areas (departments) every partner may provide.",
    ),
    Kind(
        "contact-points",
        ContactPoint,
        forms.ContactPointForm,
        "contact point",
        "contact points",
        services.save_contact_point,
        lambda cp, programme: cp.organisation.partnership_id == programme.partnership_id,
        _select_contact_points,
        [
            ("Name", lambda cp: cp.name),
            ("Organisation", lambda cp: cp.organisation.short_name),
            ("Channel", lambda cp: _label(cp.channel)),
            ("Where", lambda cp: locator_text(cp)),
            ("Service areas", lambda cp: ", ".join(a.name for a in cp.service_areas)),
            ("In use", lambda cp: "Yes" if cp.active else "No"),
        ],
        search=(ContactPoint.name, ContactPoint.locator, Organisation.name, Organisation.short_name),
        enums={"channel": Channel},
        choices=_contact_point_choices,
        intro="Buildings, telephone lines, e-mail and postal addresses and web pages, each serving "
        "one or more service areas.",
    ),
    Kind(
        "waves",
        Wave,
        forms.WaveForm,
        "wave",
        "waves",
        services.save_wave,
        _in_programme,
        _of_programme(Wave, Wave.number),
        [
            ("Number", lambda w: w.number),
            ("Name", lambda w: w.name),
            ("Dates", lambda w: f"{w.starts_on:%-d %b %Y} to {w.ends_on:%-d %b %Y}"),
            ("Status", lambda w: _label(w.status)),
        ],
        search=(Wave.name,),
        enums={"status": WaveStatus},
        intro="Rounds of shopping, compared wave on wave.",
    ),
    Kind(
        "scenarios",
        Scenario,
        forms.ScenarioForm,
        "scenario",
        "scenarios",
        services.save_scenario,
        _in_programme,
        _of_programme(Scenario, Scenario.title),
        [
            ("Title", lambda s: s.title),
            ("Service area", lambda s: s.service_area.name),
            ("Cross-tier", lambda s: "Yes" if s.cross_tier else "No"),
        ],
        search=(Scenario.title, Scenario.persona, Scenario.question),
        choices=_scenario_choices,
        title_of=lambda s: s.title,
        intro="Personas with a realistic question; cross-tier ones test redirection to the other tier.",
    ),
    Kind(
        "standards",
        ServiceStandard,
        forms.StandardForm,
        "service standard",
        "service standards",
        services.save_standard,
        _in_programme,
        _of_programme(ServiceStandard, ServiceStandard.channel, ServiceStandard.code),
        [
            ("Code", lambda s: s.code),
            ("Name", lambda s: s.name),
            ("Channel", lambda s: _label(s.channel)),
            (
                "Threshold",
                lambda s: (
                    "—"
                    if s.threshold is None
                    else f"{s.threshold:g} {STANDARD_UNITS[s.unit]}"
                    if s.unit in STANDARD_UNITS
                    else f"{s.threshold:g} {s.unit}"
                ),
            ),
        ],
        search=(ServiceStandard.code, ServiceStandard.name),
        enums={"channel": Channel},
        intro="Promises a report is checked against, e.g. “answered within 20 seconds”.",
    ),
    Kind(
        "reference-figures",
        ReferenceFigure,
        forms.ReferenceFigureForm,
        "reference figure",
        "reference figures",
        services.save_reference_figure,
        _in_programme,
        _of_programme(ReferenceFigure, ReferenceFigure.channel),
        [
            ("Channel", lambda r: _label(r.channel)),
            ("Figure", lambda r: f"{r.value:g}%"),
            ("Source", lambda r: r.source),
        ],
        search=(ReferenceFigure.source,),
        enums={"channel": Channel},
        title_of=lambda r: f"{_label(r.channel)} reference figure",
        intro="An outside figure per channel (e.g. a national average) shown beside the programme’s own.",
    ),
]

KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}
