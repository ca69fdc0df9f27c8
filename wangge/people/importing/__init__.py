"""Roster import (花名册导入): read → check each row → plan against the database → write in bulk.

reader.py opens .xlsx/.xls/.csv; headers.py knows the columns; rows.py and values.py check one row;
areas.py and planner.py match rows to areas and persons, set-based, and count; writer.py writes the
plan; service.py and undo.py are the service functions; report.py writes the error report and
template.
"""
