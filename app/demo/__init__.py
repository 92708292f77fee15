"""Demo data: ``flask --app wsgi demo`` fills an empty database with a believable partnership.

Everything here is made up: council names, ``01632 960xxx`` numbers (Ofcom's
range for drama), ``.example`` addresses and ``@demo.test`` sign-ins. Every
demo user has ``is_demo`` set and shares ``DEMO_PASSWORD``, which a
production configuration refuses to start with.
"""
