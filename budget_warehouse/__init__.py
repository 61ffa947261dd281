"""budget-warehouse: the command line (cli) and the exports (export) of the warehouse."""
