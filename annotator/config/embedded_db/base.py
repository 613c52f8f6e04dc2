"""PostgreSQL backend that starts the embedded server on first connection.

Only processes that actually touch the database start it, and settings stay
free of side effects at import time.
"""

from django.db.backends.postgresql import base

from annotator.config import embedded_pg


class DatabaseWrapper(base.DatabaseWrapper):
    def get_connection_params(self):
        params = super().get_connection_params()
        # Test databases are created from the maintenance database, so the
        # server must be up before Django asks for any database at all.
        params["host"] = embedded_pg.ensure_running(self.settings_dict["NAME"] or "postgres")
        return params

    def _nodb_cursor(self):
        embedded_pg.ensure_running("postgres")
        return super()._nodb_cursor()
