"""The web layer: app factory, blueprints, templates and forms. Thin: it calls services."""
