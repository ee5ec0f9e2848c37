"""The web layer: the app factory (app.py) and one package per area, each with its routes and
forms; templates under templates/<area>/. Thin: views call services, and the app commits once
per request (transaction.py). The map and the request flow: docs/architecture.md."""
