"""Validates XML files against an XSD with the Python `xmlschema` package (PyPI), the reference
the suite compares Glasnost's own XML check with. Usage: xsd_check.py SCHEMA.xsd FILE.xml...
Prints a JSON list: for each file, null when valid, else the first reason."""
import json
import sys

import xmlschema

schema = xmlschema.XMLSchema10(sys.argv[1])
verdicts = []
for path in sys.argv[2:]:
    try:
        errors = list(schema.iter_errors(path))
        verdicts.append(None if not errors else str(errors[0].reason or errors[0]))
    except Exception as e:  # a document that is not even well-formed XML
        verdicts.append("not well-formed: %s" % e)
print(json.dumps(verdicts, ensure_ascii=False))
