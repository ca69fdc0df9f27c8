"""A lab's result file, imported: rows read and normalised (rows), staged (stage), matched by
set-based statements (sql), written (apply), driven by importing.results_import and run as a job
(jobs); uploads turns an uploaded file into the path the importers read."""
