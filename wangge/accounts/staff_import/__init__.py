"""The staff import in one place: `reader` reads and checks the rows, `services` registers, runs
and writes an import under its job and hands out the one-time passwords, `workbooks` makes the
template and the credentials workbook, `views` the pages."""
