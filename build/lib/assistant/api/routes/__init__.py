"""The web app's routes, one module per kind of user or concern (registered in api/app.py)."""
