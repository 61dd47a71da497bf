"""Reading: the files of a run (``files``) and each file's ``Source`` (``source``): its bytes,
text, lines and ``# noqa`` directives, and its parse."""
