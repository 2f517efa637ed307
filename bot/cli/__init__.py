"""The composition root: the command line, the wiring of adapters to the core, `paperbot run`.

Nothing else imports from here; `wiring` is the one module that imports `adapters/`.
"""
