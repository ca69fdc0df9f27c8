"""Importing venues from .xlsx, .xls and .csv: headers.py (the columns and their synonyms),
reader.py (finding the table), rows.py (one row checked), planner.py (each row counted once against
the register, reads only), writer.py (one transaction), jobs.py (the Importer run as a job),
service.py (the upload and the command line), report.py (the error report)."""
