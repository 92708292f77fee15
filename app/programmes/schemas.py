import marshmallow as ma


class ContactPointSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    channel = ma.fields.Function(lambda cp: cp.channel.value)
    locator = ma.fields.String()
    opening_hours = ma.fields.String()
    service_areas = ma.fields.Function(lambda cp: [area.name for area in cp.service_areas])


class OrganisationSchema(ma.Schema):
    id = ma.fields.Integer()
    name = ma.fields.String()
    short_name = ma.fields.String()
    tier = ma.fields.Function(lambda o: o.tier.value)
    contact_points = ma.fields.List(ma.fields.Nested(ContactPointSchema))
