"""Roster import (花名册导入): read → check each row → plan against the database → write in bulk.

reader.py opens .xlsx/.xls/.csv through core.spreadsheets; headers.py knows the columns; rows.py and
values.py check one row; areas.py and planner.py match rows to areas and persons, set-based, and
count; snapshot.py lets the write tell that what the plan read is still so; writer.py writes the
plan; jobs.py runs it as a job (an Importer); service.py and undo.py are the service functions;
report.py writes the error report and template.
"""
