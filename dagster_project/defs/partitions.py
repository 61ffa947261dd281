"""Documents are dynamic partitions keyed by their path relative to BUDGET_RAW_DIR."""
import dagster as dg

DOCUMENTS_PARTITION = "documents"
documents_partitions = dg.DynamicPartitionsDefinition(name=DOCUMENTS_PARTITION)

# Every asset that writes the DuckDB file runs in this pool; the pool's limit is 1
# (dagster.yaml), so two writers never hold the file at once.
DUCKDB_POOL = "duckdb_warehouse"
