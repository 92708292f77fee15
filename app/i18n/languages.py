"""The languages the app is offered in: code -> the language's own name (what a speaker looks for)."""

LANGUAGES = {"en": "English", "cy": "Cymraeg"}
DEFAULT_LANGUAGE = "en"
# What ``<html lang>`` and dates say for each (British English, Welsh as spoken in Wales).
HTML_LANG = {"en": "en-GB", "cy": "cy-GB"}
