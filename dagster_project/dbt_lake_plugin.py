"""The dbt-duckdb plugin of the profile's `lake` output (dbt/profiles.yml): it loads the ducklake and
postgres extensions from their installed packages (extractors/warehouse.py) on dbt's connection,
which dbt-duckdb does before it runs the profile's ATTACH of the lake (INSTALL / autoloading would
download them)."""
from dbt.adapters.duckdb.plugins import BasePlugin

from extractors.warehouse import current, lake_extensions, load_extensions


class Plugin(BasePlugin):
    def configure_connection(self, conn) -> None:
        wh = current()
        if wh.is_lake:
            load_extensions(conn, lake_extensions(wh.target, wh.lake_data))
